#include "feeds/publish.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

#include "feeds/by_hash.h"
#include "feeds/feed_set_files.h"
#include "feeds/formats.h"
#include "feeds/header.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/settings.h"
#include "feeds/signatures.h"
#include "feeds/stix_delta.h"
#include "util/atomic_file.h"
#include "util/csv_line.h"
#include "util/error.h"
#include "util/gzip.h"
#include "util/log.h"
#include "util/parallel.h"
#include "util/safe_path.h"
#include "util/state_file.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// The largest feed file read back whole to check it.
constexpr std::size_t kMaxFileBytes = std::size_t{4} << 30;

// The indicators voted malicious that the whitelist kept out, and why: the
// false positives the whitelist caught, for the operator to review.
std::string render_excluded(const std::vector<Exclusion>& excluded) {
  std::string text = "indicator,type,whitelist_entry,rule,malicious_votes,non_malicious_votes,last_vote_at\n";
  for (const auto& exclusion : excluded) {
    text += fmt::format("{},{},{},{},{},{},{}\n", exclusion.entry.value, type_name(exclusion.entry.type),
                        exclusion.listing.entry, csv_field(exclusion.rule), exclusion.entry.malicious_votes,
                        exclusion.entry.non_malicious_votes, format_iso8601(exclusion.entry.last_vote_at));
  }
  return text;
}

}  // namespace

