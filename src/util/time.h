// Points in time: all UTC, to the second.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace crowdfeed {

using TimePoint = std::chrono::sys_seconds;

TimePoint now_utc();

// Parses ISO 8601 ("2026-11-27T21:05:00Z", "...+01:00", "2026-11-27 21:05:00",
// fractional seconds dropped; no offset means UTC; a bare date means its
// midnight UTC) or Unix seconds ("1795813500"). Returns nullopt otherwise.
std::optional<TimePoint> parse_time(std::string_view text);

// "2026-11-27T21:05:00Z"
std::string format_iso8601(TimePoint time);

// The start of the UTC hour that contains `time`.
TimePoint floor_to_hour(TimePoint time);

// The UTC hour that contains `time` as "YYYYMMDDHH" ("2026112721").
std::string format_hour_version(TimePoint time);

}  // namespace crowdfeed
