#include "util/log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>

#include "util/text.h"
#include "util/time.h"

namespace crowdfeed::log {
namespace {

Level g_level = Level::kInfo;
Format g_format = Format::kText;
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

// syslog(3) priorities, as sd-daemon(3) prefixes them.
constexpr int priority(Level level) {
  switch (level) {
    case Level::kError:
      return 3;  // LOG_ERR
    case Level::kWarning:
      return 4;  // LOG_WARNING
    case Level::kInfo:
      return 6;  // LOG_INFO
    case Level::kDebug:
      return 7;  // LOG_DEBUG
  }
  return 6;
}

// systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it connects
// to stdout/stderr; stderr is the journal only if it is still that stream
// (not redirected by a shell in between).
bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  struct stat status {};
  if (::fstat(STDERR_FILENO, &status) != 0) return false;
  return std::string_view(stream) == fmt::format("{}:{}", status.st_dev, status.st_ino);
}

const bool g_journal = stderr_is_journal();
const bool g_terminal = ::isatty(STDERR_FILENO) == 1;

// A progress line drawn on the terminal, erased before any log line.
std::mutex g_terminal_mutex;
bool g_progress_shown = false;

void clear_progress_locked() {
  if (g_progress_shown) {
    std::fputs("\r\033[K", stderr);
    g_progress_shown = false;
  }
}

}  // namespace

void set_level(Level level) {
  g_level = level;
}

bool enabled(Level level) {
  return level <= g_level;
}

void set_format(Format format) {
  g_format = format;
}

std::optional<Format> parse_format(std::string_view format_name) {
  if (format_name == "text") return Format::kText;
  if (format_name == "json") return Format::kJson;
  return std::nullopt;
}

bool interactive() {
  return g_terminal && g_format == Format::kText;
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
  std::string line;
  if (g_format == Format::kJson) {
    nlohmann::ordered_json event = {{"time", format_iso8601(now_utc())}, {"level", name(level)}, {"message", message}};
    line = event.dump() + "\n";
  } else if (g_journal) {
    line = fmt::format("<{}>crowdfeed: {}: {}\n", priority(level), name(level), message);
  } else {
    line = fmt::format("crowdfeed: {}: {}\n", name(level), message);
  }
  // One write per event, so lines from concurrent processes never interleave.
  std::lock_guard lock(g_terminal_mutex);
  clear_progress_locked();
  std::fwrite(line.data(), 1, line.size(), stderr);
}

Stage::Stage(std::string stage_name) : name_(std::move(stage_name)), start_(std::chrono::steady_clock::now()) {
  debug("stage: {}: started", name_);
}

Stage::~Stage() {
  if (!finished_) finish({});
}

void Stage::finish(std::string_view detail) {
  finished_ = true;
  if (!enabled(Level::kDebug)) return;
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
  write(Level::kDebug, detail.empty() ? fmt::format("stage: {}: done in {:.3f} s", name_, took.count())
                                      : fmt::format("stage: {}: done in {:.3f} s ({})", name_, took.count(), detail));
}

Progress::Progress(std::string label, std::uint64_t total, std::string_view unit)
    : label_(printable(label, 200)),  // a file name may hold escape sequences
      total_(total),
      unit_(unit),
      active_(interactive() && enabled(Level::kInfo)) {}

Progress::~Progress() {
  finish();
}

void Progress::finish() {
  if (!active_) return;
  active_ = false;
  std::lock_guard lock(g_terminal_mutex);
  clear_progress_locked();
}

void Progress::draw(std::uint64_t done, bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  std::string text = total_ > 0 ? fmt::format("\r\033[K{}: {} of {} {} ({:.0f}%)", label_, done, total_, unit_,
                                              100.0 * static_cast<double>(done) / static_cast<double>(total_))
                                : fmt::format("\r\033[K{}: {} {}", label_, done, unit_);
  std::lock_guard lock(g_terminal_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
  g_progress_shown = true;
}

}  // namespace crowdfeed::log
