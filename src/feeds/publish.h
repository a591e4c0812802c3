// Writing the feeds to the local feeds directory: every format of every
// feed, each replaced atomically, then SHA256SUMS and manifest.json.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "feeds/feed.h"

namespace crowdfeed {

struct FeedChanges {
  std::string feed;
  std::size_t entries = 0;
  std::vector<std::string> added;    // domains not in the previous feed
  std::vector<std::string> removed;  // domains no longer in the feed

  std::size_t previous_entries() const { return entries - added.size() + removed.size(); }
};

struct PublishReport {
  std::vector<FeedChanges> feeds;
  std::vector<std::string> changed_files;  // rewritten (or, in a dry run, that would be)
};

// A file keeps its Last-Modified, and so its exact bytes, while its content
// is unchanged; otherwise it gets the run's hour slot (so a second run in the
// same hour writes the same bytes). With `dry_run`, nothing is written and
// the report says what would change.
// `changes` are changes_since_published() for these feeds; the caller reads
// them first when it needs them before publishing (the guards do).
PublishReport publish_feeds(const Config& config, const FeedSet& feeds, std::vector<FeedChanges> changes,
                            TimePoint run_time, bool dry_run);

// Each feed against its published plain list, in the order malicious,
// non-malicious. Reads each previous list once.
std::vector<FeedChanges> changes_since_published(const Config& config, const FeedSet& feeds);

inline PublishReport publish_feeds(const Config& config, const FeedSet& feeds, TimePoint run_time, bool dry_run) {
  return publish_feeds(config, feeds, changes_since_published(config, feeds), run_time, dry_run);
}

// The domains of a published plain feed (comment and blank lines skipped),
// sorted; empty when the file does not exist.
std::vector<std::string> read_plain_feed(const std::filesystem::path& path);

}  // namespace crowdfeed
