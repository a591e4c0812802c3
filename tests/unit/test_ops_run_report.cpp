#include <catch2/catch.hpp>
#include <fstream>

#include "ops/metrics.h"
#include "ops/run_report.h"
#include "temp_dir.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;

namespace {

TimePoint at(const char* text) {
  return *parse_time(text);
}

RunReport sample_report() {
  RunReport report = RunReport::start(at("2026-11-27T22:00:05Z"), at("2026-11-27T22:00:00Z"), std::nullopt);
  report.feeds = {{"malicious-domains", 120, 4, 1}, {"non-malicious-domains", 80, 0, 2}};
  report.excluded = 3;
  report.future_votes = 2;
  report.destinations = {{"s3 \"main\"", true, 5, 30, 1, 2, ""}, {"dav", false, 1, 0, 4, 0, "HTTP 500"}};
  report.warnings = {"warning: something"};
  report.finish(RunReport::Result::kUploadFailed, 1, at("2026-11-27T22:00:09Z"), 4.25);
  return report;
}

}  // namespace

TEST_CASE("the run report reads back what it wrote, and carries totals and the last success") {
  TempDir dir;
  RunReport report = sample_report();
  std::ofstream(dir / "last-run.json") << render_run_report(report);
  auto read = read_run_report(dir / "last-run.json");
  REQUIRE(read);
  CHECK(read->result == RunReport::Result::kUploadFailed);
  CHECK(read->feeds.size() == 2);
  CHECK(read->feeds[0].added == 4);
  CHECK(read->destinations[1].error == "HTTP 500");
  CHECK_FALSE(read->last_success);
  CHECK(read->upload_failures_total == std::map<std::string, std::int64_t>{{"dav", 1}});

  RunReport next = RunReport::start(at("2026-11-27T23:00:00Z"), at("2026-11-27T23:00:00Z"), read);
  next.finish(RunReport::Result::kPublished, 0, at("2026-11-27T23:00:03Z"), 3);
  CHECK(next.runs_total == 2);
  CHECK(next.last_success == at("2026-11-27T23:00:03Z"));
  CHECK(next.upload_failures_total.at("dav") == 1);

  std::ofstream(dir / "broken.json") << "{\"started\": 5}";
  CHECK_THROWS_WITH(read_run_report(dir / "broken.json"), Catch::Contains("broken.json: not a run report"));
  CHECK_FALSE(read_run_report(dir / "missing.json"));
}

TEST_CASE("metrics: one sample per feed and destination, label values escaped") {
  std::string text = render_metrics(sample_report());
  CHECK_THAT(text, Catch::Contains("# TYPE crowdfeed_last_success_timestamp_seconds gauge\n"
                                   "crowdfeed_last_success_timestamp_seconds 0\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_last_run_result{result=\"upload-failed\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_last_run_result{result=\"published\"} 0\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_feed_entries{feed=\"malicious-domains\"} 120\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_feed_removed{feed=\"non-malicious-domains\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_destination_current{destination=\"s3 \\\"main\\\"\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_upload_failures_total{destination=\"dav\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_rejected_votes{reason=\"future\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_last_run_duration_seconds 4.250\n"));
}
