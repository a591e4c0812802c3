// Reading libpq's text results, and Unix seconds, as both PostgreSQL store
// files (postgres_store.cpp, postgres_disputes.cpp) do.
#pragma once

#include <libpq-fe.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "util/time.h"

namespace crowdfeed::postgres_rows {

inline std::int64_t seconds(TimePoint time) {
  return time.time_since_epoch().count();
}

inline TimePoint time_from(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

inline std::int64_t integer(const PGresult* result, int row, int column) {
  const char* text = PQgetvalue(result, row, column);
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

inline std::string text(const PGresult* result, int row, int column) {
  return std::string(PQgetvalue(result, row, column), static_cast<std::size_t>(PQgetlength(result, row, column)));
}

inline bool null(const PGresult* result, int row, int column) {
  return PQgetisnull(result, row, column) != 0;
}

inline std::optional<TimePoint> optional_time(const PGresult* result, int row, int column) {
  if (null(result, row, column)) return std::nullopt;
  return time_from(integer(result, row, column));
}

}  // namespace crowdfeed::postgres_rows
