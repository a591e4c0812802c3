#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "feeds/publish.h"
#include "ops/history.h"
#include "temp_dir.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;

namespace {

TimePoint at(const char* text) {
  return *parse_time(text);
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

}  // namespace

// A wall clock after every hour these tests record.
const TimePoint kLater = at("2030-01-01T00:00:00Z");

TEST_CASE("the archive finds the newest hour before a given one, and prunes whole hours after the retention") {
  TempDir dir;
  History history(dir / "feeds");
  CHECK(history.hour_directory(at("2026-11-27T21:59:59Z")) == dir / "feeds" / "archive" / "2026/11/27/21");
  CHECK_FALSE(history.list_before(at("2026-11-27T22:00:00Z"), "malicious-domains.txt"));

  for (const char* hour : {"2026-11-26T23:00:00Z", "2026-11-27T21:00:00Z", "2026-11-27T22:00:00Z"}) {
    write(dir / "feeds" / "malicious-domains.txt", fmt::format("# Version: {}\nb.example\na.example\n", hour));
    history.archive(at(hour), {"malicious-domains.txt"});
    history.record(at(hour), {{at(hour), "malicious-domains", 2, 0, 0}}, std::chrono::days(30), kLater);
  }
  // A second run in the 22:00 hour compares with 21:00, not with itself.
  auto previous = history.list_before(at("2026-11-27T22:00:00Z"), "malicious-domains.txt");
  REQUIRE(previous);
  CHECK(previous->hour == at("2026-11-27T21:00:00Z"));
  CHECK(plain_feed_entries(previous->text) ==
        std::vector<std::string>{"a.example", "b.example"});  // sorted, no comments
  CHECK(history.list_before(at("2026-11-27T21:00:00Z"), "malicious-domains.txt")->hour == at("2026-11-26T23:00:00Z"));

  // Recording an hour again replaces its rows.
  history.record(at("2026-11-27T22:00:00Z"), {{at("2026-11-27T22:00:00Z"), "malicious-domains", 5, 3, 0}},
                 std::chrono::days(30), kLater);
  REQUIRE(history.rows().size() == 3);
  CHECK(history.rows().back() == HistoryRow{at("2026-11-27T22:00:00Z"), "malicious-domains", 5, 3, 0});

  // An hour far ahead of the wall clock (--at by mistake) prunes nothing the
  // wall clock would keep.
  CHECK(history.record(at("2027-11-28T00:00:00Z"), {}, std::chrono::days(1), at("2026-11-27T23:00:00Z")) == 0);
  CHECK(history.rows().size() == 3);
  // With one day of retention, 2026-11-26T23:00 is kept at 2026-11-27T23:00 and pruned an hour later.
  CHECK(history.record(at("2026-11-27T23:00:00Z"), {}, std::chrono::days(1), kLater) == 0);
  CHECK(history.record(at("2026-11-28T00:00:00Z"), {}, std::chrono::days(1), kLater) == 1);
  CHECK_FALSE(std::filesystem::exists(dir / "feeds" / "archive" / "2026" / "11" / "26"));
  CHECK(history.rows().size() == 2);
}

TEST_CASE("damaged history.csv rows are skipped, and the others kept") {
  TempDir dir;
  History history(dir / "feeds");
  write(history.csv_path(),
        "hour,feed,entries,added,removed\n2026-11-27T21:00:00Z,m,1,1,0\nnot,a,row\n"
        "2026-11-27T22:00:00Z,m,9223372036854775807,0,0\n2026-11-27T22:00:00Z,m,-3,0,0\n"
        "9223372036854775807,m,1,0,0\n2026-11-27T23:00:00Z,m,2,1,0\n");
  CHECK(history.rows() == std::vector<HistoryRow>{{at("2026-11-27T21:00:00Z"), "m", 1, 1, 0},
                                                  {at("2026-11-27T23:00:00Z"), "m", 2, 1, 0}});
}
