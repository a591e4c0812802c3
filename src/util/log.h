// Logging on stderr, one event a line with a level, for journald and grep.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

namespace crowdfeed::log {

enum class Level { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

void set_level(Level level);
bool enabled(Level level);
void write(Level level, std::string_view message);

// The warnings and errors written so far (the first 100), for a run report.
std::vector<std::string> problems();

template <typename... Args>
void warning(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::kWarning)) write(Level::kWarning, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::kInfo)) write(Level::kInfo, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (enabled(Level::kDebug)) write(Level::kDebug, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace crowdfeed::log
