#include "feeds/signatures.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "feeds/layout.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/safe_path.h"
#include "util/secret_file.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxKeyFileBytes = 64 << 10;

// The feed set's title as one field of a trusted comment: no tab, no
// control character, no surrounding space.
std::string comment_field(std::string_view text) {
  std::string field;
  for (char c : text) field += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
  std::size_t first = field.find_first_not_of(' ');
  if (first == std::string::npos) return "crowdfeed";
  return field.substr(first, field.find_last_not_of(' ') - first + 1);
}

PublishedKey published(const minisign::PublicKey& key) {
  return {key.key_id_hex(), key.base64()};
}

}  // namespace

std::string render_trusted_comment(const SignedFacts& facts) {
  return fmt::format("feeds:{}\thour:{}\tversion:{}\tfile:{}", comment_field(facts.feed_set),
                     format_iso8601(facts.hour), facts.version, facts.file);
}

std::optional<SignedFacts> parse_trusted_comment(std::string_view comment) {
  // Four tab-separated fields, each "key:value", in this order.
  constexpr std::array<std::string_view, 4> kKeys = {"feeds", "hour", "version", "file"};
  std::array<std::string_view, 4> values;
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    std::size_t end = comment.find('\t');
    std::string_view field = comment.substr(0, end);
    if (!field.starts_with(kKeys[i]) || field.size() <= kKeys[i].size() || field[kKeys[i].size()] != ':') {
      return std::nullopt;
    }
    values[i] = field.substr(kKeys[i].size() + 1);
    bool last = i + 1 == kKeys.size();
    if ((end == std::string_view::npos) != last) return std::nullopt;
    if (!last) comment.remove_prefix(end + 1);
  }
  std::optional<TimePoint> hour = parse_time(values[1]);
  if (!hour) return std::nullopt;
  return SignedFacts{std::string(values[0]), *hour, std::string(values[2]), std::string(values[3])};
}

SignedFacts expected_facts(const Manifest& manifest, std::string_view feed_set, const std::string& name) {
  if (name == kChecksumsName || name == kManifestName) {
    return {std::string(feed_set), manifest.hour, format_version(manifest.version()), name};
  }
  const ManifestFile* file = manifest.find(name);
  if (file == nullptr) throw Error(fmt::format("{} is not in the manifest", name));
  return {std::string(feed_set), floor_to_hour(file->last_modified), format_version(file->last_modified), name};
}

minisign::PublicKey read_public_key(const std::string& file_or_key, std::string_view what) {
  // Pasted keys often come with a space or a line end.
  std::string_view trimmed = file_or_key;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.remove_suffix(1);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
  if (minisign::is_public_key_line(trimmed)) return minisign::parse_public_key(trimmed, what);
  std::optional<std::string> text;
  try {
    text = read_regular_file(std::string(trimmed), kMaxKeyFileBytes);
  } catch (const Error& error) {
    throw Error(fmt::format("{}: {}", what, error.what()));
  }
  if (!text) {
    throw Error(fmt::format("{} {} is neither a minisign public key (a line of 56 characters, \"RW...\") nor a file",
                            what, quote_text(trimmed)));
  }
  return minisign::parse_public_key(*text, fmt::format("{} {}", what, trimmed));
}

FeedSigner::FeedSigner(minisign::SecretKey key, ManifestSigning signing)
    : key_(std::move(key)), public_key_(key_.public_key()), manifest_signing_(std::move(signing)) {}

std::optional<std::string> configured_passphrase(const SigningSettings& settings) {
  if (!settings.passphrase_env.empty()) {
    const char* value = std::getenv(settings.passphrase_env.c_str());
    if (value == nullptr || *value == '\0') {
      throw Error(fmt::format("${}, which should hold the signing key's passphrase, is not set or empty",
                              settings.passphrase_env));
    }
    return value;
  }
  if (!settings.passphrase_file.empty()) {
    std::string text = read_secret_file(settings.passphrase_file, "signing.passphrase_file", kMaxKeyFileBytes);
    std::string passphrase = text.substr(0, text.find('\n'));
    sodium_memzero(text.data(), text.size());
    if (passphrase.ends_with('\r')) passphrase.pop_back();
    if (passphrase.empty()) {
      throw Error(fmt::format("signing.passphrase_file {} is empty", settings.passphrase_file.string()));
    }
    return passphrase;
  }
  return std::nullopt;
}

std::optional<FeedSigner> FeedSigner::load(const SigningSettings& settings) {
  if (settings.secret_key.empty()) return std::nullopt;
  // Whatever is wrong with the key waits for a person (exit 2), as a
  // configuration error does: running again an hour later cannot mend it.
  try {
    std::string where = fmt::format("signing.secret_key {}", settings.secret_key.string());
    std::string text = read_secret_file(settings.secret_key, "signing.secret_key", kMaxKeyFileBytes);
    auto passphrase = [&] {
      std::optional<std::string> configured = configured_passphrase(settings);
      if (!configured) {
        throw Error(
            fmt::format("{} is encrypted: name its passphrase's source with signing.passphrase_env or "
                        "signing.passphrase_file",
                        where));
      }
      std::string secret = *configured;
      sodium_memzero(configured->data(), configured->size());
      return secret;
    };
    std::optional<minisign::SecretKey> key;
    try {
      key = minisign::SecretKey::parse(text, passphrase, where);
    } catch (...) {
      sodium_memzero(text.data(), text.size());
      throw;
    }
    sodium_memzero(text.data(), text.size());
    ManifestSigning signing{published(key->public_key()), settings.sign_files, {}};
    // The public key crowdfeed verify would use must be this key's: a
    // stale one would fail every check later, far from the cause.
    fs::path public_path = default_public_key_path(settings);
    std::error_code missing;
    if (!settings.public_key.empty() || fs::exists(public_path, missing)) {
      PublishedKey paired = published(read_public_key(public_path.string(), "signing.public_key"));
      if (paired != signing.key) {
        throw Error(fmt::format("the public key {} (key {}) is not the public key of {} (key {})", public_path.string(),
                                paired.key_id, where, signing.key.key_id));
      }
    }
    for (const auto& announced : settings.announce_public_keys) {
      PublishedKey other = published(read_public_key(announced, "signing.announce_public_keys"));
      if (other != signing.key &&
          std::find(signing.announced.begin(), signing.announced.end(), other) == signing.announced.end()) {
        signing.announced.push_back(std::move(other));
      }
    }
    return FeedSigner(std::move(*key), std::move(signing));
  } catch (const UsageError&) {
    throw;
  } catch (const Error& error) {
    throw UsageError(error.what());
  }
}

bool FeedSigner::sign(const fs::path& directory, const std::string& name, const SignedFacts& facts) const {
  std::string signature = key_.sign(prehash_file(directory, name), render_trusted_comment(facts),
                                    fmt::format("signature from crowdfeed secret key {}", public_key_.key_id_hex()));
  return write_file_atomically(directory / signature_name(name), signature);
}

minisign::Digest prehash_file(const fs::path& directory, std::string_view name) {
  FileDescriptor file = open_beneath(directory, name);
  minisign::Prehash hash;
  std::vector<char> buffer(1 << 16);
  for (ssize_t got; (got = ::read(file.get(), buffer.data(), buffer.size())) != 0;) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(fmt::format("cannot read {}", (directory / name).string()));
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  return hash.finish();
}

fs::path default_public_key_path(const SigningSettings& settings) {
  if (!settings.public_key.empty()) return settings.public_key;
  if (settings.secret_key.empty()) return {};
  fs::path path = settings.secret_key;
  return path.replace_extension(".pub");
}

}  // namespace crowdfeed