namespace {

struct Freshness {
  TimePoint last_modified;
  bool unchanged = false;  // the rendering equals the previously published file
};

// The Last-Modified that `format` should give `feed`: the previous one when
// the file rendered with it would be byte-identical to what was published,
// else the run's `revision`.
Freshness freshness_of(const FeedFormat& format, const Feed& feed, const PublishSettings& publishing,
                       const ManifestFile* previous, TimePoint revision) {
  if (previous == nullptr) return {revision, false};
  auto header = feed_header(publishing.feeds, publishing.selection, feed, previous->last_modified, format.syntax());
  HashingOutput rendering;
  format.write(
      {feed, header, publishing.feeds, previous->last_modified, publishing.feeds_dir / by_hash_name(previous->sha256)},
      rendering);
  if (rendering.sha256() != previous->sha256) return {revision, false};
  return {previous->last_modified, true};
}

// Whether the file on disk is the one `published` describes.
bool on_disk(const fs::path& path, const ManifestFile* published) {
  std::error_code error;
  return published != nullptr && fs::file_size(path, error) == published->size && !error &&
         sha256_file_hex(path) == published->sha256;
}

// Whether `feed` is published in the format called `name`.
bool publishes_format(const FeedSettings& settings, const Feed& feed, std::string_view name) {
  auto formats = formats_of(settings, feed);
  return std::any_of(formats.begin(), formats.end(), [&](const FeedFormat* format) { return format->name() == name; });
}

// The by-hash copy of the published file `name`, if the manifest lists one.
std::optional<fs::path> published_copy(const fs::path& directory, const Manifest* previous, const std::string& name) {
  const ManifestFile* file = previous ? previous->find(name) : nullptr;
  if (file == nullptr) return std::nullopt;
  return directory / by_hash_name(file->sha256);
}

// NAME.added.txt and NAME.removed.txt: each feed's changes against the
// list it replaces, as plain lists with the feed's header and the version
// they start from; and, for a feed published in STIX, NAME.delta.stix.json
// (feeds/stix_delta.h). Adds them to `manifest`, and to `changed_files`
// when they changed (or, in a dry run, would).
void write_delta_files(const PublishSettings& publishing, const FeedSet& feeds, const std::vector<FeedChanges>& changes,
                       const Manifest* previous, TimePoint revision, PublishSink& sink, Manifest& manifest,
                       std::vector<std::string>& changed_files) {
  const FeedFormat& plain = *find_feed_format("txt");
  // Writes one delta file, keeping its Last-Modified while its rendering
  // with that time is what was published.
  auto publish_delta = [&](const std::string& name, const Feed& feed, std::string format, std::size_t entries,
                           std::optional<TimePoint> since, const std::function<void(TimePoint, Output&)>& render) {
    const ManifestFile* before = previous ? previous->find(name) : nullptr;
    TimePoint last_modified = revision;
    if (before != nullptr) {
      HashingOutput unchanged;
      render(before->last_modified, unchanged);
      if (unchanged.sha256() == before->sha256) last_modified = before->last_modified;
    }
    std::unique_ptr<SinkFile> file = sink.create(name);
    render(last_modified, *file);
    if (file->commit(before)) changed_files.push_back(name);
    manifest.files.push_back({name, feed.name, std::move(format), file->size(), static_cast<std::int64_t>(entries),
                              file->sha256(), last_modified, since});
  };
  for (const FeedChanges& change : changes) {
    const Feed* found = feeds.find(change.feed);
    if (found == nullptr) throw Error(fmt::format("no feed {:?} for its changes", change.feed));
    const Feed& feed = *found;
    for (const auto& [kind, values] : {std::pair{"added", &change.added}, std::pair{"removed", &change.removed}}) {
      // The plain list's syntax, written from the values themselves: a
      // first publication adds every entry, and a copy of each as a
      // FeedEntry would cost as much memory as the feeds.
      const Feed delta{fmt::format("{}.{}", feed.name, kind), feed.verdict, {}, feed.group};
      auto render = [&, kind = kind, values = values](TimePoint last_modified, Output& out) {
        auto header = feed_header(publishing.feeds, publishing.selection, delta, last_modified, plain.syntax());
        auto entries_field = std::find_if(header.begin(), header.end(),
                                          [](const HeaderField& field) { return field.name == kEntriesField; });
        entries_field->value = std::to_string(values->size());
        header.insert(entries_field, {"Delta", fmt::format("{} since {}", kind,
                                                           change.since ? format_version(*change.since)
                                                                        : "nothing (the first published version)")});
        LineBuffer lines(out);
        write_comment_header({delta, header, publishing.feeds, last_modified}, "#", lines);
        for (const std::string& value : *values) lines.append(value, "\n");
        lines.flush();
      };
      publish_delta(plain.file_name(delta, publishing.feeds), feed, std::string("txt-") + kind, values->size(),
                    change.since, render);
    }
    if (publishes_format(publishing.feeds, feed, "stix")) {
      std::string name = stix_delta_name(feed.name);
      fs::path previous_delta = published_copy(publishing.feeds_dir, previous, name).value_or(fs::path());
      fs::path previous_bundle =
          published_copy(publishing.feeds_dir, previous, find_feed_format("stix")->file_name(feed, publishing.feeds))
              .value_or(fs::path());
      publish_delta(name, feed, "stix-delta", change.added.size() + change.removed.size(), change.since,
                    [&](TimePoint last_modified, Output& out) {
                      write_stix_delta(publishing.feeds, feed, change, previous_delta, previous_bundle, last_modified,
                                       out);
                    });
    }
  }
}

// Whether the by-hash object `object` holds what `file` (of `sha256`) holds:
// the same inode (a hard link), or a regular file with that digest.
bool holds_same(const fs::path& file, const fs::path& object, const std::string& sha256) {
  struct stat object_info {
  }, file_info{};
  if (::lstat(object.c_str(), &object_info) != 0 || !S_ISREG(object_info.st_mode)) return false;
  if (::stat(file.c_str(), &file_info) == 0 && file_info.st_ino == object_info.st_ino &&
      file_info.st_dev == object_info.st_dev) {
    return true;
  }
  try {
    return sha256_hex(read_beneath(object.parent_path(), object.filename().string(), kMaxFileBytes)) == sha256;
  } catch (const Error&) {
    return false;
  }
}

// Gives every file the manifest lists its immutable by-hash name, before the
// manifest that points there is written. An object already there that is
// not what its name says (a link, a folder, other bytes) is replaced.
void link_by_hash(const fs::path& directory, const Manifest& manifest) {
  create_public_directories(directory / kByHashFolder);
  for (const auto& file : manifest.files) {
    fs::path source = directory / file.name;
    fs::path object = directory / by_hash_name(file.sha256);
    if (link_durably(source, object) || holds_same(source, object, file.sha256)) continue;
    log::warning("{} does not hold what its name says; replacing it", object.string());
    std::error_code error;
    if (fs::is_directory(fs::symlink_status(object))) fs::remove_all(object, error);
    relink_durably(source, object);
  }
}

// Deletes the by-hash copies that no manifest has listed for `keep`. When
// a manifest listed each copy is kept in `ledger_path`; a copy it does not
// know of (an interrupted run's) counts from now. `now` is the run time,
// but never later than the wall clock. Only regular files with by-hash
// names are deleted, never one the current manifest lists.
void prune_by_hash(const fs::path& directory, const Manifest& manifest, TimePoint now, std::chrono::hours keep,
                   const fs::path& ledger_path) {
  ByHashLedger ledger;
  read_state_file(ledger_path, [&](const nlohmann::json& json) { ledger = ByHashLedger(json); });
  ledger.listed(manifest, now);
  std::set<std::string> listed;
  for (const auto& file : manifest.files) listed.insert(by_hash_name(file.sha256));
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory / kByHashFolder, error)) {
    std::string name = by_hash_name(entry.path().filename().string());
    if (entry.is_regular_file() && !entry.is_symlink() && is_by_hash_name(name)) ledger.found(name, now);
  }
  for (const auto& name : ledger.expired(now, keep)) {
    try {
      if (!listed.contains(name)) remove_beneath(directory, name);
    } catch (const Error& refused) {
      // Not crowdfeed's file (a folder, say): reported, left alone, forgotten.
      log::warning("not pruning {}: {}", name, refused.what());
    }
    ledger.forget(name);
  }
  write_state_file(ledger_path, ledger.to_json());
}

