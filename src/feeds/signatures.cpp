#include "feeds/signatures.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "feeds/layout.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/safe_path.h"
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

// Checked as opened, so that the file cannot be swapped between the check
// and the read.
std::string read_secret_file(const fs::path& path, std::string_view what) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw Error(fmt::format("cannot open {} {}: {}", what, path.string(), std::strerror(errno)));
  FileDescriptor file(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    throw Error(fmt::format("{} {} is not a regular file", what, path.string()));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw Error(fmt::format("{} {} may be read by others (mode {:04o}); chmod 600 it", what, path.string(),
                            info.st_mode & 07777));
  }
  if (info.st_size > static_cast<off_t>(kMaxKeyFileBytes)) {
    throw Error(fmt::format("{} {} is larger than a key file can be", what, path.string()));
  }
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t got = ::read(fd, text.data() + done, text.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw Error(fmt::format("cannot read {} {}", what, path.string()));
    done += static_cast<std::size_t>(got);
  }
  return text;
}

std::string render_trusted_comment(const SignedFacts& facts) {
  return fmt::format("feeds:{}\thour:{}\tversion:{}\tfile:{}", comment_field(facts.feed_set),
                     format_iso8601(facts.hour), facts.version, facts.file);
}

std::optional<SignedFacts> parse_trusted_comment(std::string_view comment) {
  SignedFacts facts;
  std::vector<std::pair<std::string_view, std::string*>> fields = {
      {"feeds", &facts.feed_set}, {"hour", nullptr}, {"version", &facts.version}, {"file", &facts.file}};
  for (auto& [key, out] : fields) {
    std::size_t end = comment.find('\t');
    std::string_view field = comment.substr(0, end);
    if (!field.starts_with(key) || field.size() <= key.size() || field[key.size()] != ':') return std::nullopt;
    std::string_view value = field.substr(key.size() + 1);
    if (out != nullptr) {
      *out = value;
    } else if (auto hour = parse_time(value)) {
      facts.hour = *hour;
    } else {
      return std::nullopt;
    }
    comment = end == std::string_view::npos ? std::string_view() : comment.substr(end + 1);
    if (end == std::string_view::npos && out != &facts.file) return std::nullopt;
  }
  if (!comment.empty()) return std::nullopt;
  return facts;
}

SignedFacts expected_facts(const Manifest& manifest, std::string_view feed_set, const std::string& name) {
  if (name == kChecksumsName || name == kManifestName) {
    return {std::string(feed_set), manifest.hour, format_version(manifest.version()), name};
  }
  const ManifestFile* file = manifest.find(name);
  if (file == nullptr) throw Error(fmt::format("{} is not in the manifest", name));
  return {std::string(feed_set), floor_to_hour(file->last_modified), format_version(file->last_modified), name};
}

minisign::PublicKey read_public_key(const std::string& file_or_key) {
  // A public key's line is 56 characters of base64, "RW" first (its
  // algorithm, "Ed"); no sensible file is named like that.
  bool one_line = file_or_key.size() == 56 && file_or_key.starts_with("RW") &&
                  file_or_key.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") == std::string::npos;
  if (one_line) {
    return minisign::parse_public_key(file_or_key, fmt::format("the public key {}", quote_text(file_or_key)));
  }
  std::optional<std::string> text;
  try {
    text = read_regular_file(file_or_key, kMaxKeyFileBytes);
  } catch (const Error& error) {
    throw Error(fmt::format("cannot read the public key {}: {}", file_or_key, error.what()));
  }
  if (!text) throw Error(fmt::format("cannot read the public key {}: no such file", file_or_key));
  return minisign::parse_public_key(*text, file_or_key);
}

FeedSigner::FeedSigner(minisign::SecretKey key, ManifestSigning signing)
    : key_(std::move(key)), public_key_(key_.public_key()), manifest_signing_(std::move(signing)) {}

std::optional<std::string> configured_passphrase(const SigningSettings& settings) {
  if (!settings.passphrase_env.empty()) {
    const char* value = std::getenv(settings.passphrase_env.c_str());
    if (value == nullptr || *value == '\0') {
      throw Error(fmt::format("${} (signing.passphrase_env), which holds the signing key's passphrase, is not set",
                              settings.passphrase_env));
    }
    return value;
  }
  if (!settings.passphrase_file.empty()) {
    std::string text = read_secret_file(settings.passphrase_file, "signing.passphrase_file");
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
  std::string where = fmt::format("signing.secret_key {}", settings.secret_key.string());
  std::string text = read_secret_file(settings.secret_key, "signing.secret_key");
  std::optional<minisign::SecretKey> key;
  try {
    auto passphrase = [&] {
      std::optional<std::string> configured = configured_passphrase(settings);
      if (!configured) {
        throw Error(
            fmt::format("{} is encrypted: name its passphrase's source with signing.passphrase_env or "
                        "signing.passphrase_file",
                        where));
      }
      return *configured;
    };
    key = minisign::SecretKey::parse(text, passphrase, where);
  } catch (...) {
    sodium_memzero(text.data(), text.size());
    throw;
  }
  sodium_memzero(text.data(), text.size());
  ManifestSigning signing{published(key->public_key()), settings.sign_files, {}};
  for (const auto& announced : settings.announce_public_keys) {
    PublishedKey other = published(read_public_key(announced));
    if (other != signing.key) signing.announced.push_back(std::move(other));
  }
  return FeedSigner(std::move(*key), std::move(signing));
}

bool FeedSigner::sign(const fs::path& directory, const std::string& name, const SignedFacts& facts) const {
  std::string signature = key_.sign(prehash_file(directory, name), render_trusted_comment(facts),
                                    fmt::format("signature from crowdfeed secret key {}", public_key_.key_id_hex()));
  return write_file_atomically(directory / (name + std::string(kSignatureSuffix)), signature);
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
