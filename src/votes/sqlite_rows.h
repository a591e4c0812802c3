// Unix seconds as the SQLite store keeps times, for both of its files
// (sqlite_store.cpp, sqlite_disputes.cpp).
#pragma once

#include <cstdint>

#include "util/time.h"

namespace crowdfeed::sqlite_rows {

inline std::int64_t seconds(TimePoint time) {
  return time.time_since_epoch().count();
}

inline TimePoint time_from(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

}  // namespace crowdfeed::sqlite_rows
