// crowdfeed publish: one run of the hourly job.
#include "feeds/publish.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <set>

#include "cli/commands.h"
#include "cli/settings.h"
#include "community/allow_list.h"
#include "community/corrections.h"
#include "config/state_layout.h"
#include "feeds/build.h"
#include "feeds/deltas.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/settings.h"
#include "ops/guards.h"
#include "ops/history.h"
#include "ops/index_page.h"
#include "ops/last_inputs.h"
#include "ops/lock.h"
#include "ops/metrics.h"
#include "ops/run_report.h"
#include "policy/confidence.h"
#include "publish/upload.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/log.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/text.h"
#include "votes/stores.h"
#include "votes/tally_query.h"
#include "whitelist/load.h"
#include "whitelist/public_suffix_source.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

struct PublishOptions {
  bool dry_run = false;
  bool force = false;
  bool recount = false;
  std::string at;
};

void print_changes(const PublishReport& report) {
  for (const auto& feed : report.feeds) {
    for (const auto& value : feed.added) fmt::print("{} +{}\n", feed.feed, value);
    for (const auto& value : feed.removed) fmt::print("{} -{}\n", feed.feed, value);
  }
  for (const auto& file : report.changed_files) fmt::print("would write {}\n", file);
}

// Per source: what it contributed and how many voted-malicious indicators it kept out.
void report_whitelist(const LoadedWhitelist& whitelist, const std::vector<Exclusion>& excluded) {
  for (std::size_t i = 0; i < whitelist.sources.size(); ++i) {
    const SourceReport& source = whitelist.sources[i];
    std::size_t excluded_by_source = 0;
    for (const auto& exclusion : excluded) {
      if ((exclusion.listing.sources >> i) & 1U) ++excluded_by_source;
    }
    log::info(
        "whitelist source {:?} ({}, {}): {} entries, {} invalid, {} public suffixes refused; excluded {} "
        "voted-malicious indicators",
        source.name, source.trusted ? "trusted" : "observed", source.origin, source.stats.entries, source.stats.invalid,
        source.stats.public_suffixes, excluded_by_source);
  }
  for (const auto& exclusion : excluded) {
    log::debug("whitelist kept {} out of the malicious feed: entry {}, {}", exclusion.entry.value,
               exclusion.listing.entry, exclusion.rule);
  }
}

// Uploads to every destination; says which are current, in the log and in
// `report`. False when any is not.
bool upload(const Config& config, RunReport& report) {
  log::Stage stage("upload");
  bool all_current = true;
  for (const DestinationOutcome& outcome :
       upload_everywhere(config.upload, config.destinations, config.feeds_dir, StateLayout(config.state_dir))) {
    report.destinations.push_back({outcome.name, outcome.current, static_cast<std::int64_t>(outcome.uploaded),
                                   static_cast<std::int64_t>(outcome.unchanged),
                                   static_cast<std::int64_t>(outcome.retries),
                                   static_cast<std::int64_t>(outcome.deleted), outcome.error});
    if (outcome.current) {
      log::info("destination {:?} is current: {} files uploaded, {} unchanged, {} retries, {} superseded deleted",
                outcome.name, outcome.uploaded, outcome.unchanged, outcome.retries, outcome.deleted);
    } else {
      all_current = false;
      log::write(log::Level::kError,
                 fmt::format("destination {:?} is not current ({} files uploaded before the failure; the next run "
                             "catches up): {}",
                             outcome.name, outcome.uploaded, outcome.error));
    }
  }
  return all_current;
}

std::string summary(const PublishReport& report, std::size_t excluded, double seconds, bool dry_run) {
  std::string text = dry_run ? "dry run, nothing written:" : "published:";
  for (const auto& feed : report.feeds) {
    text += fmt::format(" {} {} entries (+{} -{});", feed.feed, feed.entries, feed.added.size(), feed.removed.size());
  }
  return text + fmt::format(" {} excluded by the whitelist; {} files changed; {:.2f} s", excluded,
                            report.changed_files.size(), seconds);
}

