#include "ops/run_report.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace crowdfeed {
namespace {

using Json = nlohmann::ordered_json;

constexpr RunReport::Result kResults[] = {RunReport::Result::kPublished, RunReport::Result::kUploadFailed,
                                          RunReport::Result::kGuardTripped, RunReport::Result::kFailed};

std::optional<TimePoint> optional_time(const Json& json, const char* key) {
  if (!json.contains(key) || json[key].is_null()) return std::nullopt;
  auto time = parse_time(json[key].get<std::string>());
  if (!time) throw std::invalid_argument(fmt::format("{} is not a time", key));
  return time;
}

TimePoint required_time(const Json& json, const char* key) {
  auto time = optional_time(json, key);
  if (!time) throw std::invalid_argument(fmt::format("{} is missing", key));
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
  return json.dump(2) + "\n";
}

std::optional<RunReport> read_run_report(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    Json json = Json::parse(in);
    RunReport report;
    report.started = required_time(json, "started");
    report.finished = required_time(json, "finished");
    report.hour = required_time(json, "hour");
    report.duration_seconds = json.at("duration_seconds").get<double>();
    std::string result = json.at("result").get<std::string>();
    bool known = false;
    for (auto candidate : kResults) {
      if (result_name(candidate) == result) {
        report.result = candidate;
        known = true;
      }
    }
    if (!known) throw std::invalid_argument(fmt::format("unknown result {:?}", result));
    report.exit_code = json.at("exit_code").get<int>();
    report.error = json.at("error").get<std::string>();
    for (const auto& feed : json.at("feeds")) {
      report.feeds.push_back({feed.at("feed").get<std::string>(), feed.at("entries").get<std::int64_t>(),
                              feed.at("added").get<std::int64_t>(), feed.at("removed").get<std::int64_t>()});
    }
    report.excluded = json.at("excluded").get<std::int64_t>();
    report.future_votes = json.at("votes").at("future").get<std::int64_t>();
    report.next_hour_votes = json.at("votes").at("next_hour").get<std::int64_t>();
    report.invalid_indicators = json.at("invalid_indicators").get<std::int64_t>();
    report.archived_hours_pruned = json.at("archived_hours_pruned").get<std::int64_t>();
    report.guard_trips = json.at("guard_trips").get<std::vector<std::string>>();
    for (const auto& destination : json.at("destinations")) {
      report.destinations.push_back(
          {destination.at("name").get<std::string>(), destination.at("current").get<bool>(),
           destination.at("uploaded").get<std::int64_t>(), destination.at("unchanged").get<std::int64_t>(),
           destination.at("retries").get<std::int64_t>(), destination.at("deleted").get<std::int64_t>(),
           destination.at("error").get<std::string>()});
    }
    report.warnings = json.at("warnings").get<std::vector<std::string>>();
    report.last_success = optional_time(json, "last_success");
    report.runs_total = json.at("totals").at("runs").get<std::int64_t>();
    report.guard_trips_total = json.at("totals").at("guard_trips").get<std::int64_t>();
    report.upload_failures_total = json.at("totals").at("upload_failures").get<std::map<std::string, std::int64_t>>();
    return report;
  } catch (const std::exception& error) {
    throw Error(fmt::format("{}: not a run report: {}", path.string(), error.what()));
  }
}

}  // namespace crowdfeed