// Checked before anything is written: two files of one run never share a
// name, nor take one of the layout's own names, nor leave the directory;
// one would silently replace the other.
void check_file_names(const FeedSettings& settings, const FeedSet& feeds) {
  std::set<std::string> names = {std::string(kManifestName), std::string(kChecksumsName), std::string(kExcludedName),
                                 std::string(kIndexPageName)};
  auto add = [&](const std::string& name) {
    // Plain names, and names in the folders of feed sets that must have a
    // manifest.json of their own (a MISP feed).
    bool in_folder = name.starts_with(kMispFolder) && name.find('/', kMispFolder.size()) == std::string::npos;
    if (std::string problem = relative_name_problem(name);
        !problem.empty() || (name.find('/') != std::string::npos && !in_folder)) {
      throw Error(fmt::format("refusing to publish a file named {}: not a plain file name", quote_text(name)));
    }
    if (!names.insert(name).second) {
      throw Error(fmt::format("two published files would be named {}; rename a feed", name));
    }
  };
  const FeedFormat& plain = *find_feed_format("txt");
  for (const Feed& feed : feeds.feeds) {
    for (const FeedFormat* format : formats_of(settings, feed)) {
      add(format->file_name(feed, settings));
      if (settings.gzip) add(format->file_name(feed, settings) + ".gz");
    }
    for (const char* kind : {"added", "removed"}) {
      add(plain.file_name(Feed{fmt::format("{}.{}", feed.name, kind), feed.verdict, {}}, settings));
    }
    if (publishes_format(settings, feed, "stix")) add(stix_delta_name(feed.name));
  }
  for (const std::string& name : feed_set_file_names(settings, feeds)) add(name);
}

std::optional<ManifestSigning> signing_of(const FeedSigner* signer) {
  if (signer == nullptr) return std::nullopt;
  return signer->manifest_signing();
}

// The Last-Modified of what this run changes: the start of its hour, or a
// minute after the newest version published when that is later (a second
// change in the same hour, a correction after --force), so that versions
// and RPZ serials always grow.
TimePoint revision_time(TimePoint hour, const std::optional<Manifest>& previous,
                        std::optional<TimePoint> published_version) {
  if (previous) published_version = std::max(published_version.value_or(previous->version()), previous->version());
  if (!published_version) return hour;
  TimePoint next_minute = std::chrono::floor<std::chrono::minutes>(*published_version) + std::chrono::minutes(1);
  return std::max(hour, next_minute);
}

