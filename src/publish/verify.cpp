#include "publish/verify.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>

#include "feeds/by_hash.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/signatures.h"
#include "publish/destination.h"
#include "util/decompress.h"
#include "util/error.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/time.h"
#include "util/version.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxManifestBytes = std::uint64_t{64} << 20;
constexpr std::uint64_t kMaxSignatureBytes = std::uint64_t{16} << 10;
constexpr std::uint64_t kMaxFileBytes = std::uint64_t{4} << 30;
constexpr std::uint64_t kMaxErrorPageBytes = std::uint64_t{64} << 10;

using Sink = std::function<void(std::string_view)>;

// Where the published files are read from.
class Source {
 public:
  virtual ~Source() = default;
  // Streams the file `name` to `sink`; false when there is no such file.
  // Throws Error for any other failure, and for a file over `max_bytes`.
  virtual bool read(const std::string& name, std::uint64_t max_bytes, const Sink& sink) = 0;
};

class FolderSource : public Source {
 public:
  explicit FolderSource(fs::path folder) : folder_(std::move(folder)) {}

  bool read(const std::string& name, std::uint64_t max_bytes, const Sink& sink) override {
    std::error_code error;
    if (!fs::exists(fs::symlink_status(folder_ / name, error))) return false;
    FileDescriptor file = open_beneath(folder_, name);
    std::vector<char> buffer(1 << 16);
    std::uint64_t total = 0;
    for (ssize_t got; (got = ::read(file.get(), buffer.data(), buffer.size())) != 0;) {
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw Error(fmt::format("cannot read {}", (folder_ / name).string()));
      total += static_cast<std::uint64_t>(got);
      if (total > max_bytes) throw Error(fmt::format("larger than {} bytes", max_bytes));
      sink(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    }
    return true;
  }

 private:
  fs::path folder_;
};

// GET requests on one connection, kept alive from file to file, all of
// them within one deadline: a server that answers slowly cannot hold the
// check for longer.
class HttpSource : public Source {
 public:
  HttpSource(std::string base, std::chrono::seconds timeout)
      : base_(std::move(base)), deadline_(std::chrono::steady_clock::now() + timeout), timeout_(timeout) {
    static const CURLcode ready = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (ready != CURLE_OK || !curl_) throw Error("cannot initialise libcurl");
    if (!base_.ends_with('/')) base_ += '/';
  }

  bool read(const std::string& name, std::uint64_t max_bytes, const Sink& sink) override {
    std::string url = base_ + url_path(name);
    CURL* curl = curl_.get();
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw Error(fmt::format("GET {}: out of time (--timeout {} s for the whole check)", url, timeout_.count()));
    }
    Transfer transfer{curl, &sink, max_bytes, 0, 0, nullptr, false};
    curl_easy_reset(curl);
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    const std::string user_agent = "crowdfeed-verify/" + program_version();
    curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &HttpSource::receive);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode result = curl_easy_perform(curl);
    if (transfer.failure) std::rethrow_exception(transfer.failure);
    if (transfer.too_large) throw Error(fmt::format("GET {}: larger than {} bytes", url, max_bytes));
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (transfer.dropped > kMaxErrorPageBytes) {
      throw Error(
          fmt::format("GET {}: HTTP status {}, with an answer longer than any error page needs ({} bytes "
                      "and more)",
                      url, status, kMaxErrorPageBytes));
    }
    if (result != CURLE_OK) {
      throw Error(fmt::format("GET {}: {}", url, *error != '\0' ? error : curl_easy_strerror(result)));
    }
    if (status == 404 || status == 410) return false;
    if (status < 200 || status > 299) throw Error(fmt::format("GET {}: HTTP status {}", url, status));
    return true;
  }

 private:
  struct Transfer {
    CURL* curl;
    const Sink* sink;
    std::uint64_t max_bytes;
    std::uint64_t received;
    std::uint64_t dropped;  // of error pages and redirections
    std::exception_ptr failure;
    bool too_large;
  };

  // libcurl's write callback: only a 2xx body reaches the sink. An error
  // page is dropped (the status tells what happened), and cut short when
  // it is longer than any error page needs to be.
  static std::size_t receive(char* data, std::size_t size, std::size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::size_t bytes = size * count;
    long status = 0;
    curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
      transfer->dropped += bytes;
      return transfer->dropped > kMaxErrorPageBytes ? 0 : bytes;
    }
    transfer->received += bytes;
    if (transfer->received > transfer->max_bytes) {
      transfer->too_large = true;
      return 0;
    }
    try {
      (*transfer->sink)(std::string_view(data, bytes));
    } catch (...) {
      transfer->failure = std::current_exception();
      return 0;
    }
    return bytes;
  }

  std::string base_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::seconds timeout_;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_{curl_easy_init(), &curl_easy_cleanup};
};

