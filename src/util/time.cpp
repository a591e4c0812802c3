#include "util/time.h"

#include <date/date.h>
#include <fmt/format.h>

#include <charconv>
#include <sstream>

namespace crowdfeed {

TimePoint now_utc() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

namespace {

std::optional<TimePoint> parse_unix_seconds(std::string_view text) {
  long long seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || seconds < 0) return std::nullopt;
  return TimePoint(std::chrono::seconds(seconds));
}

// Tries one date::parse format against the whole of `text`.
template <typename Duration>
bool parse_whole(const std::string& text, const char* format, date::sys_time<Duration>& out,
                 std::chrono::minutes* offset = nullptr) {
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  if (offset != nullptr) {
    in >> date::parse(format, out, *offset);
  } else {
    in >> date::parse(format, out);
  }
  return !in.fail() && in.peek() == std::char_traits<char>::eof();
}

}  // namespace

std::optional<TimePoint> parse_time(std::string_view view) {
  if (view.empty()) return std::nullopt;
  if (view.find_first_not_of("0123456789") == std::string_view::npos) return parse_unix_seconds(view);

  std::string text(view);
  for (char& c : text) {
    if (c == 't') c = 'T';
    if (c == 'z') c = 'Z';
  }
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';

  // With an offset, %z gives the local time and its offset from UTC, so
  // date::parse returns the UTC instant directly.
  date::sys_time<std::chrono::microseconds> precise;
  std::chrono::minutes offset{0};
  if (parse_whole(text, "%FT%TZ", precise) || parse_whole(text, "%FT%T%Ez", precise, &offset) ||
      parse_whole(text, "%FT%T%z", precise, &offset) || parse_whole(text, "%FT%T", precise)) {
    return std::chrono::floor<std::chrono::seconds>(precise);
  }
  date::sys_days day;
  if (parse_whole(text, "%F", day)) return TimePoint(day);
  return std::nullopt;
}

std::string format_iso8601(TimePoint time) {
  return date::format("%FT%TZ", time);
}

TimePoint floor_to_hour(TimePoint time) {
  return std::chrono::floor<std::chrono::hours>(time);
}

std::string format_hour_version(TimePoint time) {
  return date::format("%Y%m%d%H", floor_to_hour(time));
}

}  // namespace crowdfeed
