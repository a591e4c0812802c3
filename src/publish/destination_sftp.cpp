// sftp://USER@HOST[:PORT]/PATH: key authentication through libcurl's SFTP.
// Each file is uploaded to a hidden temporary name beside its target, then
// renamed over it, so a reader never sees half a file. The host key is
// always checked, against a known_hosts file or a SHA-256 fingerprint.
//
// SFTP version 3, which OpenSSH speaks, cannot rename over an existing
// file, and libcurl 7.88 with libssh2 1.10 has no posix-rename: when the
// target exists it is removed and the rename repeated, so for that moment
// the name is missing (a reader retrying gets the new file). S3 and WebDAV
// destinations replace files without that gap.
#include <curl/curl.h>
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "publish/destination.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

class SftpDestination : public Destination {
 public:
  explicit SftpDestination(const DestinationSettings& settings) : settings_(settings) {
    base_ = settings.url;
    if (!base_.ends_with('/')) base_ += '/';
    // The remote directory, as SFTP commands name it: the URL's path.
    auto host_start = base_.find("://") + 3;
    auto path_start = base_.find('/', host_start);
    if (path_start == std::string::npos ||
        base_.substr(host_start, path_start - host_start).find('@') == std::string::npos) {
      throw UsageError(fmt::format("destination {:?}: use sftp://USER@HOST[:PORT]/PATH", settings.name));
    }
    directory_ = base_.substr(path_start);
    key_ = settings.option("key");
    known_hosts_ = settings.option("known_hosts");
    fingerprint_ = settings.option("host_key_sha256");
    if (key_.empty())
      throw UsageError(fmt::format("destination {:?}: SFTP needs key, a private key file", settings.name));
    if (known_hosts_.empty() && fingerprint_.empty()) {
      throw UsageError(fmt::format("destination {:?}: SFTP needs known_hosts or host_key_sha256 to check the server",
                                   settings.name));
    }
  }

  void put(const UploadFile& file) override {
    // A hidden name in the target's own directory: by-hash/SHA256/.<hex>.upload
    auto slash = file.name.rfind('/');
    std::string folder = slash == std::string::npos ? "" : file.name.substr(0, slash + 1);
    std::string temporary = fmt::format("{}.{}.upload", folder, file.name.substr(folder.size()));
    std::string target_path = quote_path(directory_ + file.name);
    std::string temporary_path = quote_path(directory_ + temporary);
    CURLcode result = transfer(file, base_ + url_path(temporary), {"rename " + temporary_path + " " + target_path});
    if (result == CURLE_QUOTE_ERROR) {
      // The target exists and SFTP v3 will not rename over it.
      result = transfer(file, base_ + url_path(temporary),
                        {"rm " + target_path, "rename " + temporary_path + " " + target_path});
    }
    if (result == CURLE_OK) return;
    fail(base_ + url_path(file.name), result);
  }

  std::optional<std::uint64_t> size_of(const std::string& name) override {
    // SFTP has no HEAD: start downloading and stop at the first bytes; the
    // size comes from the stat libcurl does before it reads.
    Handle curl = session(base_ + url_path(name));
    curl_easy_setopt(
        curl.get(), CURLOPT_WRITEFUNCTION, +[](char*, std::size_t, std::size_t, void*) -> std::size_t {
          return 0;  // stop the transfer
        });
    CURLcode result = curl_easy_perform(curl.get());
    if (result == CURLE_REMOTE_FILE_NOT_FOUND) return std::nullopt;
    if (result != CURLE_OK && result != CURLE_WRITE_ERROR) fail(base_ + url_path(name), result);
    curl_off_t size = -1;
    curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
    if (size < 0) return std::nullopt;
    return static_cast<std::uint64_t>(size);
  }

  void remove(const std::string& name) override {
    if (!size_of(name)) return;
    Handle curl = session(base_);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> quote(
        curl_slist_append(nullptr, ("rm " + quote_path(directory_ + name)).c_str()), &curl_slist_free_all);
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_QUOTE, quote.get());
    CURLcode result = curl_easy_perform(curl.get());
    if (result != CURLE_OK) fail(base_ + url_path(name), result);
  }

 private:
  using Handle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

  // A path as one argument of an SFTP quote command: in double quotes,
  // with '"' and '\\' escaped (libcurl's quote parser reads it back).
  static std::string quote_path(const std::string& path) {
    std::string quoted = "\"";
    for (char c : path) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\"";
  }

  // A handle for `url`, authenticated and with the host key checked.
  Handle session(const std::string& url) {
    Handle curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw TransientUploadError("cannot initialise libcurl");
    *error_ = '\0';
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "sftp");
    curl_easy_setopt(curl.get(), CURLOPT_SSH_AUTH_TYPES, CURLSSH_AUTH_PUBLICKEY);
    curl_easy_setopt(curl.get(), CURLOPT_SSH_PRIVATE_KEYFILE, key_.c_str());
    if (!settings_.credentials.password.empty()) {
      curl_easy_setopt(curl.get(), CURLOPT_KEYPASSWD, settings_.credentials.password.c_str());
    }
    if (!known_hosts_.empty()) curl_easy_setopt(curl.get(), CURLOPT_SSH_KNOWNHOSTS, known_hosts_.c_str());
    if (!fingerprint_.empty()) curl_easy_setopt(curl.get(), CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, fingerprint_.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, request_timeout_ms(settings_.timeout_seconds));
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    return curl;
  }

  // Uploads `file` to `url`, then runs `commands` on the server.
  CURLcode transfer(const UploadFile& file, const std::string& url, const std::vector<std::string>& commands) {
    FileDescriptor source = open_upload_source(file);
    std::unique_ptr<FILE, int (*)(FILE*)> in(::fdopen(source.get(), "rb"), &std::fclose);
    if (!in) throw PermanentUploadError(fmt::format("cannot read {}", (file.directory / file.name).string()));
    source.release();  // the FILE owns it now
    Handle curl = session(url);
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> quote(nullptr, &curl_slist_free_all);
    for (const auto& command : commands) quote.reset(curl_slist_append(quote.release(), command.c_str()));
    curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_READDATA, in.get());
    curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(file.size));
    curl_easy_setopt(curl.get(), CURLOPT_FTP_CREATE_MISSING_DIRS, CURLFTP_CREATE_DIR);
    curl_easy_setopt(curl.get(), CURLOPT_POSTQUOTE, quote.get());
    return curl_easy_perform(curl.get());
  }

  // Throws the error for a failed request on `url`: permanent when
  // retrying cannot help.
  [[noreturn]] void fail(const std::string& url, CURLcode result) const {
    std::string message =
        fmt::format("SFTP {}: {}", redact_url(url), *error_ != '\0' ? error_ : curl_easy_strerror(result));
    if (result == CURLE_LOGIN_DENIED || result == CURLE_PEER_FAILED_VERIFICATION ||
        result == CURLE_REMOTE_ACCESS_DENIED) {
      throw PermanentUploadError(message);
    }
    throw TransientUploadError(message);
  }

  DestinationSettings settings_;
  std::string base_;
  std::string directory_;
  std::string key_;
  std::string known_hosts_;
  std::string fingerprint_;
  char error_[CURL_ERROR_SIZE] = "";
};

}  // namespace

std::unique_ptr<Destination> make_sftp_destination(const DestinationSettings& settings) {
  return std::make_unique<SftpDestination>(settings);
}

}  // namespace crowdfeed