// The files of one archived hour: "manifest.json.gz" and the rest under
// archive/YYYY/MM/DD/HH/.
class ArchivedHourSource : public Source {
 public:
  ArchivedHourSource(Source& source, TimePoint hour) : source_(source), folder_(archive_hour_folder(hour) + "/") {}
  bool read(const std::string& name, std::uint64_t max_bytes, const Sink& sink) override {
    return source_.read(folder_ + name, max_bytes, sink);
  }

 private:
  Source& source_;
  std::string folder_;
};

// What reading one file gave: its size and both digests.
struct Digests {
  std::uint64_t size = 0;
  std::string sha256;
  minisign::Digest prehash{};
};

class Verifier {
 public:
  Verifier(Source& source, const VerifyOptions& options, VerifyReport& report)
      : source_(source), options_(options), report_(report) {}

  // An archived hour: its manifest (kept gzipped) must carry a good
  // signature for that hour, and each archived list (gzipped) must be what
  // the manifest lists.
  void run_archive(TimePoint hour) {
    std::optional<std::string> compressed = read_text(std::string(kManifestName) + ".gz", kMaxManifestBytes);
    if (!compressed) return;
    std::string manifest_text;
    try {
      manifest_text = decompress_if_compressed(std::move(*compressed), kMaxManifestBytes);
    } catch (const Error& error) {
      problem("{}.gz: {}", kManifestName, printable(error.what()));
      return;
    }
    std::optional<minisign::Signature> signature =
        verified_signature(std::string(kManifestName), minisign::prehash(manifest_text));
    if (!signature) return;
    try {
      manifest_ = parse_manifest(manifest_text);
    } catch (const std::exception& error) {
      problem("{}: not a crowdfeed manifest: {}", kManifestName, printable(error.what()));
      return;
    }
    report_.hour = format_iso8601(manifest_.hour);
    if (!signed_facts_hold(std::string(kManifestName), *signature)) return;
    if (manifest_.hour != hour) {
      problem("the archived manifest is for the hour {}, not {}", report_.hour, format_iso8601(hour));
      return;
    }
    for (const ManifestFile& file : manifest_.files) {
      // The archive keeps each feed's plain list and its delta lists.
      if (file.name != file.feed + ".txt" && file.name != file.feed + ".added.txt" &&
          file.name != file.feed + ".removed.txt") {
        continue;
      }
      std::string text;
      std::optional<std::string> archived = read_text(file.name + ".gz", kMaxFileBytes);
      if (!archived) continue;
      try {
        text = decompress_if_compressed(std::move(*archived), static_cast<std::size_t>(file.size) + 1);
      } catch (const Error& error) {
        problem("{}.gz: {}", file.name, printable(error.what()));
        continue;
      }
      ++report_.files;
      if (text.size() != file.size || sha256_hex(text) != file.sha256) {
        problem("{}.gz holds {} bytes of SHA-256 {}, but the archived manifest lists {} bytes of SHA-256 {}", file.name,
                text.size(), sha256_hex(text), file.size, file.sha256);
      }
    }
    report_.feed_set = feed_set_.value_or("");
  }