// What writing one format of one feed (and its .gz copy) did.
struct PublishedFile {
  std::vector<ManifestFile> entries;
  std::vector<std::string> changed;  // rewritten (or, in a dry run, that would be)
};

// Writes `format` of `feed` and its .gz copy, unless they are unchanged and
// intact. Safe to run beside other calls for other files.
PublishedFile publish_file(const PublishSettings& publishing, const Feed& whole_feed, const FeedFormat& format,
                           const Manifest* previous, TimePoint revision, PublishSink& sink) {
  const fs::path& directory = publishing.feeds_dir;
  std::optional<Feed> selected = format.selection(whole_feed);
  const Feed& feed = selected ? *selected : whole_feed;
  PublishedFile published;
  std::string name = format.file_name(feed, publishing.feeds);
  const ManifestFile* before = previous ? previous->find(name) : nullptr;
  // A file listing another number of entries cannot be unchanged: no need
  // to render it once more to find out.
  bool other_count = before != nullptr && before->entries != static_cast<std::int64_t>(feed.entries.size());
  // A file whose content says until when it holds is versioned anew once
  // it is old enough.
  bool due = before != nullptr && format.refresh_after() && revision - before->last_modified >= *format.refresh_after();
  Freshness freshness =
      other_count || due ? Freshness{revision, false} : freshness_of(format, feed, publishing, before, revision);
  TimePoint last_modified = freshness.last_modified;
  auto header = feed_header(publishing.feeds, publishing.selection, feed, last_modified, format.syntax());
  FeedDocument document{feed, header, publishing.feeds, last_modified,
                        before ? directory / by_hash_name(before->sha256) : fs::path()};
  auto entries = static_cast<std::int64_t>(feed.entries.size());
  std::string format_name(format.name());
  // An unchanged file whose published copies are current is left alone,
  // without rendering or compressing it again (the sink says whether the
  // copies on disk must prove it).
  const ManifestFile* before_compressed = previous ? previous->find(name + ".gz") : nullptr;
  auto current = [&](const std::string& file_name, const ManifestFile* listed) {
    return listed != nullptr && (!sink.checks_files_on_disk() || on_disk(directory / file_name, listed));
  };
  // A copy compressed at another level than the one asked for now is not.
  bool same_level = previous != nullptr && previous->gzip == publishing.feeds.gzip;
  if (freshness.unchanged && current(name, before) &&
      (!publishing.feeds.gzip || (same_level && current(name + ".gz", before_compressed)))) {
    published.entries.push_back(*before);
    if (publishing.feeds.gzip) published.entries.push_back(*before_compressed);
    return published;
  }
  // One pass writes the file and its .gz copy, hashing both.
  std::unique_ptr<SinkFile> file = sink.create(name);
  std::unique_ptr<SinkFile> compressed_file;
  std::optional<GzipOutput> compressed;
  std::optional<TeeOutput> both;
  if (publishing.feeds.gzip) {
    compressed_file = sink.create(name + ".gz");
    compressed.emplace(*compressed_file, *publishing.feeds.gzip);
    both.emplace(*file, *compressed);
  }
  format.write(document, both ? static_cast<Output&>(*both) : *file);
  if (file->commit(before)) published.changed.push_back(name);
  published.entries.push_back({name, feed.name, format_name, file->size(), entries, file->sha256(), last_modified});
  if (compressed) {
    compressed->finish();
    // Same input, same bytes: an unchanged file's copy stays untouched.
    if (compressed_file->commit(before_compressed)) published.changed.push_back(name + ".gz");
    published.entries.push_back({name + ".gz", feed.name, format_name + "+gzip", compressed_file->size(), entries,
                                 compressed_file->sha256(), last_modified});
  }
  return published;
}

