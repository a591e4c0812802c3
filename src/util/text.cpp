#include "util/text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace crowdfeed {
namespace {

// The length of the UTF-8 sequence at the start of `text`, or 0 when it is
// not a valid one.
std::size_t utf8_sequence_length(std::string_view text) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the allowed range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // no overlong forms
    if (lead == 0xed) high = 0x9f;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return length;
}

// The code point of the valid UTF-8 sequence of `length` bytes at the
// start of `text`.
char32_t code_point(std::string_view text, std::size_t length) {
  auto byte = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(text[i])); };
  if (length == 1) return byte(0);
  char32_t value = byte(0) & (0xff >> (length + 1));
  for (std::size_t i = 1; i < length; ++i) value = (value << 6) | (byte(i) & 0x3f);
  return value;
}

// Characters that end a line for some reader or reorder what a terminal
// shows, beyond ASCII's controls: C1 controls (U+0085 is a line break for
// Unicode-aware readers), the line and paragraph separators, and the
// bidirectional embeddings, overrides and isolates.
// Controls that print as nothing or move text (C1, line and paragraph
// separators, bidi overrides and isolates), and noncharacters (U+FDD0 to
// U+FDEF, and the last two of every plane: U+FFFE and U+FFFF are not even
// allowed in XML 1.0).
bool is_hidden_control(char32_t c) {
  return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

// Replaces, from `start`, the characters up to the first of `stops` (or the
// end) with REDACTED; returns where the scan continues.
std::size_t redact_from(std::string& text, std::string& lower, std::size_t start, std::string_view stops) {
  std::size_t end = text.find_first_of(stops, start);
  if (end == std::string::npos) end = text.size();
  if (end == start) return start;
  text.replace(start, end - start, "REDACTED");
  lower.replace(start, end - start, "REDACTED");
  return start + 8;
}

constexpr std::string_view kSpace = " \t\r\n\"'<>";

}  // namespace

bool is_valid_utf8(std::string_view text) {
  while (!text.empty()) {
    std::size_t length = utf8_sequence_length(text);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

bool is_one_line(std::string_view text) {
  while (!text.empty()) {
    std::size_t length = utf8_sequence_length(text);
    if (length == 0) return false;
    char32_t point = code_point(text, length);
    if (point < 0x20 || point == 0x7f || is_hidden_control(point)) return false;
    text.remove_prefix(length);
  }
  return true;
}

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t position = 0;
  while (position < text.size()) {
    if (out.size() >= max_bytes) {
      out += fmt::format("... ({} more bytes)", text.size() - position);
      break;
    }
    std::size_t length = utf8_sequence_length(text.substr(position));
    auto c = static_cast<unsigned char>(text[position]);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", c);
      length = 1;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (char32_t point = code_point(text.substr(position), length); is_hidden_control(point)) {
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(point));
    } else {
      out.append(text.substr(position, length));
    }
    position += length;
  }
  return out;
}

std::string quote_text(std::string_view text, std::size_t max_bytes) {
  std::string escaped;
  for (char c : printable(text, max_bytes)) {
    if (c == '"') escaped += '\\';
    escaped += c;
  }
  // A backslash of the text itself is left alone: printable() escapes are
  // what a reader needs to see, and a doubled backslash would hide them.
  return "\"" + escaped + "\"";
}

std::string redact_secrets(std::string text) {
  std::string lower = lower_ascii(text);
  // URL user information: scheme://user:password@host
  for (std::size_t at = lower.find("://"); at != std::string::npos; at = lower.find("://", at + 3)) {
    std::size_t start = at + 3;
    std::size_t end = lower.find_first_of("/?#", start);
    std::size_t space = lower.find_first_of(kSpace, start);
    end = std::min(end == std::string::npos ? lower.size() : end, space == std::string::npos ? lower.size() : space);
    std::size_t user_end = lower.rfind('@', end == 0 ? 0 : end - 1);
    if (user_end != std::string::npos && user_end >= start && user_end < end) {
      text.replace(start, user_end - start, "REDACTED");
      lower.replace(start, user_end - start, "REDACTED");
    }
  }
  // Header values that carry credentials, to the end of the line or quote.
  for (std::string_view header : {"proxy-authorization:", "authorization:", "x-api-key:", "cookie:", "x-auth-token:"}) {
    for (std::size_t at = lower.find(header); at != std::string::npos; at = lower.find(header, at + 1)) {
      std::size_t start = lower.find_first_not_of(" \t", at + header.size());
      if (start == std::string::npos) break;
      at = redact_from(text, lower, start, "\r\n\"'");
    }
  }
  for (std::size_t at = lower.find("bearer "); at != std::string::npos; at = lower.find("bearer ", at + 1)) {
    at = redact_from(text, lower, at + 7, kSpace);
  }
  // Query parameters named like secrets.
  static constexpr std::array<std::string_view, 14> kSecretParameters = {
      "token",  "access_token", "api_key", "apikey", "key",        "password",        "passwd",
      "secret", "signature",    "sig",     "auth",   "credential", "x-amz-signature", "x-amz-credential"};
  for (std::string_view parameter : kSecretParameters) {
    for (char separator : {'?', '&', ';'}) {
      std::string needle = fmt::format("{}{}=", separator, parameter);
      for (std::size_t at = lower.find(needle); at != std::string::npos; at = lower.find(needle, at + 1)) {
        at = redact_from(text, lower, at + needle.size(), "&;#:,)\r\n\"' <>");
      }
    }
  }
  return text;
}

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions
// and swaps of adjacent characters, each one edit.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_match(std::string_view value, const std::vector<std::string>& candidates) {
  if (value.size() > 256) return {};
  std::size_t allowed = std::clamp<std::size_t>(value.size() / 4, 1, 3);
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (const std::string& candidate : candidates) {
    std::size_t distance = edit_distance(value, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view value, const std::vector<std::string>& candidates) {
  std::string match = closest_match(value, candidates);
  return match.empty() ? std::string() : fmt::format("; did you mean '{}'?", match);
}

std::string join_names(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

std::string escape_markup(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace crowdfeed