// The hour's history: archive its lists, record its counts (those of
// report.feeds), prune what is older than the retention, and regenerate the
// index page from it.
void record_history(const Config& config, TimePoint hour, const PublishReport& published, RunReport& report) {
  History history(config.feeds_dir, config.feeds.gzip.value_or(GzipLevel::kFast));
  std::vector<std::string> names = archived_file_names(config.feeds);
  std::set<std::string> compressed;
  for (const auto& name : names) {
    if (published.manifest.find(name + ".gz") != nullptr) compressed.insert(name);
  }
  history.archive(hour, names, compressed);
  std::vector<HistoryRow> rows;
  for (const auto& feed : report.feeds) rows.push_back({hour, feed.feed, feed.entries, feed.added, feed.removed});
  report.archived_hours_pruned = static_cast<std::int64_t>(
      history.record(hour, rows, std::chrono::days(config.history_retention_days), now_utc()));
  if (report.archived_hours_pruned > 0) {
    log::info("pruned {} archived hours older than {} days", report.archived_hours_pruned,
              config.history_retention_days);
  }
  write_file_atomically(config.feeds_dir / kIndexPageName,
                        render_index_page(config.feeds, published.manifest, history.rows()));
}

// The accepted disputes the published feeds now reflect, marked corrected
// in the version they were published in (at least this run's hour: an
// unchanged feed keeps an older version). Bookkeeping that must not fail a
// publish that succeeded: a store that refuses is retried next hour.
void note_corrections(const Config& config, const PublishReport& published, TimePoint hour) {
  try {
    record_corrections(config.votes, config.feeds, config.feeds_dir, std::max(published.manifest.version(), hour),
                       now_utc());
  } catch (const Error& error) {
    log::warning("could not record the disputes this publish corrected (the next run tries again): {}", error.what());
  }
}

// The votes a run leaves for later, in the log and in `report`.
void report_late_votes(const TallyStats& stats, TimePoint run_time, RunReport& report) {
  report.future_votes = stats.future_votes;
  report.next_hour_votes = stats.next_hour_votes;
  if (stats.future_votes > 0) {
    log::warning(
        "ignored {} votes cast after the run time {}: the next run counts them (votes written while this one ran, or a "
        "voting site whose clock runs ahead)",
        stats.future_votes, format_iso8601(run_time));
  }
  if (stats.next_hour_votes > 0) {
    log::info("{} votes cast since {} wait for the next hour's run", stats.next_hour_votes,
              format_iso8601(floor_to_hour(run_time)));
  }
}

// An hour in which nothing changed: the feeds stay as published (see
// publish_unchanged), the hour is recorded and the destinations catch up.
int finish_unchanged(const Config& config, TimePoint run_time, const PreparedTallies& prepared,
                     const std::string& inputs, const PublishReport& published,
                     std::chrono::steady_clock::time_point started, RunReport& report) {
  const TimePoint hour = floor_to_hour(run_time);
  report_late_votes(prepared.late, run_time, report);
  // What the whitelist keeps out is what excluded-domains.csv lists.
  if (const ManifestFile* excluded = published.manifest.find(kExcludedName)) report.excluded = excluded->entries;
  // What the hour changed is what its delta files list.
  auto listed = [&](const std::string& name) {
    const ManifestFile* file = published.manifest.find(name);
    return file != nullptr ? file->entries : 0;
  };
  for (const auto& change : published.feeds) {
    report.feeds.push_back({change.feed, static_cast<std::int64_t>(change.entries), listed(change.feed + ".added.txt"),
                            listed(change.feed + ".removed.txt")});
  }
  record_history(config, hour, published, report);
  note_corrections(config, published, hour);
  record_last_inputs(config.state_dir, config.feeds_dir, prepared.mark, inputs, published.manifest);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::info(
      "nothing changed since the last run (votes, whitelist, configuration): the feeds stay as published; "
      "{} files changed; {:.2f} s",
      published.changed_files.size(), seconds);
  if (config.destinations.empty()) return kExitOk;
  return upload(config, report) ? kExitOk : kExitFailure;
}

