// Writing the feeds to the local feeds directory: every format of every
// feed, each replaced atomically, then SHA256SUMS and manifest.json.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "feeds/deltas.h"
#include "feeds/feed.h"
#include "feeds/header.h"
#include "feeds/manifest.h"
#include "feeds/signatures.h"
#include "util/output.h"

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

// One file of a publication as it is written into a sink.
class SinkFile : public Output {
 public:
  // Ends the file and says whether it differs from `before`, its entry in
  // the published manifest (nullptr: it was not published).
  virtual bool commit(const ManifestFile* before) = 0;
  virtual std::uint64_t size() const = 0;
  // Valid after commit().
  virtual std::string sha256() const = 0;
};

// Where publish_feeds puts what it renders: the feeds directory, or, in a
// dry run, nowhere (each file is rendered and hashed, and counted as
// changed when its digest differs from the published manifest's). The run
// is the same either way; only the sink differs, as a build tool
// substitutes its command runner for a dry run.
class PublishSink {
 public:
  virtual ~PublishSink() = default;
  // Before the first file.
  virtual void prepare() = 0;
  // An output for the file `name` of the feeds directory.
  virtual std::unique_ptr<SinkFile> create(const std::string& name) = 0;
  // Whether a file whose content is unchanged is kept only when its copy on
  // disk is intact (the feeds directory: a damaged copy is written again);
  // a dry run writes nothing, so an unchanged file is one it would not
  // change.
  virtual bool checks_files_on_disk() const = 0;
  // Who signs what is published (nullptr: nobody); the manifest names it.
  virtual const FeedSigner* signer() const = 0;
  // After the last file: by-hash copies, signatures, SHA256SUMS and the
  // manifest, which vouches for the rest; appends what it changed.
  virtual void finish(const Manifest& manifest, TimePoint run_time, std::vector<std::string>& changed_files) = 0;
};

// The feeds directory of `settings`, files signed by `signer` if any.
std::unique_ptr<PublishSink> feeds_directory_sink(const PublishSettings& settings, const FeedSigner* signer);

// A dry run: nothing is written.
std::unique_ptr<PublishSink> dry_run_sink();

// A file keeps its Last-Modified, and so its exact bytes, while its content
// is unchanged; otherwise it gets the run's hour slot (so a second run in the
// same hour writes the same bytes). Everything goes into `sink`: the feeds
// directory, or a dry run's, which writes nothing and lets the report say
// what would change.
// `changes` are each feed against the previous hour, in the feed set's
// order; they are also written as NAME.added.txt and NAME.removed.txt.
// `published_version` is the newest version published before, when the
// caller knows it from elsewhere than the feeds directory's manifest (the
// archive, when the manifest is lost or damaged): what this run changes
// gets a later one.
// With the sink's signer, NAME.minisig follows each file it signs (see
// signed_files()), and signatures no longer current are deleted.
PublishReport publish_feeds(const PublishSettings& settings, const FeedSet& feeds, std::vector<FeedChanges> changes,
                            TimePoint run_time, PublishSink& sink,
                            std::optional<TimePoint> published_version = std::nullopt);

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
// plain list in the feeds directory, into `sink` (the feeds directory
// unsigned when none is given).
inline PublishReport publish_feeds(const PublishSettings& settings, const FeedSet& feeds, TimePoint run_time,
                                   PublishSink* sink = nullptr) {
  std::vector<FeedChanges> changes;
  for (const Feed& feed : feeds.feeds) {
    changes.push_back(compare_feeds(feed, read_plain_feed(settings.feeds_dir / (feed.name + ".txt")), std::nullopt));
  }
  std::unique_ptr<PublishSink> directory = sink ? nullptr : feeds_directory_sink(settings, nullptr);
  return publish_feeds(settings, feeds, std::move(changes), run_time, sink ? *sink : *directory);
}

}  // namespace crowdfeed
