#include <fmt/format.h>

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
