// What the last publish produced, as the pages show it: each feed's
// entries (its plain list, NAME.txt), since which hour each has been
// listed (replayed from the archive's delta lists), the hour's additions
// and removals, and the manifest's version. Read from the feeds directory,
// never computed: a page says what the feeds say.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/settings.h"
#include "indicator/indicator.h"
#include "util/time.h"

namespace crowdfeed {

struct PublishedFeed {
  std::string name;
  IndicatorGroup group = IndicatorGroup::kDomain;
  Verdict verdict = Verdict::kMalicious;
  bool covers_subdomains = false;  // one of its formats applies an entry to its subdomains
  std::int64_t entries = 0;
  // Each entry and the hour it was last added in, when the archive still
  // holds that hour (nullopt: before the oldest archived hour).
  std::unordered_map<std::string, std::optional<TimePoint>> listed;
  std::vector<std::string> added;    // by the newest hour (at most kShownChanges)
  std::vector<std::string> removed;  // likewise
  std::int64_t added_count = 0;
  std::int64_t removed_count = 0;
};

struct PublishedFeeds {
  bool published = false;       // false: nothing is published yet
  TimePoint version{};          // the manifest's version
  TimePoint generated{};        // when its run happened
  std::string manifest_sha256;  // tells one publish from the next
  std::optional<TimePoint> oldest_archived_hour;
  std::vector<PublishedFeed> feeds;  // in the manifest's order

  const PublishedFeed* find(const std::string& name) const;
};

inline constexpr std::size_t kShownChanges = 20;

// Whether one of the feed's formats applies a domain to its subdomains
// (RPZ, Unbound, dnsmasq, AdBlock), so that a listed parent reaches them.
bool covers_subdomains(const FeedSpec& feed);

// The nearest parent of `domain` (not the domain itself) that `listed`
// holds, if any.
std::optional<std::string> listed_parent(std::string_view domain, const std::function<bool(std::string_view)>& listed);

// Reads `feeds_dir` for the configured `feeds`; a feed the manifest does
// not list has no entries. Throws Error when a file is damaged.
PublishedFeeds read_published_feeds(const std::filesystem::path& feeds_dir, const std::vector<FeedSpec>& feeds);

// The SHA-256 of feeds_dir/manifest.json, empty when there is none: what
// tells a reader that a new publish happened.
std::string published_manifest_sha256(const std::filesystem::path& feeds_dir);

}  // namespace crowdfeed
