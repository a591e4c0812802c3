#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <string_view>
#include <utility>

#include "publish/destination.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

using Factory = std::unique_ptr<Destination> (*)(const DestinationSettings&);

// The table of backends: a new scheme is one file and one line here.
constexpr std::pair<std::string_view, Factory> kBackends[] = {
    {"file", make_file_destination}, {"http", make_http_destination}, {"https", make_http_destination},
    {"s3", make_s3_destination},     {"sftp", make_sftp_destination},
};

}  // namespace

std::unique_ptr<Destination> make_destination(const DestinationSettings& settings) {
  std::string_view url = settings.url;
  auto colon = url.find("://");
  std::string_view scheme = colon == std::string_view::npos ? "" : url.substr(0, colon);
  for (const auto& [name, factory] : kBackends) {
    if (name == scheme) return factory(settings);
  }
  throw UsageError(fmt::format("destination {:?}: unsupported URL {}; use file://, http://, https://, s3:// or sftp://",
                               settings.name, redact_url(settings.url)));
}

long Destination::request_timeout_ms(int timeout_seconds) const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  if (deadline_ != Clock::time_point::max() && left.count() <= 0) {
    throw TransientUploadError("out of time: upload.max_seconds for this destination has passed");
  }
  long timeout = static_cast<long>(timeout_seconds) * 1000;
  if (deadline_ != Clock::time_point::max() && left.count() < timeout) timeout = static_cast<long>(left.count());
  return timeout;
}

FileDescriptor open_upload_source(const UploadFile& file) {
  FileDescriptor source;
  try {
    source = open_beneath(file.directory, file.name);
  } catch (const Error& error) {
    throw PermanentUploadError(error.what());
  }
  if (!is_public_file(source.get())) {
    throw PermanentUploadError(
        fmt::format("refusing to upload {}: others may not read it (a private file is nobody's "
                    "feed)",
                    (file.directory / file.name).string()));
  }
  return source;
}

std::string url_path(const std::string& name) {
  std::string path;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  std::string_view rest = name;
  while (true) {
    auto slash = rest.find('/');
    std::string component(rest.substr(0, slash));
    std::unique_ptr<char, decltype(&curl_free)> escaped(
        curl_easy_escape(curl.get(), component.c_str(), static_cast<int>(component.size())), &curl_free);
    if (!escaped) throw Error("cannot initialise libcurl");
    path += escaped.get();
    if (slash == std::string_view::npos) break;
    path += '/';
    rest.remove_prefix(slash + 1);
  }
  return path;
}

std::string redact_url(const std::string& url) {
  std::string redacted = url;
  auto start = redacted.find("://");
  if (start != std::string::npos) {
    start += 3;
    auto end = redacted.find_first_of("/?#", start);
    auto at = redacted.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at >= start) redacted.replace(start, at - start, "REDACTED");
  }
  if (auto query = redacted.find('?'); query != std::string::npos)
    redacted.replace(query, std::string::npos, "?REDACTED");
  return redacted;
}

}  // namespace crowdfeed
