#include "feeds/header.h"

#include <fmt/format.h>

#include <charconv>
#include <memory>

#include "indicator/domain.h"
#include "util/error.h"
#include "util/url.h"

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

std::vector<HeaderField> feed_header(const FeedSettings& settings, const FeedSelection& selection, const Feed& feed,
                                     TimePoint last_modified, std::string_view syntax) {
  const bool malicious = feed.verdict == Verdict::kMalicious;
  const GroupWords words = words_for(feed.group);
  std::string description = fmt::format(
      "{} that community voters voted {} ({}).{}", words.described, verdict_name(feed.verdict), selection.policy,
      malicious && selection.whitelisted
          ? fmt::format(" Well-known good {} are kept out by a whitelist.", words.kept_out)
          : "");
  const std::string& report = settings.report_url.empty() ? settings.homepage : settings.report_url;
  return {
      {"Title", fmt::format("{} {} {}", settings.title, verdict_name(feed.verdict), words.titled)},
      {"Description", std::move(description)},
      {"Homepage", settings.homepage},
      {"License", fmt::format("{} ({})", settings.licence_url, settings.licence_name)},
      {"Terms", settings.terms},
      {"False positives", fmt::format("report at {}", report)},
      {"Expires", settings.update_interval},
      {"Last modified", format_iso8601(last_modified)},
      // When the entries last changed, to the minute: it grows with every
      // change, also with a second change within one hour.
      {"Version", format_version(last_modified)},
      {"Syntax", std::string(syntax)},
      {std::string(kEntriesField), std::to_string(feed.entries.size())},
  };
}

std::optional<int> expires_hours(std::string_view interval) {
  auto space = interval.find(' ');
  if (space == std::string_view::npos || space == 0 || space > 4) return std::nullopt;
  int count = 0;
  auto [end, error] = std::from_chars(interval.data(), interval.data() + space, count);
  if (error != std::errc() || end != interval.data() + space || count < 1 || interval[0] == '0') return std::nullopt;
  std::string_view unit = interval.substr(space + 1);
  if (unit == "hour" || unit == "hours") return count;
  if (unit == "day" || unit == "days") return count * 24;
  return std::nullopt;
}

std::optional<std::string> rpz_test_base(const FeedSettings& settings) {
  if (settings.rpz_test_domain == "none") return std::nullopt;
  std::string source = settings.rpz_test_domain.empty()
                           ? fmt::format("the homepage's host name (feeds.homepage {:?})", settings.homepage)
                           : fmt::format("feeds.rpz_test_domain {:?}", settings.rpz_test_domain);
  std::string domain = settings.rpz_test_domain.empty() ? url_host(settings.homepage) : settings.rpz_test_domain;
  auto refuse = [&](std::string_view why) {
    return UsageError(
        fmt::format("{} cannot hold the RPZ test entries: {}; set feeds.rpz_test_domain to a domain "
                    "you control, or to \"none\"",
                    source, why));
  };
  NormalisedDomain normalised = normalise_domain(domain);
  if (!normalised.ok()) throw refuse(normalised.problem);
  // Names resolvers answer themselves (Unbound serves these zones
  // locally), so a test entry under them would prove nothing.
  for (std::string_view reserved : {"test", "invalid", "localhost", "local", "onion", "arpa"}) {
    std::string_view name = normalised.domain;
    if (name == reserved || (name.ends_with(reserved) && name[name.size() - reserved.size() - 1] == '.')) {
      throw refuse(fmt::format("names under {}. are answered by resolvers themselves", reserved));
    }
  }
  return normalised.domain;
}

std::string rpz_test_name(std::string_view base, std::string_view feed_name) {
  return fmt::format("{}.rpz-test.{}", feed_name, base);
}

}  // namespace crowdfeed
