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
  if (error != std::errc() || end != text.data() + text.size() || seconds < 0 || seconds > kLatestUnixSeconds) {
    return std::nullopt;
  }
  return TimePoint(std::chrono::seconds(seconds));
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
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

// Whether `text` has the shape of what parse_time() reads as ISO 8601:
// YYYY-MM-DD, optionally followed by THH:MM:SS, a fraction of up to nine
// digits, and Z or an offset (+HH:MM, +HHMM). date::parse is only handed
// text of this shape: on some truncated times ("2027-11-27T58") it reads
// an uninitialised fraction of a second.
bool has_iso8601_shape(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t count) {
    if (from + count > text.size()) return false;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  auto is = [&](std::size_t at, char c) { return at < text.size() && text[at] == c; };
  if (!digits(0, 4) || !is(4, '-') || !digits(5, 2) || !is(7, '-') || !digits(8, 2)) return false;
  if (text.size() == 10) return true;
  if (!is(10, 'T') || !digits(11, 2) || !is(13, ':') || !digits(14, 2) || !is(16, ':') || !digits(17, 2)) return false;
  std::size_t at = 19;
  if (is(at, '.')) {
    std::size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == start || at - start > 9) return false;
  }
  if (at == text.size()) return true;
  if (is(at, 'Z')) return at + 1 == text.size();
  if (!is(at, '+') && !is(at, '-')) return false;
  if (!digits(at + 1, 2)) return false;
  std::size_t minutes = is(at + 3, ':') ? at + 4 : at + 3;
  if (!digits(minutes, 2) || minutes + 2 != text.size()) return false;
  // Offsets in use run from -12:00 to +14:00.
  int hours = (text[at + 1] - '0') * 10 + (text[at + 2] - '0');
  return hours <= 14 && text[minutes] < '6';
}

}  // namespace

std::optional<TimePoint> parse_time(std::string_view view) {
  if (view.empty()) return std::nullopt;
  if (all_digits(view)) return parse_unix_seconds(view);
  // ISO 8601 has a fixed shape; anything far longer is not one.
  if (view.size() > 64) return std::nullopt;

  std::string text(view);
  for (char& c : text) {
    if (c == 't') c = 'T';
    if (c == 'z') c = 'Z';
  }
  if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
  if (!has_iso8601_shape(text)) return std::nullopt;

  // With an offset, %z gives the local time and its offset from UTC, so
  // date::parse returns the UTC instant directly.
  date::sys_time<std::chrono::microseconds> precise;
  std::chrono::minutes offset{0};
  std::optional<TimePoint> parsed;
  date::sys_days day;
  if (parse_whole(text, "%FT%TZ", precise) || parse_whole(text, "%FT%T%Ez", precise, &offset) ||
      parse_whole(text, "%FT%T%z", precise, &offset) || parse_whole(text, "%FT%T", precise)) {
    parsed = std::chrono::floor<std::chrono::seconds>(precise);
  } else if (parse_whole(text, "%F", day)) {
    parsed = TimePoint(day);
  }
  if (!parsed || !is_plausible_time(*parsed)) return std::nullopt;
  return parsed;
}

bool is_plausible_time(TimePoint time) {
  auto seconds = time.time_since_epoch().count();
  return seconds >= 0 && seconds <= kLatestUnixSeconds;
}

std::string time_problem(std::string_view text) {
  if (parse_time(text)) return {};
  if (all_digits(text) && text.size() >= 13 && text.size() <= 19) {
    // Today is 10 digits of seconds; 13 are milliseconds, 16 microseconds,
    // 19 nanoseconds.
    std::string_view unit = text.size() >= 19 ? "nanoseconds" : text.size() >= 16 ? "microseconds" : "milliseconds";
    return fmt::format("looks like Unix {} ({} digits), not seconds; give Unix seconds or ISO 8601", unit, text.size());
  }
  if (all_digits(text)) return "is out of range: times go from 1970 to 9999";
  return "is neither ISO 8601 nor Unix seconds (from 1970 to 9999)";
}

std::string future_time_problem(TimePoint time, TimePoint now, std::chrono::seconds max_skew) {
  if (time <= now + max_skew) return {};
  return fmt::format("is {} s ahead of this machine's clock ({}), more than the allowed skew of {} s",
                     (time - now).count(), format_iso8601(now), max_skew.count());
}

void write_iso8601(TimePoint time, char* text) {
  // Every CSV and JSON feed line carries two of these: date's calendar
  // arithmetic and the digits written in place (date::format's iostreams
  // took 17 % of a run, fmt's parsing of a format string 8 %).
  auto day = std::chrono::floor<date::days>(time);
  date::year_month_day date{day};
  auto seconds = static_cast<unsigned>((time - day).count());
  auto digits = [&text](unsigned value, int count) {
    for (int i = count - 1; i >= 0; --i, value /= 10) text[i] = static_cast<char>('0' + value % 10);
    text += count;
  };
  auto separator = [&text](char c) { *text++ = c; };
  // Times are checked to lie in years 1970 to 9999 where they enter.
  digits(static_cast<unsigned>(std::clamp(static_cast<int>(date.year()), 0, 9999)), 4);
  separator('-');
  digits(static_cast<unsigned>(date.month()), 2);
  separator('-');
  digits(static_cast<unsigned>(date.day()), 2);
  separator('T');
  digits(seconds / 3600, 2);
  separator(':');
  digits(seconds / 60 % 60, 2);
  separator(':');
  digits(seconds % 60, 2);
  separator('Z');
}

std::string format_iso8601(TimePoint time) {
  std::string text(kIso8601Length, '\0');
  write_iso8601(time, text.data());
  return text;
}

TimePoint floor_to_hour(TimePoint time) {
  return std::chrono::floor<std::chrono::hours>(time);
}

std::string format_hour_version(TimePoint time) {
  return date::format("%Y%m%d%H", floor_to_hour(time));
}

std::string format_version(TimePoint time) {
  return date::format("%Y%m%d%H%M", std::chrono::floor<std::chrono::minutes>(time));
}

}  // namespace crowdfeed
