#include "ops/run_report.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/safe_path.h"
#include "util/state_file.h"

namespace crowdfeed {
namespace {

using Json = nlohmann::ordered_json;

constexpr RunReport::Result kResults[] = {RunReport::Result::kPublished, RunReport::Result::kUploadFailed,
                                          RunReport::Result::kGuardTripped, RunReport::Result::kFailed};

std::optional<TimePoint> optional_time(const Json& json, const char* key) {
  if (!json.contains(key) || json[key].is_null()) return std::nullopt;
  auto time = parse_time(json[key].get<std::string>());
  if (!time) throw DamagedFileError(fmt::format("{} is not a time", key));
  return time;
}

TimePoint required_time(const Json& json, const char* key) {
  auto time = optional_time(json, key);
  if (!time) throw DamagedFileError(fmt::format("{} is missing", key));
  return *time;
}

}  // namespace

std::string_view result_name(RunReport::Result result) {
  switch (result) {
    case RunReport::Result::kPublished:
      return "published";
    case RunReport::Result::kUploadFailed:
      return "upload-failed";
    case RunReport::Result::kGuardTripped:
      return "guard-tripped";
    case RunReport::Result::kFailed:
      return "failed";
  }
  return "failed";
}

RunReport RunReport::start(TimePoint started, TimePoint hour, const std::optional<RunReport>& previous) {
  RunReport report;
  report.started = started;
  report.finished = started;
  report.hour = hour;
  if (previous) {
    report.last_success = previous->last_success;
    report.runs_total = previous->runs_total;
    report.guard_trips_total = previous->guard_trips_total;
    report.upload_failures_total = previous->upload_failures_total;
  }
  return report;
}

void RunReport::finish(Result outcome, int code, TimePoint at, double seconds) {
  result = outcome;
  exit_code = code;
  finished = at;
  duration_seconds = seconds;
  ++runs_total;
  if (!guard_trips.empty() && outcome == Result::kGuardTripped) ++guard_trips_total;
  for (const auto& destination : destinations) {
    if (!destination.current) ++upload_failures_total[destination.name];
  }
  if (outcome == Result::kPublished) last_success = at;
}

std::string render_run_report(const RunReport& report) {
  Json feeds = Json::array();
  for (const auto& feed : report.feeds) {
    feeds.push_back({{"feed", feed.feed}, {"entries", feed.entries}, {"added", feed.added}, {"removed", feed.removed}});
  }
  Json destinations = Json::array();
  for (const auto& destination : report.destinations) {
    destinations.push_back({{"name", destination.name},
                            {"current", destination.current},
                            {"uploaded", destination.uploaded},
                            {"unchanged", destination.unchanged},
                            {"retries", destination.retries},
                            {"deleted", destination.deleted},
                            {"error", destination.error}});
  }
  Json json = {
      {"started", format_iso8601(report.started)},
      {"finished", format_iso8601(report.finished)},
      {"hour", format_iso8601(report.hour)},
      {"version", format_hour_version(report.hour)},
      {"duration_seconds", report.duration_seconds},
      {"result", result_name(report.result)},
      {"exit_code", report.exit_code},
      {"error", report.error},
      {"feeds", std::move(feeds)},
      {"excluded", report.excluded},
      {"votes", {{"future", report.future_votes}, {"next_hour", report.next_hour_votes}}},
      {"invalid_indicators", report.invalid_indicators},
      {"archived_hours_pruned", report.archived_hours_pruned},
      {"guard_trips", report.guard_trips},
      {"destinations", std::move(destinations)},
      {"warnings", report.warnings},
      {"last_success", report.last_success ? Json(format_iso8601(*report.last_success)) : Json(nullptr)},
      {"totals",
       {{"runs", report.runs_total},
        {"guard_trips", report.guard_trips_total},
        {"upload_failures", report.upload_failures_total}}},
  };
  // Error texts quote servers and lists: never let a byte that is not UTF-8
  // stop the report from being written.
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::optional<RunReport> read_run_report(const std::filesystem::path& path) {
  try {
    std::optional<std::string> text = read_regular_file(path, std::size_t{16} << 20);
    if (!text) return std::nullopt;
    return parse_run_report(*text);
  } catch (const std::exception& error) {
    throw Error(fmt::format("{}: not a run report: {}", path.string(), error.what()));
  }
}

RunReport parse_run_report(std::string_view text) {
  auto count = [](const Json& json, const char* key) { return bounded_integer(json, key, 0, kMaxCount); };
  {
    Json json = Json::parse(text);
    RunReport report;
    report.started = required_time(json, "started");
    report.finished = required_time(json, "finished");
    report.hour = required_time(json, "hour");
    report.duration_seconds = json.at("duration_seconds").get<double>();
    if (!(report.duration_seconds >= 0 && report.duration_seconds < 1e9)) {
      throw DamagedFileError("duration_seconds is out of range");
    }
    std::string result = json.at("result").get<std::string>();
    bool known = false;
    for (auto candidate : kResults) {
      if (result_name(candidate) == result) {
        report.result = candidate;
        known = true;
      }
    }
    if (!known) throw DamagedFileError(fmt::format("unknown result {:?}", result));
    report.exit_code = static_cast<int>(bounded_integer(json, "exit_code", 0, 255));
    report.error = json.at("error").get<std::string>();
    for (const auto& feed : json.at("feeds")) {
      report.feeds.push_back(
          {feed.at("feed").get<std::string>(), count(feed, "entries"), count(feed, "added"), count(feed, "removed")});
    }
    report.excluded = count(json, "excluded");
    report.future_votes = count(json.at("votes"), "future");
    report.next_hour_votes = count(json.at("votes"), "next_hour");
    report.invalid_indicators = count(json, "invalid_indicators");
    report.archived_hours_pruned = count(json, "archived_hours_pruned");
    report.guard_trips = json.at("guard_trips").get<std::vector<std::string>>();
    for (const auto& destination : json.at("destinations")) {
      report.destinations.push_back({destination.at("name").get<std::string>(), destination.at("current").get<bool>(),
                                     count(destination, "uploaded"), count(destination, "unchanged"),
                                     count(destination, "retries"), count(destination, "deleted"),
                                     destination.at("error").get<std::string>()});
    }
    report.warnings = json.at("warnings").get<std::vector<std::string>>();
    report.last_success = optional_time(json, "last_success");
    report.runs_total = count(json.at("totals"), "runs");
    report.guard_trips_total = count(json.at("totals"), "guard_trips");
    for (const auto& [name, failures] : json.at("totals").at("upload_failures").items()) {
      if (!failures.is_number_integer() || failures.get<std::int64_t>() < 0 ||
          failures.get<std::int64_t>() > kMaxCount) {
        throw DamagedFileError("totals.upload_failures is out of range");
      }
      report.upload_failures_total[name] = failures.get<std::int64_t>();
    }
    return report;
  }
}

}  // namespace crowdfeed
