// Logging on stderr, one event a line with a level, for journald and grep.
//
// Text lines read "crowdfeed: LEVEL: MESSAGE". When stderr is the systemd
// journal (JOURNAL_STREAM names it), each line starts with its syslog
// priority, "<3>" for an error, so that journald files it at that priority.
// With the JSON format each event is one object on one line.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crowdfeed::log {

enum class Level { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };
enum class Format { kText, kJson };

void set_level(Level level);
bool enabled(Level level);
void set_format(Format format);
// "text" or "json"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
void write(Level level, std::string_view message);

// Whether stderr is a terminal a person watches (and the text format is
// on): only then is progress drawn.
bool interactive();

// The warnings and errors written so far (the first 100), for a run report.
std::vector<std::string> problems();

template <typename... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
  write(Level::kError, fmt::format(format, std::forward<Args>(args)...));
}

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

// One stage of a run, logged at -v when it ends, with how long it took:
//   Stage stage("read the tallies");
//   ...
//   stage.done("{} indicators", count);   // or just let it go out of scope
class Stage {
 public:
  explicit Stage(std::string name);
  ~Stage();
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;

  template <typename... Args>
  void done(fmt::format_string<Args...> format, Args&&... args) {
    finish(fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  void finish(std::string_view detail);
  std::string name_;
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

// Progress of a long step, drawn on one terminal line that is rewritten at
// most a few times a second and cleared at the end. Nothing is drawn when
// stderr is not a terminal (a timer's run, a pipe, the journal).
class Progress {
 public:
  // `total` 0: unknown, only the count is shown.
  Progress(std::string label, std::uint64_t total, std::string_view unit);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Cheap enough to call for every item.
  void update(std::uint64_t done) {
    if (active_ && ++calls_ % 1024 == 0) draw(done, false);
  }
  // For steps that come rarely (a file uploaded): checks the clock each time.
  void update_coarse(std::uint64_t done) {
    if (active_) draw(done, false);
  }
  void finish();

 private:
  void draw(std::uint64_t done, bool force);
  std::string label_;
  std::uint64_t total_;
  std::string unit_;
  bool active_;
  std::uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace crowdfeed::log