// Deletes the signatures in `directory` that `manifest` does not come
// with: those of files no longer published, or all of them once signing
// stops, so that none is left that no longer matches its file. Returns
// their names.
std::vector<std::string> remove_stale_signatures(const fs::path& directory, const Manifest& manifest) {
  std::vector<std::string> removed;
  std::set<std::string> current;
  for (const SignedFile& file : signed_files(manifest)) current.insert(file.signature);
  // The feeds directory and the MISP feed's folder: where signed files are.
  for (std::string_view folder : {std::string_view(), kMispFolder}) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory / folder, error)) {
      std::string name = std::string(folder) + entry.path().filename().string();
      if (!name.ends_with(kSignatureSuffix) || entry.path().filename().string().starts_with('.') ||
          current.contains(name)) {
        continue;
      }
      if (!entry.is_regular_file() || entry.is_symlink()) continue;
      remove_beneath(directory, name);
      removed.push_back(std::move(name));
    }
  }
  return removed;
}

// Written last: a reader who finds a manifest finds every file it lists,
// and each signature is written after the file it signs.
void finish_publication(const PublishSettings& publishing, const Manifest& manifest, TimePoint run_time,
                        std::vector<std::string>& changed_files, const FeedSigner* signer) {
  const fs::path& directory = publishing.feeds_dir;
  link_by_hash(directory, manifest);
  auto sign = [&](const std::string& name) {
    if (signer == nullptr || !is_signed(manifest, name)) return;
    if (signer->sign(directory, name, expected_facts(manifest, publishing.feeds.title, name))) {
      changed_files.push_back(signature_name(name));
    }
  };
  for (const auto& file : manifest.files) sign(file.name);
  if (write_file_atomically(directory / kChecksumsName, render_sha256sums(manifest))) {
    changed_files.emplace_back(kChecksumsName);
  }
  sign(std::string(kChecksumsName));
  write_file_atomically(directory / kManifestName, render_manifest(manifest));
  sign(std::string(kManifestName));
  for (auto& removed : remove_stale_signatures(directory, manifest)) changed_files.push_back(std::move(removed));
  prune_by_hash(directory, manifest, std::min(run_time, now_utc()),
                std::chrono::hours(publishing.feeds.by_hash_keep_hours), publishing.by_hash_ledger);
}

// A file of the feeds directory: replaced atomically, and changed when its
// bytes differ from the copy on disk.
class DirectoryFile final : public SinkFile {
 public:
  explicit DirectoryFile(fs::path path) : file_(std::move(path)) {}
  void write(std::string_view bytes) override { file_.write(bytes); }
  bool commit(const ManifestFile*) override { return file_.commit(); }
  std::uint64_t size() const override { return file_.size(); }
  std::string sha256() const override { return file_.sha256(); }

 private:
  AtomicFile file_;
};

class FeedsDirectorySink final : public PublishSink {
 public:
  FeedsDirectorySink(const PublishSettings& settings, const FeedSigner* signer)
      : settings_(settings), signer_(signer) {}

  void prepare() override {
    try {
      create_public_directories(settings_.feeds_dir);
    } catch (const fs::filesystem_error& failure) {
      throw Error(
          fmt::format("cannot create feeds directory {}: {}", settings_.feeds_dir.string(), failure.code().message()));
    }
  }
  std::unique_ptr<SinkFile> create(const std::string& name) override {
    fs::path path = settings_.feeds_dir / name;
    if (name.find('/') != std::string::npos) create_public_directories(path.parent_path());
    return std::make_unique<DirectoryFile>(std::move(path));
  }
  bool checks_files_on_disk() const override { return true; }
  const FeedSigner* signer() const override { return signer_; }
  void finish(const Manifest& manifest, TimePoint run_time, std::vector<std::string>& changed_files) override {
    finish_publication(settings_, manifest, run_time, changed_files, signer_);
  }

 private:
  const PublishSettings& settings_;
  const FeedSigner* signer_;
};

