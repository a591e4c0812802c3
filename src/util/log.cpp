#include "util/log.h"

#include <cstdio>
#include <mutex>

#include "util/text.h"

namespace crowdfeed::log {
namespace {

Level g_level = Level::kInfo;
std::mutex g_problems_mutex;
std::vector<std::string> g_problems;
constexpr std::size_t kMaxProblems = 100;

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

std::vector<std::string> problems() {
  std::lock_guard lock(g_problems_mutex);
  return g_problems;
}

void write(Level level, std::string_view raw_message) {
  // Whatever a message quotes (a vote argument, a server's answer, a list
  // entry), it stays one line of valid UTF-8 without a credential in it.
  std::string message = safe_message(raw_message);
  if (level <= Level::kWarning) {
    std::lock_guard lock(g_problems_mutex);
    if (g_problems.size() < kMaxProblems) g_problems.emplace_back(fmt::format("{}: {}", name(level), message));
  }
  // One write per event, so lines from concurrent processes never interleave.
  std::string line = fmt::format("crowdfeed: {}: {}\n", name(level), message);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace crowdfeed::log
