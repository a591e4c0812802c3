// crowdfeed publish: one run of the hourly job.
#include "feeds/publish.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "cli/commands.h"
#include "feeds/build.h"
#include "ops/guards.h"
#include "ops/lock.h"
#include "publish/upload.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/log.h"
#include "votes/tally_query.h"
#include "whitelist/load.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

struct PublishOptions {
  bool dry_run = false;
  bool force = false;
  std::string at;
};

void print_changes(const PublishReport& report) {
  for (const auto& feed : report.feeds) {
    for (const auto& domain : feed.added) fmt::print("{} +{}\n", feed.feed, domain);
    for (const auto& domain : feed.removed) fmt::print("{} -{}\n", feed.feed, domain);
  }
  for (const auto& file : report.changed_files) fmt::print("would write {}\n", file);
}

// Per source: what it contributed and how many voted-malicious domains it kept out.
void report_whitelist(const LoadedWhitelist& whitelist, const std::vector<Exclusion>& excluded) {
  for (std::size_t i = 0; i < whitelist.sources.size(); ++i) {
    const SourceReport& source = whitelist.sources[i];
    std::size_t excluded_by_source = 0;
    for (const auto& exclusion : excluded) {
      if ((exclusion.listing.sources >> i) & 1U) ++excluded_by_source;
    }
    log::info(
        "whitelist source {:?} ({}, {}): {} entries, {} invalid, {} public suffixes refused; excluded {} "
        "voted-malicious domains",
        source.name, source.trusted ? "trusted" : "observed", source.origin, source.stats.entries, source.stats.invalid,
        source.stats.public_suffixes, excluded_by_source);
  }
  for (const auto& exclusion : excluded) {
    log::debug("whitelist kept {} out of the malicious feed: entry {}, {}", exclusion.entry.domain,
               exclusion.listing.entry, exclusion.rule);
  }
}

// Uploads to every destination; says which are current. False when any is not.
bool upload(const Config& config) {
  bool all_current = true;
  for (const DestinationOutcome& outcome : upload_everywhere(config)) {
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

int run_publish(const GlobalOptions& global, const PublishOptions& options) {
  auto started = std::chrono::steady_clock::now();
  Config config = load_configuration(global);
  TimePoint run_time = options.at.empty() ? now_utc() : parse_time_option("--at", options.at);

  // A dry run writes nothing, so it neither needs nor takes the lock.
  std::unique_ptr<RunLock> lock;
  if (!options.dry_run) {
    std::error_code error;
    fs::create_directories(config.state_dir, error);
    if (error)
      throw Error(fmt::format("cannot create state directory {}: {}", config.state_dir.string(), error.message()));
    lock = std::make_unique<RunLock>(config.state_dir / "publish.lock");
    remove_stale_temporary_files(config.feeds_dir);
  }

  LoadedWhitelist whitelist =
      load_whitelist(config.whitelist, config.state_dir, run_time, {.download = true, .keep = !options.dry_run});
  FeedBuilder builder(config.policy, whitelist.whitelist, config.feeds);
  TallyStats stats =
      read_tallies(config, tally_window(config.policy, run_time), [&](const Tally& tally) { builder.add(tally); });
  if (stats.future_votes > 0) {
    log::warning("ignored {} votes cast after the run time {} (clock skew on the voting site?)", stats.future_votes,
                 format_iso8601(run_time));
  }
  if (stats.next_hour_votes > 0) {
    log::info("{} votes cast since {} wait for the next hour's run", stats.next_hour_votes,
              format_iso8601(floor_to_hour(run_time)));
  }
  if (stats.invalid_indicators > 0) {
    log::warning("skipped {} invalid indicators returned by votes.tally_query", stats.invalid_indicators);
  }
  FeedSet feeds = std::move(builder).finish();
  report_whitelist(whitelist, feeds.excluded);

  // Guards come before anything is written: a refused run leaves every
  // published file as it was.
  std::vector<FeedChanges> changes = changes_since_published(config, feeds);
  std::vector<std::string> violations =
      guard_violations(config.guards, feeds, {changes[0].previous_entries(), changes[1].previous_entries()});
  if (!violations.empty() && !options.force) {
    for (const auto& violation : violations) log::write(log::Level::kError, "guard: " + violation);
    log::write(log::Level::kError, fmt::format("refusing to publish: {} guard(s) tripped; the last published feeds "
                                               "stay in place; --force publishes this run anyway",
                                               violations.size()));
    return kExitGuard;
  }
  for (const auto& violation : violations) log::warning("guard overridden by --force: {}", violation);

  PublishReport report = publish_feeds(config, feeds, std::move(changes), run_time, options.dry_run);
  if (options.dry_run) print_changes(report);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  log::info("{}", summary(report, feeds.excluded.size(), seconds, options.dry_run));
  if (options.dry_run || config.destinations.empty()) return kExitOk;
  return upload(config) ? kExitOk : kExitFailure;
}

}  // namespace

Command add_publish_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<PublishOptions>();
  CLI::App* command = app.add_subcommand("publish", "build the feeds from the votes and publish them");
  command->add_flag("-n,--dry-run", options->dry_run, "print what would change and write nothing");
  command->add_option("--at", options->at, "the run time (ISO 8601 or Unix seconds; default: now)");
  command->add_flag("--force", options->force, "publish even when a guard trips (for this run only)");
  return {command, [&global, options] { return run_publish(global, *options); }};
}

}  // namespace crowdfeed