// Builds the feeds, checks the guards, writes, archives and uploads; fills
// `report` as it goes. Returns the exit code.
int publish_hour(const Config& config, const PublishOptions& options, TimePoint run_time,
                 std::optional<TimePoint> published_version, VoteStore* publisher, RunReport& report) {
  auto started = std::chrono::steady_clock::now();
  TimePoint hour = floor_to_hour(run_time);
  const TallyWindow window = tally_window(config.policy, run_time);
  // A key that cannot be used (a wrong passphrase, say) stops the run
  // before it writes anything: nothing is ever published half-signed.
  std::optional<FeedSigner> signer;
  if (!config.signing.secret_key.empty()) {
    log::Stage key_stage("read the signing key");
    signer = FeedSigner::load(config.signing);
    key_stage.done("key {}", signer->public_key().key_id_hex());
  }
  const FeedSigner* signing = signer ? &*signer : nullptr;
  log::Stage fetch_stage("fetch the whitelist sources");
  FetchedWhitelist fetched = fetch_whitelist(config.whitelist, config.state_dir, run_time,
                                             {.download = true, .keep = !options.dry_run, .only = {}});
  // The allow-list accepted disputes made: one more trusted source, in the
  // inputs digest like the others.
  WhitelistSettings whitelist_settings = config.whitelist;
  add_allow_list(read_allow_list(config.votes, run_time), whitelist_settings, fetched);
  fetch_stage.done("{} sources", fetched.sources.size());

  // A dry run writes nothing, the kept tallies included, so it counts the votes.
  std::optional<PreparedTallies> prepared;
  std::string inputs;
  if (!options.dry_run) {
    log::Stage stage("bring the kept tallies to this hour");
    if (options.recount) recount_kept_tallies(config.votes);
    std::optional<LastInputs> last = options.recount ? std::nullopt : read_last_inputs(config.state_dir);
    prepared =
        prepare_kept_tallies(config.votes, config.policy, window, last ? std::optional(last->tallies) : std::nullopt);
    // The entries' confidence fades by the day (see policy/confidence.h):
    // a new day's first run renders the counted formats again.
    inputs = sha256_hex(fmt::format("{}\n{}", inputs_digest(config, fetched), format_iso8601(confidence_day(hour))));
    if (prepared && !prepared->changed && !options.force && last->inputs == inputs &&
        published_as_recorded(config.feeds_dir, *last)) {
      if (publisher != nullptr) publisher->confirm_publisher();
      if (auto unchanged = publish_unchanged(publish_settings(config), run_time, published_version, signing)) {
        return finish_unchanged(config, run_time, *prepared, inputs, *unchanged, started, report);
      }
    }
    // From here on the published files may change: until this run records
    // what it built them from, the next run builds everything.
    forget_last_inputs(config.state_dir);
  }

  log::Stage whitelist_stage("read the whitelist");
  LoadedWhitelist whitelist =
      parse_whitelist(whitelist_settings, std::move(fetched), config.state_dir, !options.dry_run);
  whitelist_stage.done("{} entries", whitelist.whitelist.size());
  log::Stage tally_stage("read the tallies and decide");
  FeedBuilder builder(config.policy, whitelist.whitelist, feed_set(config.feeds), confidence_day(hour));
  std::size_t tallies_read = 0;
  log::Progress progress("reading the tallies", 0, "indicators");
  TallyStats stats = read_tallies(
      config.votes, config.policy, window,
      [&](const Tally& tally) {
        progress.update(++tallies_read);
        builder.add(tally);
      },
      prepared ? TallySource::kKeptTallies : TallySource::kVotes);
  progress.finish();
  tally_stage.done("{} indicators", tallies_read);
  report_late_votes(stats, run_time, report);
  report.invalid_indicators = stats.invalid_indicators;
  if (stats.invalid_indicators > 0) {
    log::warning("skipped {} invalid indicators returned by votes.tally_query", stats.invalid_indicators);
  }
  // Every indicator decided: the whitelist (a tenth of a GiB for a million
  // entries) is released before the feeds are sorted and written.
  whitelist.whitelist = Whitelist();
  FeedSet feeds = std::move(builder).finish();
  report_whitelist(whitelist, feeds.excluded);
  report.excluded = static_cast<std::int64_t>(feeds.excluded.size());

  // Guards come before anything is written: a refused run leaves every
  // published file as it was.
  std::vector<FeedChanges> changes = changes_since_published(config.feeds_dir, feeds, hour);
  for (const auto& change : changes) {
    report.feeds.push_back({change.feed, static_cast<std::int64_t>(change.entries),
                            static_cast<std::int64_t>(change.added.size()),
                            static_cast<std::int64_t>(change.removed.size())});
  }
  std::vector<std::size_t> previous_entries;
  for (const auto& change : changes) previous_entries.push_back(change.previous_entries());
  report.guard_trips = guard_violations(config.guards, feeds, previous_entries);
  if (!report.guard_trips.empty() && !options.force) {
    for (const auto& violation : report.guard_trips) log::write(log::Level::kError, "guard: " + violation);
    log::write(log::Level::kError, fmt::format("refusing to publish: {} guard(s) tripped; the last published feeds "
                                               "stay in place; --force publishes this run anyway",
                                               report.guard_trips.size()));
    return kExitGuard;
  }
  for (const auto& violation : report.guard_trips) log::warning("guard overridden by --force: {}", violation);

  // The publishing lock must still be this run's: a lost connection would
  // have let another host start.
  if (publisher != nullptr) publisher->confirm_publisher();
  log::Stage write_stage(options.dry_run ? "render the feeds (dry run)" : "write the feeds");
  // A dry run renders everything into a sink that writes nothing.
  const PublishSettings settings = publish_settings(config);
  std::unique_ptr<PublishSink> sink = options.dry_run ? dry_run_sink() : feeds_directory_sink(settings, signing);
  PublishReport published = publish_feeds(settings, feeds, std::move(changes), run_time, *sink, published_version);
  write_stage.done("{} files changed", published.changed_files.size());
  if (options.dry_run) print_changes(published);
  if (!options.dry_run) {
    log::Stage stage("archive the hour");
    record_history(config, hour, published, report);
    note_corrections(config, published, hour);
    // A run whose guards were overridden is not one to repeat unexamined:
    // the next run builds everything and checks the guards again.
    if (prepared && report.guard_trips.empty()) {
      record_last_inputs(config.state_dir, config.feeds_dir, prepared->mark, inputs, published.manifest);
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::info("{}", summary(published, feeds.excluded.size(), seconds, options.dry_run));
  if (options.dry_run || config.destinations.empty()) return kExitOk;
  return upload(config, report) ? kExitOk : kExitFailure;
}

// state/last-run.json and the metrics file, both replaced atomically.
void save_report(const Config& config, const RunReport& report) {
  // Readable by the service's group, so that a monitoring user in it can
  // run `crowdfeed status` (the votes database stays the owner's alone).
  write_file_atomically(StateLayout(config.state_dir).last_run(), render_run_report(report), kGroupReadableFile);
  fs::path metrics =
      config.metrics_file.empty() ? StateLayout(config.state_dir).default_metrics() : config.metrics_file;
  write_file_atomically(metrics, render_metrics(report));
}

// What the feeds directory last published: the later of its manifest's
// hour and version and the newest archived hour's, so that a lost or
// damaged manifest does not let the versions go back. Hours and versions
// later than a day ahead of the clock were not written by this job and are
// ignored.
struct LastPublished {
  TimePoint hour;
  TimePoint version;
};

std::optional<LastPublished> last_published(const Config& config) {
  History history(config.feeds_dir);
  TimePoint latest = now_utc() + std::chrono::days(1);
  std::optional<LastPublished> last;
  if (auto manifest = read_manifest(config.feeds_dir / kManifestName)) {
    last = LastPublished{manifest->hour, manifest->version()};
  }
  if (auto archived = history.newest(latest)) {
    if (!last) {
      // No manifest to go by: every archived hour's version counts.
      last = LastPublished{archived->hour, history.newest_version(latest).value_or(archived->version)};
    }
    last->hour = std::max(last->hour, archived->hour);
    last->version = std::max(last->version, archived->version);
  }
  return last;
}

// A run never rolls the published feeds back to an earlier hour: consumers
// would see versions and RPZ serials go backwards and keep what the
// rollback drops. --force publishes it anyway, with versions that still grow.
void check_not_earlier_than_published(const Config& config, const std::optional<LastPublished>& last, TimePoint hour,
                                      bool force) {
  if (!last || last->hour <= hour) return;
  if (force) {
    log::warning("--force: publishing the hour {} after the later hour {} was published", format_hour_version(hour),
                 format_hour_version(last->hour));
    return;
  }
  throw UsageError(fmt::format(
      "refusing to publish the hour {}: {} already holds the later hour {}, and a run never rolls the feeds back "
      "(is the clock or --at wrong? --force publishes it anyway)",
      format_hour_version(hour), config.feeds_dir.string(), format_hour_version(last->hour)));
}

int run_publish(const GlobalOptions& global, const PublishOptions& options) {
  auto started = std::chrono::steady_clock::now();
  Config config = load_configuration(global);
  TimePoint run_time = options.at.empty() ? now_utc() : parse_time_option("--at", options.at);
  if (std::string problem = future_time_problem(run_time, now_utc(), config.max_clock_skew); !problem.empty()) {
    throw UsageError(
        fmt::format("--at {} {}; a run is never for an hour that has not come", quote_text(options.at), problem));
  }
  if (options.dry_run) {
    // A dry run writes nothing, so it neither needs nor takes the lock.
    std::optional<LastPublished> last = last_published(config);
    check_not_earlier_than_published(config, last, floor_to_hour(run_time), options.force);
    RunReport ignored;
    return publish_hour(config, options, run_time, last ? std::optional(last->version) : std::nullopt, nullptr,
                        ignored);
  }

  std::error_code error;
  fs::create_directories(config.state_dir, error);
  if (error)
    throw Error(fmt::format("cannot create state directory {}: {}", config.state_dir.string(), error.message()));
  RunLock lock(StateLayout(config.state_dir).publish_lock());
  require_real_folders(config.feeds_dir, {kArchiveFolder, "by-hash", kByHashFolder});
  require_real_folders(config.state_dir, StateLayout::real_folders());
  remove_stale_temporary_files(config.feeds_dir);

  std::optional<RunReport> previous;
  try {
    previous = read_run_report(StateLayout(config.state_dir).last_run());
  } catch (const Error& unreadable) {
    log::warning("{}; starting its totals again", unreadable.what());
  }
  // The report's clock is the run time, so that --at runs (backfills,
  // tests) read as if they ran then.
  RunReport report = RunReport::start(run_time, floor_to_hour(run_time), previous);
  auto finish = [&](RunReport::Result result, int code) {
    report.warnings = log::problems();
    auto elapsed = std::chrono::steady_clock::now() - started;
    report.finish(result, code, run_time + std::chrono::round<std::chrono::seconds>(elapsed),
                  std::chrono::duration<double>(elapsed).count());
    save_report(config, report);
  };
  // Votes on a server may be published from several hosts: one run at a
  // time across them, for as long as this connection lives. A store that
  // cannot be reached is this run's failure, in its report; a lock another
  // host holds is not, as with the local lock.
  std::unique_ptr<VoteStore> publisher;
  if (config.votes.backend != "sqlite") {
    try {
      publisher = open_vote_store(config.votes, StoreAccess::kRead);
    } catch (const std::exception& failure) {
      report.error = safe_message(failure.what());
      finish(RunReport::Result::kFailed, kExitFailure);
      throw;
    }
    publisher->lock_publisher();
  }
  try {
    // A configured public suffix list, fresh before anything is normalised.
    load_public_suffix_list(config.public_suffixes, config.whitelist, config.state_dir, now_utc(), true);
    if (std::string old = public_suffix_list_age_warning(config.public_suffixes, now_utc()); !old.empty()) {
      log::warning("{}", old);
    }
    // Checked inside the report: monitoring sees a refused run.
    std::optional<LastPublished> last = last_published(config);
    check_not_earlier_than_published(config, last, floor_to_hour(run_time), options.force);
    int code = publish_hour(config, options, run_time, last ? std::optional(last->version) : std::nullopt,
                            publisher.get(), report);
    finish(code == kExitOk      ? RunReport::Result::kPublished
           : code == kExitGuard ? RunReport::Result::kGuardTripped
                                : RunReport::Result::kUploadFailed,
           code);
    return code;
  } catch (const std::exception& failure) {
    report.error = safe_message(failure.what());  // main() reports it
    finish(RunReport::Result::kFailed, dynamic_cast<const UsageError*>(&failure) ? kExitUsage : kExitFailure);
    throw;
  }
}

}  // namespace

Command add_publish_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<PublishOptions>();
  CLI::App* command = app.add_subcommand("publish", "build the feeds from the votes and publish them");
  command->add_flag("-n,--dry-run", options->dry_run, "print what would change and write nothing");
  command->add_option("--at", options->at, "the run time (ISO 8601 or Unix seconds; default: now)");
  command->add_flag("--force", options->force, "publish even when a guard trips (for this run only)");
  command
      ->add_flag("--recount", options->recount,
                 "rebuild the kept tallies from the votes first (when 'crowdfeed check' finds them wrong)")
      ->excludes("--dry-run");
  return {command, [&global, options] { return run_publish(global, *options); }, {}};
}

}  // namespace crowdfeed
