// Writing the feeds to the local feeds directory: every format of every
// feed, each replaced atomically, then SHA256SUMS and manifest.json.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "feeds/deltas.h"
#include "feeds/feed.h"
#include "feeds/header.h"
#include "feeds/manifest.h"
#include "feeds/signatures.h"

namespace crowdfeed {

struct PublishReport {
  std::vector<FeedChanges> feeds;
  std::vector<std::string> changed_files;  // rewritten (or, in a dry run, that would be)
  Manifest manifest;                       // what was published (not written in a dry run)
};

// What publishing reads: the feed settings, how the entries were chosen
// (for the headers), where the feeds go and where the ledger of their
// by-hash copies is kept.
struct PublishSettings {
  FeedSettings feeds;
  FeedSelection selection;
  std::filesystem::path feeds_dir;
  std::filesystem::path by_hash_ledger;
};

// A file keeps its Last-Modified, and so its exact bytes, while its content
// is unchanged; otherwise it gets the run's hour slot (so a second run in the
// same hour writes the same bytes). With `dry_run`, nothing is written and
// the report says what would change.
// `changes` are each feed against the previous hour, in the feed set's
// order; they are also written as NAME.added.txt and NAME.removed.txt.
// `published_version` is the newest version published before, when the
// caller knows it from elsewhere than the feeds directory's manifest (the
// archive, when the manifest is lost or damaged): what this run changes
// gets a later one.
// With a `signer`, NAME.minisig follows each file it signs (see
// signed_files()), and signatures no longer current are deleted.
PublishReport publish_feeds(const PublishSettings& settings, const FeedSet& feeds, std::vector<FeedChanges> changes,
                            TimePoint run_time, bool dry_run, std::optional<TimePoint> published_version = std::nullopt,
                            const FeedSigner* signer = nullptr);

// An hour in which nothing the feeds are built from changed: every feed
// file stays as published, without being rendered again. In a new hour the
// delta files say that nothing changed since each list's version and the
// manifest names the hour, as publish_feeds would write them; in the same
// hour nothing is written (and the changes it reports are empty: the
// manifest's delta files say what the hour changed). nullopt when the published manifest does not
// list what the configured feed set needs, or was signed otherwise than
// `signer` signs (then publish_feeds does the work).
std::optional<PublishReport> publish_unchanged(const PublishSettings& settings, TimePoint run_time,
                                               std::optional<TimePoint> published_version,
                                               const FeedSigner* signer = nullptr);

// For tests that publish one hour after another: each feed against the
// plain list in the feeds directory.
inline PublishReport publish_feeds(const PublishSettings& settings, const FeedSet& feeds, TimePoint run_time,
                                   bool dry_run) {
  std::vector<FeedChanges> changes;
  for (const Feed& feed : feeds.feeds) {
    changes.push_back(compare_feeds(feed, read_plain_feed(settings.feeds_dir / (feed.name + ".txt")), std::nullopt));
  }
  return publish_feeds(settings, feeds, std::move(changes), run_time, dry_run);
}

}  // namespace crowdfeed