  void run() {
    std::optional<std::string> manifest_text = read_text(std::string(kManifestName), kMaxManifestBytes);
    if (!manifest_text) return;
    // An unsigned manifest vouches for nothing: it is not even parsed, and
    // its list is not read.
    std::optional<minisign::Signature> manifest_signature =
        verified_signature(std::string(kManifestName), minisign::prehash(*manifest_text));
    if (!manifest_signature) return;
    try {
      manifest_ = parse_manifest(*manifest_text);
    } catch (const std::exception& error) {
      problem("{}: not a crowdfeed manifest: {}", kManifestName, printable(error.what()));
      return;
    }
    report_.hour = format_iso8601(manifest_.hour);
    if (!signed_facts_hold(std::string(kManifestName), *manifest_signature)) return;
    if (manifest_.signing && !report_.key_id.empty() && manifest_.signing->key.key_id != report_.key_id) {
      problem("{} names the signing key {}, but the key {} signed it", kManifestName, manifest_.signing->key.key_id,
              report_.key_id);
    }
    if (options_.max_age) {
      auto age = std::chrono::floor<std::chrono::hours>(now_utc() - manifest_.hour);
      if (age > *options_.max_age) {
        problem("{} is for the hour {}, {} hours ago: older than --max-age {} (a stale copy?)", kManifestName,
                report_.hour, age.count(), options_.max_age->count());
      }
    }

    if (std::optional<std::string> sums = read_text(std::string(kChecksumsName), kMaxManifestBytes)) {
      check_signature(std::string(kChecksumsName), minisign::prehash(*sums));
      if (*sums != render_sha256sums(manifest_)) {
        problem("{} does not list the files and digests that {} lists", kChecksumsName, kManifestName);
      }
    }
    for (const ManifestFile& file : manifest_.files) {
      if (std::optional<Digests> digests = check_file(file.name, file)) {
        if (is_signed(manifest_, file.name)) check_signature(file.name, digests->prehash);
      }
      check_file(by_hash_name(file.sha256), file);
    }
    for (const auto& [key_id, count] : unknown_keys_) {
      if (count > 1) problem("... and {} more signatures by the key {}", count - 1, key_id);
    }
    report_.feed_set = feed_set_.value_or("");
  }

 private:
  template <typename... Args>
  void problem(fmt::format_string<Args...> format, Args&&... args) {
    report_.problems.push_back(fmt::format(format, std::forward<Args>(args)...));
  }

  // The whole of a small file; nullopt (and a problem) when it is missing
  // or cannot be read.
  std::optional<std::string> read_text(const std::string& name, std::uint64_t max_bytes) {
    std::string text;
    try {
      if (source_.read(name, max_bytes, [&](std::string_view bytes) { text.append(bytes); })) return text;
      problem("{}: missing{}", name, name == kManifestName ? " (is this a crowdfeed feeds folder?)" : "");
    } catch (const Error& error) {
      problem("{}: {}", name, printable(error.what()));
    }
    return std::nullopt;
  }

  // Reads `name` and compares it with what the manifest says of `file`.
  std::optional<Digests> check_file(const std::string& name, const ManifestFile& file) {
    Digests digests;
    Sha256 sha256;
    minisign::Prehash prehash;
    try {
      // The signed manifest says how large the file is: reading stops one
      // byte past it, whatever a server sends.
      bool found = source_.read(name, std::min(file.size, kMaxFileBytes), [&](std::string_view bytes) {
        digests.size += bytes.size();
        sha256.update(bytes);
        prehash.update(bytes);
      });
      if (!found) {
        problem("{}: missing (the manifest lists it)", name);
        return std::nullopt;
      }
    } catch (const Error& error) {
      problem("{}: {}", name, printable(error.what()));
      return std::nullopt;
    }
    digests.sha256 = sha256.hex();
    digests.prehash = prehash.finish();
    ++report_.files;
    if (digests.sha256 != file.sha256 || digests.size != file.size) {
      problem("{}: {} bytes of SHA-256 {}, but the manifest lists {} bytes of SHA-256 {}", name, digests.size,
              digests.sha256, file.size, file.sha256);
      return std::nullopt;
    }
    return digests;
  }

  // Checks NAME.minisig against the file's prehash and its trusted comment
  // against what the manifest says of the file; false (and a problem)
  // unless everything holds.
  bool check_signature(const std::string& name, const minisign::Digest& digest) {
    std::optional<minisign::Signature> signature = verified_signature(name, digest);
    return signature && signed_facts_hold(name, *signature);
  }