// A file of a dry run: only hashed, and changed when its digest differs
// from the published manifest's.
class DryRunFile final : public SinkFile {
 public:
  void write(std::string_view bytes) override { hashing_.write(bytes); }
  bool commit(const ManifestFile* before) override {
    sha256_ = hashing_.sha256();
    return before == nullptr || before->sha256 != sha256_;
  }
  std::uint64_t size() const override { return hashing_.size(); }
  std::string sha256() const override { return sha256_; }

 private:
  HashingOutput hashing_;
  std::string sha256_;
};

class DryRunSink final : public PublishSink {
 public:
  void prepare() override {}
  std::unique_ptr<SinkFile> create(const std::string&) override { return std::make_unique<DryRunFile>(); }
  bool checks_files_on_disk() const override { return false; }
  const FeedSigner* signer() const override { return nullptr; }
  void finish(const Manifest&, TimePoint, std::vector<std::string>&) override {}
};

}  // namespace

std::unique_ptr<PublishSink> feeds_directory_sink(const PublishSettings& settings, const FeedSigner* signer) {
  return std::make_unique<FeedsDirectorySink>(settings, signer);
}

std::unique_ptr<PublishSink> dry_run_sink() {
  return std::make_unique<DryRunSink>();
}

PublishReport publish_feeds(const PublishSettings& publishing, const FeedSet& feeds, std::vector<FeedChanges> changes,
                            TimePoint run_time, PublishSink& sink, std::optional<TimePoint> published_version) {
  const fs::path& directory = publishing.feeds_dir;
  sink.prepare();
  std::optional<Manifest> previous = read_manifest(directory / kManifestName);

  PublishReport report{std::move(changes), {}, {}};
  Manifest manifest{run_time, floor_to_hour(run_time), {}, signing_of(sink.signer()), publishing.feeds.gzip};
  const TimePoint revision = revision_time(manifest.hour, previous, published_version);
  check_file_names(publishing.feeds, feeds);
  // Every format of every feed is an independent file (and its .gz copy):
  // rendered and compressed on every core, gathered in the feed set's order.
  std::vector<std::pair<const Feed*, const FeedFormat*>> jobs;
  for (const Feed& feed : feeds.feeds) {
    for (const FeedFormat* format : formats_of(publishing.feeds, feed)) jobs.emplace_back(&feed, format);
  }
  const Manifest* before = previous ? &*previous : nullptr;
  unsigned threads = publishing.feeds.threads > 0 ? static_cast<unsigned>(publishing.feeds.threads) : worker_threads();
  std::vector<PublishedFile> files = run_in_parallel<PublishedFile>(jobs.size(), threads, [&](std::size_t i) {
    return publish_file(publishing, *jobs[i].first, *jobs[i].second, before, revision, sink);
  });
  for (PublishedFile& file : files) {
    for (auto& entry : file.entries) manifest.files.push_back(std::move(entry));
    for (auto& name : file.changed) report.changed_files.push_back(std::move(name));
  }

  write_delta_files(publishing, feeds, report.feeds, previous ? &*previous : nullptr, revision, sink, manifest,
                    report.changed_files);

  std::string excluded = render_excluded(feeds.excluded);
  std::string excluded_sha256 = sha256_hex(excluded);
  const ManifestFile* excluded_before = previous ? previous->find(kExcludedName) : nullptr;
  bool excluded_changed = !excluded_before || excluded_before->sha256 != excluded_sha256;
  manifest.files.push_back({std::string(kExcludedName), "excluded-domains", "csv", excluded.size(),
                            static_cast<std::int64_t>(feeds.excluded.size()), excluded_sha256,
                            excluded_changed ? revision : excluded_before->last_modified});
  std::unique_ptr<SinkFile> excluded_file = sink.create(std::string(kExcludedName));
  excluded_file->write(excluded);
  if (excluded_file->commit(excluded_before)) report.changed_files.emplace_back(kExcludedName);

  // The files of the whole set, once the feeds' own are in the manifest.
  for (FeedSetFile& file : render_feed_set_files(publishing.feeds, publishing.selection, feeds, manifest.files)) {
    const ManifestFile* file_before = previous ? previous->find(file.name) : nullptr;
    std::string sha256 = sha256_hex(file.content);
    bool changed = file_before == nullptr || file_before->sha256 != sha256;
    std::unique_ptr<SinkFile> written = sink.create(file.name);
    written->write(file.content);
    if (written->commit(file_before)) report.changed_files.push_back(file.name);
    manifest.files.push_back({file.name, file.group, std::move(file.format), file.content.size(), file.entries, sha256,
                              changed ? revision : file_before->last_modified});
  }

  sink.finish(manifest, run_time, report.changed_files);
  report.manifest = std::move(manifest);
  return report;
}

