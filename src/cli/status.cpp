// crowdfeed status: the last run's summary, and a monitoring check: exits
// non-zero when the last successful run is older than --max-age-hours.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "ops/run_report.h"
#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

struct StatusOptions {
  double max_age_hours = 2;
  std::string at;
};

// Every value comes from last-run.json, which may have been damaged or
// tampered with: printed as one line of printable text, whatever it holds.
void print_line(std::string_view label, std::string_view value) {
  fmt::print("{:<14}{}\n", fmt::format("{}:", label), printable(value));
}

std::string age(std::chrono::seconds elapsed) {
  if (elapsed < std::chrono::seconds(0)) return fmt::format("{} s after --at", -elapsed.count());
  if (elapsed < std::chrono::minutes(2)) return fmt::format("{} s ago", elapsed.count());
  if (elapsed < std::chrono::hours(2)) return fmt::format("{} min ago", elapsed.count() / 60);
  return fmt::format("{:.1f} h ago", static_cast<double>(elapsed.count()) / 3600);
}

int run_status(const GlobalOptions& global, const StatusOptions& options) {
  Config config = load_configuration(global);
  TimePoint now = options.at.empty() ? now_utc() : parse_time_option("--at", options.at);
  std::filesystem::path path = config.state_dir / "last-run.json";
  std::optional<RunReport> report = read_run_report(path);
  if (!report) {
    fmt::print("status: CRITICAL: no run has finished yet ({} does not exist)\n", path.string());
    return kExitFailure;
  }
  print_line("last run", fmt::format("{} ({}), hour {}, {}, exit code {}, {:.2f} s", format_iso8601(report->finished),
                                     age(now - report->finished), format_hour_version(report->hour),
                                     result_name(report->result), report->exit_code, report->duration_seconds));
  if (!report->error.empty()) print_line("error", report->error);
  for (const auto& feed : report->feeds) {
    print_line("feed", fmt::format("{}: {} entries (+{} -{})", feed.feed, feed.entries, feed.added, feed.removed));
  }
  print_line("whitelist", fmt::format("kept {} voted-malicious indicators out", report->excluded));
  for (const auto& trip : report->guard_trips) print_line("guard", trip);
  for (const auto& destination : report->destinations) {
    print_line("destination", destination.current
                                  ? fmt::format("{}: current", destination.name)
                                  : fmt::format("{}: NOT current: {}", destination.name, destination.error));
  }
  print_line("warnings", fmt::format("{}", report->warnings.size()));
  for (const auto& warning : report->warnings) fmt::print("  {}\n", printable(warning));

  auto limit =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::duration<double>(options.max_age_hours * 3600));
  if (!report->last_success) {
    fmt::print("status: CRITICAL: no run has succeeded yet\n");
    return kExitFailure;
  }
  auto elapsed = now - *report->last_success;
  if (elapsed < -config.max_clock_skew) {
    // A run for a future hour, or a clock that went back: either way the
    // age of the last success says nothing.
    fmt::print("status: CRITICAL: the last successful run, {}, is later than now ({}); check the clock\n",
               format_iso8601(*report->last_success), format_iso8601(now));
    return kExitFailure;
  }
  if (elapsed > limit) {
    fmt::print("status: CRITICAL: the last successful run was {} ({}), more than {} h ago\n",
               format_iso8601(*report->last_success), age(elapsed), options.max_age_hours);
    return kExitFailure;
  }
  fmt::print("status: OK: the last successful run was {} ({})\n", format_iso8601(*report->last_success), age(elapsed));
  return kExitOk;
}

}  // namespace

Command add_status_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<StatusOptions>();
  CLI::App* command = app.add_subcommand(
      "status", "print the last run's summary; exit 1 when the last successful run is too old (a monitoring check)");
  command->add_option("--max-age-hours", options->max_age_hours, "how old the last success may be (default: 2)")
      ->check(CLI::PositiveNumber);
  command->add_option("--at", options->at, "check as if it were this time (ISO 8601 or Unix seconds)");
  return {command, [&global, options] { return run_status(global, *options); }};
}

}  // namespace crowdfeed