  // NAME.minisig, when one of the keys signed the file of `digest` and the
  // trusted comment with it; nullopt (and a problem) otherwise.
  std::optional<minisign::Signature> verified_signature(const std::string& name, const minisign::Digest& digest) {
    std::string signature_file = signature_name(name);
    std::optional<std::string> text = read_text(signature_file, kMaxSignatureBytes);
    if (!text) return std::nullopt;
    minisign::Signature signature;
    try {
      signature = minisign::parse_signature(*text, signature_file);
    } catch (const Error& error) {
      problem("{}", error.what());
      return std::nullopt;
    }
    auto key = std::find_if(options_.keys.begin(), options_.keys.end(),
                            [&](const minisign::PublicKey& each) { return each.key_id == signature.key_id; });
    if (key == options_.keys.end()) {
      // One line for a key, however many files it signed.
      std::string key_id = minisign::key_id_hex(signature.key_id);
      if (unknown_keys_[key_id]++ == 0) {
        problem("{}: signed by the key {}, which is not a key given to check with", signature_file, key_id);
      }
      return std::nullopt;
    }
    if (std::string why = minisign::verification_problem(*key, signature, digest); !why.empty()) {
      problem("{}: {}", signature_file, why);
      return std::nullopt;
    }
    ++report_.signatures;
    if (name == kManifestName) report_.key_id = key->key_id_hex();
    return signature;
  }

  // Whether the trusted comment of `name`'s verified signature states what
  // the manifest says of the file: its name, hour and version, and the
  // feed set; a problem when not.
  bool signed_facts_hold(const std::string& name, const minisign::Signature& signature) {
    std::string signature_file = signature_name(name);
    std::optional<SignedFacts> facts = parse_trusted_comment(signature.trusted_comment);
    if (!facts) {
      problem("{}: the trusted comment {} is not one crowdfeed writes", signature_file,
              quote_text(signature.trusted_comment));
      return false;
    }
    if (!feed_set_) feed_set_ = options_.feed_set.empty() ? facts->feed_set : options_.feed_set;
    SignedFacts expected = expected_facts(manifest_, *feed_set_, name);
    if (facts->file != name) {
      problem("{}: signs {}, not {}", signature_file, quote_text(facts->file), name);
    } else if (facts->hour != expected.hour || facts->version != expected.version) {
      problem(
          "{}: signed for the hour {} (version {}), but {} is for the hour {} (version {}): an old signature "
          "replayed?",
          signature_file, format_iso8601(facts->hour), facts->version, name, format_iso8601(expected.hour),
          expected.version);
    } else if (facts->feed_set != *feed_set_) {
      problem("{}: signed for the feeds {}, not {}", signature_file, quote_text(facts->feed_set),
              quote_text(*feed_set_));
    } else {
      return true;
    }
    return false;
  }

  Source& source_;
  const VerifyOptions& options_;
  VerifyReport& report_;
  Manifest manifest_;
  std::optional<std::string> feed_set_;
  std::map<std::string, std::size_t> unknown_keys_;  // signatures by keys not given, by key id
};

}  // namespace

VerifyReport verify_published(const std::string& location, const VerifyOptions& options) {
  std::unique_ptr<Source> source;
  std::string folder = location.starts_with("file://") ? location.substr(7) : location;
  if (folder.find("://") != std::string::npos) {
    if (!location.starts_with("http://") && !location.starts_with("https://")) {
      throw UsageError(fmt::format("{}: only a folder, or an http://, https:// or file:// URL, can be verified",
                                   quote_text(location)));
    }
    source = std::make_unique<HttpSource>(location, std::chrono::seconds(options.timeout_seconds));
  } else {
    std::error_code error;
    if (!fs::is_directory(folder, error)) throw UsageError(fmt::format("{} is not a folder", quote_text(location)));
    source = std::make_unique<FolderSource>(folder);
  }
  if (options.keys.empty()) throw UsageError("no public key to check the signatures with");
  VerifyReport report;
  if (options.archive_hour) {
    ArchivedHourSource archived(*source, *options.archive_hour);
    Verifier(archived, options, report).run_archive(*options.archive_hour);
  } else {
    Verifier(*source, options, report).run();
  }
  return report;
}

}  // namespace crowdfeed
