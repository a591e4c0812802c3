// crowdfeed status: the last run's summary, and a monitoring check that
// follows the monitoring-plugins conventions: one status line first (with
// performance data after "|"), then details; exit 0 OK, 1 WARNING,
// 2 CRITICAL, 3 UNKNOWN.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "config/state_layout.h"
#include "indicator/public_suffix_list.h"
#include "ops/run_report.h"
#include "util/error.h"
#include "util/text.h"
#include "whitelist/public_suffix_source.h"

namespace crowdfeed {
namespace {

enum class CheckState { kOk = 0, kWarning = 1, kCritical = 2, kUnknown = 3 };

constexpr std::string_view state_name(CheckState state) {
  switch (state) {
    case CheckState::kOk:
      return "OK";
    case CheckState::kWarning:
      return "WARNING";
    case CheckState::kCritical:
      return "CRITICAL";
    case CheckState::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

// Limits beyond a century say nothing a monitoring system can use, and
// would overflow the conversion to seconds.
constexpr double kMaxHours = 876000;

struct StatusOptions {
  double warning_hours = 2;
  double critical_hours = 3;
  std::string at;
  bool json = false;
  const CLI::Option* warning_option = nullptr;  // to tell a given --warning-hours from the default
};

// The check's outcome: its state, one line saying why, and the last run
// (when there is one) for the details.
struct Check {
  CheckState state = CheckState::kUnknown;
  std::string summary;
  std::optional<RunReport> report;
  std::optional<std::int64_t> age_seconds;  // of the last success
  std::string suffix_list;                  // the public suffix list in use, and its date
  std::string suffix_list_warning;          // when it is older than public_suffixes.warn_after_days
};

std::string age(std::chrono::seconds elapsed) {
  if (elapsed < std::chrono::seconds(0)) return fmt::format("{} s in the future", -elapsed.count());
  if (elapsed < std::chrono::minutes(2)) return fmt::format("{} s ago", elapsed.count());
  if (elapsed < std::chrono::hours(2)) return fmt::format("{} min ago", elapsed.count() / 60);
  return fmt::format("{:.1f} h ago", static_cast<double>(elapsed.count()) / 3600);
}

std::chrono::seconds hours(double value) {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::duration<double>(value * 3600));
}

Check check_last_run(const Config& config, const StatusOptions& options, TimePoint now) {
  Check check;
  std::filesystem::path path = StateLayout(config.state_dir).last_run();
  check.report = read_run_report(path);  // throws on a damaged file: UNKNOWN
  if (!check.report) {
    check.state = CheckState::kCritical;
    check.summary = fmt::format("no run has finished yet ({} does not exist)", path.string());
    return check;
  }
  const RunReport& report = *check.report;
  if (!report.last_success) {
    check.state = CheckState::kCritical;
    check.summary = "no run has succeeded yet";
    return check;
  }
  auto elapsed = now - *report.last_success;
  check.age_seconds = elapsed.count();
  std::string when = fmt::format("{} ({})", format_iso8601(*report.last_success), age(elapsed));
  if (elapsed < -config.max_clock_skew) {
    // A run for a future hour, or a clock that went back: either way the
    // age of the last success says nothing.
    check.state = CheckState::kCritical;
    check.summary = fmt::format("the last successful run, {}, is later than now ({}); check the clock",
                                format_iso8601(*report.last_success), format_iso8601(now));
  } else if (elapsed > hours(options.critical_hours)) {
    check.state = CheckState::kCritical;
    check.summary = fmt::format("the last successful run was {}, more than {} h ago", when, options.critical_hours);
  } else if (elapsed > hours(options.warning_hours)) {
    check.state = CheckState::kWarning;
    check.summary = fmt::format("the last successful run was {}, more than {} h ago", when, options.warning_hours);
  } else if (report.result != RunReport::Result::kPublished) {
    check.state = CheckState::kWarning;
    check.summary =
        fmt::format("the last run did not publish ({}{}); the last successful run was {}", result_name(report.result),
                    report.error.empty() ? "" : ": " + printable(report.error, 200), when);
  } else {
    check.state = CheckState::kOk;
    check.summary = fmt::format("the last successful run was {}", when);
  }
  return check;
}

// Every value comes from last-run.json, which may have been damaged or
// tampered with: printed as one line of printable text, whatever it holds.
void print_line(std::string_view label, std::string_view value) {
  fmt::print("{:<14}{}\n", fmt::format("{}:", label), printable(value));
}

void print_details(const RunReport& report, TimePoint now) {
  print_line("last run", fmt::format("{} ({}), hour {}, {}, exit code {}, {:.2f} s", format_iso8601(report.finished),
                                     age(now - report.finished), format_hour_version(report.hour),
                                     result_name(report.result), report.exit_code, report.duration_seconds));
  if (!report.error.empty()) print_line("error", report.error);
  for (const auto& feed : report.feeds) {
    print_line("feed", fmt::format("{}: {} entries (+{} -{})", feed.feed, feed.entries, feed.added, feed.removed));
  }
  print_line("whitelist", fmt::format("kept {} voted-malicious indicators out", report.excluded));
  for (const auto& trip : report.guard_trips) print_line("guard", trip);
  for (const auto& destination : report.destinations) {
    print_line("destination", destination.current
                                  ? fmt::format("{}: current", destination.name)
                                  : fmt::format("{}: NOT current: {}", destination.name, destination.error));
  }
  print_line("warnings", fmt::format("{}", report.warnings.size()));
  for (const auto& warning : report.warnings) fmt::print("  {}\n", printable(warning));
}

void print_json(const Check& check, const StatusOptions& options) {
  nlohmann::ordered_json out = {
      {"status", state_name(check.state)},
      {"exit_code", static_cast<int>(check.state)},
      {"summary", printable(check.summary)},
      {"warning_hours", options.warning_hours},
      {"critical_hours", options.critical_hours},
      {"last_success_age_seconds", check.age_seconds ? nlohmann::json(*check.age_seconds) : nlohmann::json()},
      {"public_suffix_list", check.suffix_list},
      {"public_suffix_list_warning",
       check.suffix_list_warning.empty() ? nlohmann::json() : nlohmann::json(check.suffix_list_warning)},
      // The report as crowdfeed wrote it (and parse_run_report checked it).
      {"last_run", check.report ? nlohmann::json::parse(render_run_report(*check.report)) : nlohmann::json()},
  };
  fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

int run_status(const GlobalOptions& global, StatusOptions options) {
  Check check;
  TimePoint now{};
  try {
    for (auto [name, hours_given] :
         {std::pair{"--warning-hours", options.warning_hours}, std::pair{"--max-age-hours", options.critical_hours}}) {
      if (!std::isfinite(hours_given) || hours_given <= 0 || hours_given > kMaxHours) {
        throw UsageError(fmt::format("{} {} is not a number of hours from 0 to {}", name, hours_given, kMaxHours));
      }
    }
    if (options.warning_hours > options.critical_hours) {
      if (options.warning_option->count() > 0) {
        throw UsageError(fmt::format("--warning-hours ({}) is more than --max-age-hours ({})", options.warning_hours,
                                     options.critical_hours));
      }
      options.warning_hours = options.critical_hours;  // only --max-age-hours given, below the default warning
    }
    Config config = load_configuration(global);
    now = options.at.empty() ? now_utc() : parse_time_option("--at", options.at);
    check = check_last_run(config, options, now);
    check.suffix_list = describe(public_suffix_list_info());
    check.suffix_list_warning = public_suffix_list_age_warning(config.public_suffixes, now);
  } catch (const std::exception& error) {
    // The check could not be made: a monitoring system must not read that
    // as a verdict on the feeds.
    check = Check{};
    check.summary = safe_message(error.what());
  }
  if (options.json) {
    print_json(check, options);
    return static_cast<int>(check.state);
  }
  std::string performance =
      check.age_seconds ? fmt::format(" | last_success_age={}s;{};{};0", *check.age_seconds,
                                      hours(options.warning_hours).count(), hours(options.critical_hours).count())
                        : std::string();
  fmt::print("CROWDFEED {}: {}{}\n", state_name(check.state), printable(check.summary), performance);
  if (check.report) print_details(*check.report, now);
  if (!check.suffix_list.empty()) print_line("suffix list", check.suffix_list);
  if (!check.suffix_list_warning.empty()) print_line("warning", check.suffix_list_warning);
  return static_cast<int>(check.state);
}

}  // namespace

Command add_status_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<StatusOptions>();
  CLI::App* command = app.add_subcommand(
      "status", "print the last run's summary as a monitoring check: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN");
  // Both are checked when the check runs: NaN, infinities and values
  // that overflow are UNKNOWN there, with the rest of the check's errors.
  options->warning_option = command->add_option("--warning-hours", options->warning_hours,
                                                "WARNING when the last success is older than this (default: 2)");
  command->add_option("--max-age-hours,--critical-hours", options->critical_hours,
                      "CRITICAL when the last success is older than this (default: 3)");
  command->add_option("--at", options->at, "check as if it were this time (ISO 8601 or Unix seconds)");
  command->add_flag("--json", options->json, "print the check and the last run as JSON");
  // A command-line error is a check that could not be made, reported the
  // way the check reports: a status line, or JSON with --json.
  auto usage_error = [options](const std::string& message, const std::vector<std::string>& arguments) {
    Check check;
    check.summary = safe_message(message);
    // The parse stopped at the error: --json may not have been read yet.
    if (options->json || std::find(arguments.begin(), arguments.end(), "--json") != arguments.end()) {
      print_json(check, *options);
    } else {
      fmt::print("CROWDFEED UNKNOWN: {}\n", check.summary);
    }
    return static_cast<int>(CheckState::kUnknown);
  };
  return {command, [&global, options] { return run_status(global, *options); }, usage_error};
}

}  // namespace crowdfeed
