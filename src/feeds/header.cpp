#include "feeds/header.h"

#include <fmt/format.h>

namespace crowdfeed {

namespace {

// How a header speaks of what a feed holds.
struct GroupWords {
  const char* described;  // "Domains that community voters voted ..."
  const char* titled;     // "crowdfeed malicious domains"
  const char* kept_out;   // "Well-known good domains are kept out ..."
};

GroupWords words_for(IndicatorGroup group) {
  switch (group) {
    case IndicatorGroup::kIp:
      return {"IP addresses", "IPs", "addresses"};
    case IndicatorGroup::kHash:
      return {"File hashes (MD5, SHA-1, SHA-256)", "hashes", "hashes"};
    case IndicatorGroup::kDomain:
      break;
  }
  return {"Domains", "domains", "domains"};
}

}  // namespace

std::vector<HeaderField> feed_header(const Config& config, const Feed& feed, TimePoint last_modified) {
  const FeedSettings& settings = config.feeds;
  const bool malicious = feed.verdict == Verdict::kMalicious;
  const GroupWords words = words_for(feed.group);
  std::string description =
      fmt::format("{} that community voters voted {} ({}).{}", words.described, verdict_name(feed.verdict),
                  describe(config.policy),
                  malicious && !config.whitelist.sources.empty()
                      ? fmt::format(" Well-known good {} are kept out by a whitelist.", words.kept_out)
                      : "");
  return {
      {"Title", fmt::format("{} {} {}", settings.title, verdict_name(feed.verdict), words.titled)},
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
