#include "ops/metrics.h"

#include <fmt/format.h>

#include "util/prometheus.h"
#include "util/version.h"

namespace crowdfeed {
namespace {

std::int64_t unix_seconds(TimePoint time) {
  return time.time_since_epoch().count();
}

}  // namespace

std::string render_metrics(const RunReport& report) {
  PrometheusText out;
  out.family("crowdfeed_build_info", "gauge", "Always 1; the labels name the crowdfeed that wrote these metrics.");
  out.sample("crowdfeed_build_info", 1,
             fmt::format("version=\"{}\",commit=\"{}\"", prometheus_label(program_version()),
                         prometheus_label(program_commit())));
  out.family("crowdfeed_last_run_timestamp_seconds", "gauge", "When the last run finished (Unix time).");
  out.sample("crowdfeed_last_run_timestamp_seconds", unix_seconds(report.finished));
  out.family("crowdfeed_last_success_timestamp_seconds", "gauge",
             "When a run last published and uploaded everything (Unix time; 0: never).");
  out.sample("crowdfeed_last_success_timestamp_seconds", report.last_success ? unix_seconds(*report.last_success) : 0);
  out.family("crowdfeed_last_run_duration_seconds", "gauge", "How long the last run took.");
  out.sample("crowdfeed_last_run_duration_seconds", fmt::format("{:.3f}", report.duration_seconds));
  out.family("crowdfeed_last_run_result", "gauge", "1 for how the last run ended, 0 for the other outcomes.");
  for (auto result : {RunReport::Result::kPublished, RunReport::Result::kUploadFailed, RunReport::Result::kGuardTripped,
                      RunReport::Result::kFailed}) {
    out.sample("crowdfeed_last_run_result", result == report.result ? 1 : 0,
               fmt::format("result=\"{}\"", result_name(result)));
  }
  out.family("crowdfeed_feed_entries", "gauge", "Entries of each feed the last run built.");
  for (const auto& feed : report.feeds)
    out.sample("crowdfeed_feed_entries", feed.entries, fmt::format("feed=\"{}\"", prometheus_label(feed.feed)));
  out.family("crowdfeed_feed_added", "gauge", "Entries added to each feed since the previous hour.");
  for (const auto& feed : report.feeds)
    out.sample("crowdfeed_feed_added", feed.added, fmt::format("feed=\"{}\"", prometheus_label(feed.feed)));
  out.family("crowdfeed_feed_removed", "gauge", "Entries removed from each feed since the previous hour.");
  for (const auto& feed : report.feeds)
    out.sample("crowdfeed_feed_removed", feed.removed, fmt::format("feed=\"{}\"", prometheus_label(feed.feed)));
  out.family("crowdfeed_whitelist_excluded", "gauge", "Voted-malicious indicators the whitelist kept out.");
  out.sample("crowdfeed_whitelist_excluded", report.excluded);
  out.family("crowdfeed_rejected_votes", "gauge", "Votes the last run did not count, by reason.");
  out.sample("crowdfeed_rejected_votes", report.future_votes, "reason=\"future\"");
  out.sample("crowdfeed_rejected_votes", report.invalid_indicators, "reason=\"invalid_indicator\"");
  out.family("crowdfeed_next_hour_votes", "gauge", "Votes cast in the current hour, left for the next run.");
  out.sample("crowdfeed_next_hour_votes", report.next_hour_votes);
  out.family("crowdfeed_destination_current", "gauge",
             "1 when the destination holds everything the last run published.");
  for (const auto& destination : report.destinations) {
    out.sample("crowdfeed_destination_current", destination.current ? 1 : 0,
               fmt::format("destination=\"{}\"", prometheus_label(destination.name)));
  }
  out.family("crowdfeed_upload_failures_total", "counter", "Runs after which a destination was not current.");
  for (const auto& [name, failures] : report.upload_failures_total) {
    out.sample("crowdfeed_upload_failures_total", failures, fmt::format("destination=\"{}\"", prometheus_label(name)));
  }
  out.family("crowdfeed_guard_trips_total", "counter", "Runs that a guard stopped from publishing.");
  out.sample("crowdfeed_guard_trips_total", report.guard_trips_total);
  out.family("crowdfeed_runs_total", "counter", "Runs that took the lock.");
  out.sample("crowdfeed_runs_total", report.runs_total);
  return std::move(out).text();
}

}  // namespace crowdfeed
