// Whitelist sources at http(s):// URLs: downloaded with libcurl into the
// state directory, conditionally (If-None-Match / If-Modified-Since), with
// the last good copy kept for when a download fails.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace crowdfeed {

class DownloadedList {
 public:
  // `cache_dir` holds the last good copy of every URL source.
  DownloadedList(std::string name, std::string url, const std::filesystem::path& cache_dir);

  // Fetches the URL. Returns the new body on 200, nullopt when the server
  // says the last good copy is current (304). Throws Error on a failed
  // connection, a timeout, a body (as decoded) of more than `max_bytes`,
  // or any other status, with the server's status.
  std::optional<std::string> download(int timeout_seconds, std::int64_t max_bytes) const;

  // The last good copy, if one was ever kept.
  std::optional<std::string> last_good() const;
  // How many valid entries the last good copy had (0 when none).
  std::int64_t last_good_entries() const;
  // When the last good copy was downloaded, ISO 8601; empty when none.
  std::string last_good_time() const;

  // Keeps `body` (with the validators of the response it came from) as the
  // new last good copy, written atomically.
  void keep(const std::string& body, std::int64_t entries, const std::string& downloaded_at) const;

 private:
  std::string name_;
  std::string url_;
  std::filesystem::path body_path_;
  std::filesystem::path meta_path_;
  // What the meta file says about the last good copy.
  struct Meta {
    std::string url, etag, last_modified, downloaded_at;
    std::int64_t entries = 0;
  };
  Meta read_meta() const;
  // Validators of the last 200 response; kept by keep().
  mutable std::string etag_;
  mutable std::string last_modified_;
};

}  // namespace crowdfeed
