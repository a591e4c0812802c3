// Deltas: each feed against the list it replaces. Owns what a delta is
// (FeedChanges), how two lists compare, how a published plain list is read
// back, and which list is the previous one: the published list while it is
// the one its manifest lists, else the archive's (ops/history).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"
#include "util/time.h"

namespace crowdfeed {

// A feed against what the previous hour published.
struct FeedChanges {
  std::string feed;
  std::size_t entries = 0;
  std::vector<std::string> added;    // indicators not in the previous feed
  std::vector<std::string> removed;  // indicators no longer in the feed
  std::optional<TimePoint> since;    // the previous list's version; nullopt: nothing published before

  std::size_t previous_entries() const { return entries - added.size() + removed.size(); }
};

// What changed in `feed` against the `previous` indicators (sorted) of `since`.
FeedChanges compare_feeds(const Feed& feed, const std::vector<std::string>& previous, std::optional<TimePoint> since);

// The indicators of a plain feed's text (comment and blank lines skipped),
// sorted.
std::vector<std::string> plain_feed_entries(std::string_view text);

// The same from a published plain feed; empty when the file does not exist.
std::vector<std::string> read_plain_feed(const std::filesystem::path& path);

// Each feed, in the feed set's order, against the list it replaces: the
// published plain list while it is the one its manifest lists, also within
// the same hour and after a rollback with --force, so that consumers who
// apply deltas drop what this run drops. A rerun in the same hour with
// unchanged entries keeps the published deltas. When the published list is
// not the manifest's (a run killed half-way replaced it), the newest
// archived list up to this hour is the base instead.
std::vector<FeedChanges> changes_since_published(const std::filesystem::path& feeds_dir, const FeedSet& feeds,
                                                 TimePoint hour);

}  // namespace crowdfeed
