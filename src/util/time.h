// Points in time: all UTC, to the second.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crowdfeed {

using TimePoint = std::chrono::sys_seconds;

TimePoint now_utc();

// The times crowdfeed accepts anywhere: from 1970 to the end of year 9999.
// Unix seconds beyond that are milliseconds or microseconds by mistake.
constexpr std::int64_t kLatestUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// Parses ISO 8601 ("2026-11-27T21:05:00Z", "...+01:00", "2026-11-27 21:05:00",
// fractional seconds dropped; no offset means UTC; a bare date means its
// midnight UTC) or Unix seconds ("1795813500"), between 1970 and 9999.
// Returns nullopt otherwise.
std::optional<TimePoint> parse_time(std::string_view text);

// Why `text` is not a time parse_time() accepts, in words that complete
// "VALUE ...": "is neither ISO 8601 nor Unix seconds", "looks like Unix
// milliseconds (13 digits); give seconds". Empty when it is one.
std::string time_problem(std::string_view text);

// Whether `time` lies in the range parse_time() accepts.
bool is_plausible_time(TimePoint time);

// Why `time` is not acceptable as the time of an event observed now, or ""
// when it is: more than `max_skew` ahead of `now` (this machine's clock).
std::string future_time_problem(TimePoint time, TimePoint now, std::chrono::seconds max_skew);

// "2026-11-27T21:05:00Z"
std::string format_iso8601(TimePoint time);
// The same, for fmt ("{}" with Iso8601{time}): written in place, without
// a string of its own, for the millions of times a large feed carries.
struct Iso8601 {
  TimePoint time;
};
// Writes "YYYY-MM-DDTHH:MM:SSZ" (kIso8601Length characters) at `text`.
constexpr std::size_t kIso8601Length = 20;
void write_iso8601(TimePoint time, char* text);

// The start of the UTC hour that contains `time`.
TimePoint floor_to_hour(TimePoint time);

// The UTC hour that contains `time` as "YYYYMMDDHH" ("2026112721").
std::string format_hour_version(TimePoint time);

// The minute of `time` as "YYYYMMDDHHMM" ("202611272100"): the Version a
// feed file carries. Published content changes at most once a minute (see
// feeds/publish), so a newer content always has a larger version, both as
// a number and as text.
std::string format_version(TimePoint time);

}  // namespace crowdfeed

template <>
struct fmt::formatter<crowdfeed::Iso8601> {
  constexpr auto parse(fmt::format_parse_context& context) { return context.begin(); }
  template <typename Context>
  auto format(const crowdfeed::Iso8601& value, Context& context) const {
    char text[crowdfeed::kIso8601Length];
    crowdfeed::write_iso8601(value.time, text);
    return std::copy(text, text + sizeof text, context.out());
  }
};
