#include "feeds/header.h"

#include <fmt/format.h>

namespace crowdfeed {

std::vector<HeaderField> feed_header(const Config& config, const Feed& feed, TimePoint last_modified) {
  const FeedSettings& settings = config.feeds;
  const bool malicious = feed.verdict == Verdict::kMalicious;
  std::string description = fmt::format(
      "Domains that community voters voted {} ({}).{}", verdict_name(feed.verdict), describe(config.policy),
      malicious && !config.whitelist.sources.empty() ? " Well-known good domains are kept out by a whitelist." : "");
  return {
      {"Title", fmt::format("{} {}", settings.title, malicious ? "malicious domains" : "non-malicious domains")},
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
