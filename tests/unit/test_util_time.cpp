#include <date/date.h>

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
                           "12abc", "2026-11-27T21:05", "2027-11-27T58", "2027-11-27T581c!ind", "2026-11-27T21:05:00.Z",
                           "2026-11-27T21:05:00+1", "10000-01-01T00:00:00Z", "253402300800",
                           "2026-11-27T20:00:00+99:99", "2026-11-27T20:00:00+15:00", "2026-11-27T20:00:00+01:60"}) {
    INFO(text);
    CHECK_FALSE(parse_time(text).has_value());
  }
}

TEST_CASE("milliseconds and microseconds are named as such; times ahead of the clock are refused") {
  CHECK(time_problem("1795880000000") ==
        "looks like Unix milliseconds (13 digits), not seconds; give Unix seconds or ISO 8601");
  CHECK(time_problem("1795880000000000").starts_with("looks like Unix microseconds (16 digits)"));
  CHECK(time_problem("9223372036854775807").starts_with("looks like Unix nanoseconds (19 digits)"));
  CHECK(time_problem("99999999999999999999") == "is out of range: times go from 1970 to 9999");
  CHECK(time_problem("1795880000").empty());
  CHECK(parse_time("253402300799").has_value());  // the last second of 9999
  TimePoint now = *parse_time("2026-11-28T12:00:00Z");
  CHECK(future_time_problem(now + std::chrono::seconds(300), now, std::chrono::seconds(300)).empty());
  CHECK(future_time_problem(now + std::chrono::seconds(301), now, std::chrono::seconds(300)) ==
        "is 301 s ahead of this machine's clock (2026-11-28T12:00:00Z), more than the allowed skew of 300 s");
  CHECK(format_version(*parse_time("2026-11-27T21:05:59Z")) == "202611272105");
}

TEST_CASE("floor_to_hour gives the start of the UTC hour") {
  CHECK(format_iso8601(floor_to_hour(*parse_time("2026-11-27T21:59:59Z"))) == "2026-11-27T21:00:00Z");
}

TEST_CASE("ISO 8601 text is what date::format writes, at every edge of the plausible range") {
  for (std::int64_t seconds : {0LL, 59LL, 86399LL, 951782400LL, 1795813199LL, 4102444800LL, 253402300799LL}) {
    TimePoint time{std::chrono::seconds(seconds)};
    CHECK(format_iso8601(time) == date::format("%FT%TZ", time));
  }
}
