#include "feeds/header.h"

#include <fmt/format.h>

#include <cctype>

namespace crowdfeed {

std::vector<HeaderField> feed_header(const Config& config, const Feed& feed, TimePoint last_modified) {
  const FeedSettings& settings = config.feeds;
  const bool malicious = feed.verdict == Verdict::kMalicious;
  // What the feed holds, in words: "domains", "IP addresses", "file hashes".
  const char* holds = feed.group == IndicatorGroup::kIp     ? "IP addresses"
                      : feed.group == IndicatorGroup::kHash ? "file hashes (MD5, SHA-1, SHA-256)"
                                                            : "domains";
  const char* short_name = feed.group == IndicatorGroup::kIp     ? "IPs"
                           : feed.group == IndicatorGroup::kHash ? "hashes"
                                                                 : "domains";
  std::string description = fmt::format(
      "{}{} that community voters voted {} ({}).{}", static_cast<char>(std::toupper(holds[0])), holds + 1,
      verdict_name(feed.verdict), describe(config.policy),
      malicious && !config.whitelist.sources.empty()
          ? fmt::format(" Well-known good {} are kept out by a whitelist.",
                        feed.group == IndicatorGroup::kDomain ? "domains" : feed.group == IndicatorGroup::kIp ? "addresses" : "hashes")
          : "");
  return {
      {"Title", fmt::format("{} {} {}", settings.title, verdict_name(feed.verdict), short_name)},
      {"Description", std::move(description)},
      {"Licence", fmt::format("{} ({})", settings.licence_name, settings.licence_url)},
      {"Terms", settings.terms},
      {"Homepage", settings.homepage},
      {"Last-Modified", format_iso8601(last_modified)},
      // When the entries last changed, to the minute: it grows with every
      // change, also with a second change within one hour.
      {"Version", format_version(last_modified)},
      {"Update-Interval", settings.update_interval},
      {"Entries", std::to_string(feed.entries.size())},
  };
}

}  // namespace crowdfeed
