// Text that crowdfeed quotes from outside (a vote argument, a list entry, a
// server's answer) before it reaches a log line, an error message or a JSON
// state file: made printable, one line, valid UTF-8, bounded in length, and
// with anything that looks like a credential taken out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace crowdfeed {

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_valid_utf8(std::string_view text);

// Whether `text` is valid UTF-8 that every reader takes as one line: no
// control character (C0, DEL, C1), no line or paragraph separator, no
// bidirectional override.
bool is_one_line(std::string_view text);

// `text` with control characters escaped (\n, \t, \xNN; bidi controls,
// C1 controls and noncharacters such as U+FFFE as \uNNNN), bytes that are
// not valid UTF-8 written as \xNN, and at most `max_bytes` of it kept
// (then "...", and how many bytes were left out). The result is one line
// of valid UTF-8.
std::string printable(std::string_view text, std::size_t max_bytes = 4096);

// printable(text, max_bytes) in double quotes, with '"' escaped (a
// backslash stays as it is, so printable()'s own escapes stay readable):
// how messages quote a value that came from outside.
std::string quote_text(std::string_view text, std::size_t max_bytes = 200);

// `text` with what looks like a credential replaced by "REDACTED": the user
// information of a URL (https://user:secret@host), the value of an
// Authorization or X-Api-Key header, a bearer token, and query parameters
// named like secrets (token, key, password, secret, signature, ...).
std::string redact_secrets(std::string text);

// What every log line and stored error goes through: redacted, printable,
// at most a couple of kilobytes.
inline std::string safe_message(std::string_view text) {
  return printable(redact_secrets(std::string(text)), 2000);
}

// `text` with ASCII letters in lower case.
std::string lower_ascii(std::string_view text);

// Whether two texts are equal but for the case of ASCII letters.
bool equal_ignoring_ascii_case(std::string_view a, std::string_view b);

// `text` for HTML or XML character data and attribute values: &, <, >, "
// and ' escaped.
std::string escape_markup(std::string_view text);

// The candidate closest to a misspelt `value` (fewest single-character
// edits, a swap of two neighbours counting as one), or empty when none is
// close enough to be what was meant: at most one edit for short words,
// up to three for long ones.
std::string closest_match(std::string_view value, const std::vector<std::string>& candidates);

// "; did you mean 'X'?" for closest_match, or empty.
std::string did_you_mean(std::string_view value, const std::vector<std::string>& candidates);

// "a, b, c": candidates joined for "(one of: ...)" messages.
std::string join_names(const std::vector<std::string>& names);

}  // namespace crowdfeed
