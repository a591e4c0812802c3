// What the last run did, for the operator and for monitoring: written to
// state/last-run.json at the end of every run that took the lock, whatever
// its outcome, and rendered as Prometheus metrics (ops/metrics).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/time.h"

namespace crowdfeed {

struct FeedCounts {
  std::string feed;
  std::int64_t entries = 0;
  std::int64_t added = 0;
  std::int64_t removed = 0;
};

struct DestinationResult {
  std::string name;
  bool current = false;
  std::int64_t uploaded = 0;
  std::int64_t unchanged = 0;
  std::int64_t retries = 0;
  std::int64_t deleted = 0;
  std::string error;
};

struct RunReport {
  // How a run ended.
  enum class Result { kPublished, kUploadFailed, kGuardTripped, kFailed };

  TimePoint started{};
  TimePoint finished{};
  TimePoint hour{};
  double duration_seconds = 0;
  Result result = Result::kFailed;
  int exit_code = 1;
  std::string error;  // why a failed run failed
  std::vector<FeedCounts> feeds;
  std::int64_t excluded = 0;            // voted-malicious domains the whitelist kept out
  std::int64_t future_votes = 0;        // ignored: cast after the run time
  std::int64_t next_hour_votes = 0;     // cast in this hour; the next run counts them
  std::int64_t invalid_indicators = 0;  // from an external tally query
  std::int64_t archived_hours_pruned = 0;
  std::vector<std::string> guard_trips;  // what tripped, this run
  std::vector<DestinationResult> destinations;
  std::vector<std::string> warnings;

  // Carried from run to run.
  std::optional<TimePoint> last_success;
  std::int64_t runs_total = 0;
  std::int64_t guard_trips_total = 0;
  std::map<std::string, std::int64_t> upload_failures_total;  // by destination

  // A report for a run starting at `started`, carrying the totals and last
  // success of `previous`.
  static RunReport start(TimePoint started, TimePoint hour, const std::optional<RunReport>& previous);
  // Sets the result, duration and totals at the end of the run.
  void finish(Result outcome, int code, TimePoint at, double seconds);
};

std::string_view result_name(RunReport::Result result);

std::string render_run_report(const RunReport& report);

// The report in `path`; nullopt when there is none. Throws Error when it
// exists but cannot be read.
std::optional<RunReport> read_run_report(const std::filesystem::path& path);

// The same from the report's text; throws std::exception when it is not a
// report render_run_report() could have written, or a count is outside
// [0, kMaxCount].
RunReport parse_run_report(std::string_view text);

}  // namespace crowdfeed
