// Writing the feeds to the local feeds directory: every format of every
// feed, each replaced atomically, then SHA256SUMS and manifest.json.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "feeds/feed.h"
#include "feeds/manifest.h"

namespace crowdfeed {

// A feed against what the previous hour published.
struct FeedChanges {
  std::string feed;
  std::size_t entries = 0;
  std::vector<std::string> added;    // domains not in the previous feed
  std::vector<std::string> removed;  // domains no longer in the feed
  std::optional<TimePoint> since;    // the previous hour; nullopt: nothing published before

  std::size_t previous_entries() const { return entries - added.size() + removed.size(); }
};

struct PublishReport {
  std::vector<FeedChanges> feeds;
  std::vector<std::string> changed_files;  // rewritten (or, in a dry run, that would be)
  Manifest manifest;                       // what was published (not written in a dry run)
};

// A file keeps its Last-Modified, and so its exact bytes, while its content
// is unchanged; otherwise it gets the run's hour slot (so a second run in the
// same hour writes the same bytes). With `dry_run`, nothing is written and
// the report says what would change.
// `changes` are each feed against the previous hour (malicious, then
// non-malicious); they are also written as NAME.added.txt and
// NAME.removed.txt.
// `published_version` is the newest version published before, when the
// caller knows it from elsewhere than the feeds directory's manifest (the
// archive, when the manifest is lost or damaged): what this run changes
// gets a later one.
PublishReport publish_feeds(const Config& config, const FeedSet& feeds, std::vector<FeedChanges> changes,
                            TimePoint run_time, bool dry_run,
                            std::optional<TimePoint> published_version = std::nullopt);

// What changed in `feed` against the `previous` domains (sorted) of `since`.
FeedChanges compare_feeds(const Feed& feed, const std::vector<std::string>& previous, std::optional<TimePoint> since);

// The domains of a published plain feed (comment and blank lines skipped),
// sorted; empty when the file does not exist.
std::vector<std::string> read_plain_feed(const std::filesystem::path& path);

// The same, from the text of a plain feed.
std::vector<std::string> plain_feed_domains(std::string_view text);

// For tests that publish one hour after another: each feed against the
// plain list in the feeds directory.
inline PublishReport publish_feeds(const Config& config, const FeedSet& feeds, TimePoint run_time, bool dry_run) {
  std::vector<FeedChanges> changes;
  for (const Feed* feed : {&feeds.malicious, &feeds.non_malicious}) {
    changes.push_back(compare_feeds(*feed, read_plain_feed(config.feeds_dir / (feed->name + ".txt")), std::nullopt));
  }
  return publish_feeds(config, feeds, std::move(changes), run_time, dry_run);
}

}  // namespace crowdfeed
