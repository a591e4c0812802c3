// Static hosting that the feeds are uploaded to. Each URL scheme is a
// backend behind this interface, one file each (destination_*.cpp), all
// registered in the table in destinations.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "util/error.h"
#include "util/safe_path.h"

namespace crowdfeed {

// One file to upload, with what the upload needs to say about it.
struct UploadFile {
  std::string name;  // the path under the destination, e.g. "malicious-domains.txt"
  // The local folder that holds the file under the same relative name; it
  // is opened with open_upload_source(), which follows no symbolic link.
  std::filesystem::path directory;
  std::uint64_t size = 0;
  std::string sha256;  // lower-case hex
  std::string content_type;
  std::string cache_control;
};

// A failure worth retrying: a connection error, a timeout, 429 or 5xx.
class TransientUploadError : public Error {
 public:
  using Error::Error;
};

// A failure that retrying will not mend: 4xx other than 429, bad
// credentials, a local file that cannot be read.
class PermanentUploadError : public Error {
 public:
  using Error::Error;
};

// Secrets for one destination, from the environment or the credentials file.
struct Credentials {
  std::string username;
  std::string password;
  std::string token;  // a bearer token for HTTP
};

struct DestinationSettings {
  std::string name;                            // how logs and the state directory call it
  std::string url;                             // scheme://... ; never holds a secret
  std::map<std::string, std::string> options;  // backend options (endpoint, region, auth, key)
  Credentials credentials;
  int timeout_seconds = 60;

  // The backend option `key`, or "" when it is not set.
  std::string option(const std::string& key) const {
    auto found = options.find(key);
    return found == options.end() ? "" : found->second;
  }
};

class Destination {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~Destination() = default;

  // The time by which every request must be over (upload.max_seconds for
  // the whole destination): each request's timeout is cut to what remains.
  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }

  // Uploads `file` so that it appears complete or not at all under its name.
  // Throws TransientUploadError or PermanentUploadError; the messages never
  // hold a secret.
  virtual void put(const UploadFile& file) = 0;
  // The size of what the destination holds under `name`, or nullopt when it
  // holds nothing there. Throws like put().
  virtual std::optional<std::uint64_t> size_of(const std::string& name) = 0;
  // Deletes `name`; a name that is not there is no error. Throws like put().
  virtual void remove(const std::string& name) = 0;

 protected:
  // How long the next request may take, in milliseconds: `timeout_seconds`,
  // or what is left before the deadline. Throws TransientUploadError once
  // the deadline has passed.
  long request_timeout_ms(int timeout_seconds) const;

 private:
  Clock::time_point deadline_ = Clock::time_point::max();
};

// Opens `file` for reading: its name beneath its directory, following no
// symbolic link. Throws PermanentUploadError when it cannot.
FileDescriptor open_upload_source(const UploadFile& file);

// `name` ("archive/2026/11/27/21/a b.txt") as a URL path: each component
// percent-encoded, the slashes kept.
std::string url_path(const std::string& name);

// The backend for `settings.url`'s scheme; throws UsageError for an unknown
// scheme or a missing option.
std::unique_ptr<Destination> make_destination(const DestinationSettings& settings);

// Factories, one per backend file.
std::unique_ptr<Destination> make_file_destination(const DestinationSettings& settings);  // destination_file.cpp
std::unique_ptr<Destination> make_http_destination(const DestinationSettings& settings);  // destination_http.cpp
std::unique_ptr<Destination> make_s3_destination(const DestinationSettings& settings);    // destination_s3.cpp
std::unique_ptr<Destination> make_sftp_destination(const DestinationSettings& settings);  // destination_sftp.cpp

// Where an s3://BUCKET/PREFIX destination's objects go: the endpoint (AWS's
// regional one by default) with the bucket in the path or in the host name,
// then the prefix, ending in '/'. Throws UsageError for a missing bucket or
// region or an unknown addressing style.
std::string s3_prefix_url(const DestinationSettings& settings);

// `url` with any user info and query replaced, for logs and errors.
std::string redact_url(const std::string& url);

}  // namespace crowdfeed