std::optional<PublishReport> publish_unchanged(const PublishSettings& publishing, TimePoint run_time,
                                               std::optional<TimePoint> published_version, const FeedSigner* signer) {
  const fs::path& directory = publishing.feeds_dir;
  std::optional<Manifest> previous = read_manifest(directory / kManifestName);
  // Signed or compressed otherwise than now: everything is signed or
  // compressed again.
  if (!previous || previous->signing != signing_of(signer) || previous->gzip != publishing.feeds.gzip) {
    return std::nullopt;
  }
  Manifest manifest{run_time, floor_to_hour(run_time), {}, signing_of(signer), publishing.feeds.gzip};
  // A file due to be versioned anew (see FeedFormat::refresh_after): the
  // whole run does the work.
  for (const ManifestFile& file : previous->files) {
    const FeedFormat* format = find_feed_format(file.format);
    if (format != nullptr && format->refresh_after() &&
        manifest.hour - file.last_modified >= *format->refresh_after()) {
      return std::nullopt;
    }
  }
  PublishReport report;
  // Each feed against its published list, which it still is: nothing added
  // or removed since the list's version. A rerun in the same hour keeps the
  // hour's deltas, as publish_feeds does.
  FeedSet feeds;
  const FeedFormat& plain = *find_feed_format("txt");
  std::set<std::string> delta_names;
  for (const FeedSpec& spec : feed_set(publishing.feeds)) {
    const ManifestFile* list = previous->find(spec.name + ".txt");
    if (list == nullptr) return std::nullopt;
    feeds.feeds.push_back({spec.name, spec.verdict, {}, spec.group});
    std::optional<TimePoint> since = list->last_modified;
    if (previous->hour == manifest.hour) {
      const ManifestFile* added = previous->find(spec.name + ".added.txt");
      if (added == nullptr) return std::nullopt;
      since = added->since;
    }
    report.feeds.push_back({spec.name, static_cast<std::size_t>(list->entries), {}, {}, since});
    for (const char* kind : {"added", "removed"}) {
      delta_names.insert(
          plain.file_name(Feed{fmt::format("{}.{}", spec.name, kind), spec.verdict, {}}, publishing.feeds));
    }
    delta_names.insert(stix_delta_name(spec.name));
  }
  for (const ManifestFile& file : previous->files) {
    if (!delta_names.contains(file.name) && file.name != kExcludedName) manifest.files.push_back(file);
  }
  if (previous->hour == manifest.hour) {
    // The hour's files are all in place, its deltas as published.
    prune_by_hash(directory, *previous, std::min(run_time, now_utc()),
                  std::chrono::hours(publishing.feeds.by_hash_keep_hours), publishing.by_hash_ledger);
    report.manifest = *previous;
    return report;
  }
  const TimePoint revision = revision_time(manifest.hour, previous, published_version);
  std::unique_ptr<PublishSink> sink = feeds_directory_sink(publishing, signer);
  write_delta_files(publishing, feeds, report.feeds, &*previous, revision, *sink, manifest, report.changed_files);
  const ManifestFile* excluded = previous->find(kExcludedName);
  if (excluded == nullptr) return std::nullopt;
  manifest.files.push_back(*excluded);
  sink->finish(manifest, run_time, report.changed_files);
  report.manifest = std::move(manifest);
  return report;
}

}  // namespace crowdfeed
