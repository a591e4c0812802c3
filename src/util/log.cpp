#include "util/log.h"

#include <cstdio>

namespace crowdfeed::log {
namespace {

Level g_level = Level::kInfo;

constexpr std::string_view name(Level level) {
  switch (level) {
    case Level::kError:
      return "error";
    case Level::kWarning:
      return "warning";
    case Level::kInfo:
      return "info";
    case Level::kDebug:
      return "debug";
  }
  return "info";
}

}  // namespace

void set_level(Level level) {
  g_level = level;
}

bool enabled(Level level) {
  return level <= g_level;
}

void write(Level level, std::string_view message) {
  // One write per event, so lines from concurrent processes never interleave.
  std::string line = fmt::format("crowdfeed: {}: {}\n", name(level), message);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace crowdfeed::log
