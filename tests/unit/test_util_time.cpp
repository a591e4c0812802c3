#include <catch2/catch.hpp>

#include "util/time.h"

using namespace crowdfeed;

TEST_CASE("times parse from ISO 8601 variants and Unix seconds, all to UTC") {
  CHECK(format_iso8601(*parse_time("2026-11-27T21:05:00Z")) == "2026-11-27T21:05:00Z");
  CHECK(format_iso8601(*parse_time("2026-11-27t21:05:00z")) == "2026-11-27T21:05:00Z");
  CHECK(format_iso8601(*parse_time("2026-11-27T22:05:00+01:00")) == "2026-11-27T21:05:00Z");
  CHECK(format_iso8601(*parse_time("2026-11-27T16:05:00-0500")) == "2026-11-27T21:05:00Z");
  CHECK(format_iso8601(*parse_time("2026-11-27 21:05:00")) == "2026-11-27T21:05:00Z");
  CHECK(format_iso8601(*parse_time("2026-11-27T21:05:00.750Z")) == "2026-11-27T21:05:00Z");
  CHECK(format_iso8601(*parse_time("2026-11-27")) == "2026-11-27T00:00:00Z");
  CHECK(format_iso8601(*parse_time("0")) == "1970-01-01T00:00:00Z");
  CHECK(parse_time("1795813500")->time_since_epoch().count() == 1795813500);
}

TEST_CASE("malformed times are refused") {
  for (const char* text : {"", "yesterday", "2026-13-01", "2026-11-27T25:00:00Z", "2026-11-27T21:05:00Zjunk", "-5",
                           "12abc", "2026-11-27T21:05"}) {
    INFO(text);
    CHECK_FALSE(parse_time(text).has_value());
  }
}

TEST_CASE("floor_to_hour gives the start of the UTC hour") {
  CHECK(format_iso8601(floor_to_hour(*parse_time("2026-11-27T21:59:59Z"))) == "2026-11-27T21:00:00Z");
}
