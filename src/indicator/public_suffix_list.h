// The Public Suffix List the domain normaliser refuses bare suffixes by
// ("com", "co.uk", "github.io"): the newer of the system's
// (Debian's publicsuffix package) and libpsl's built-in one, or a list the
// operator configured ([public_suffixes] list), installed once at start,
// before any thread normalises a name.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "util/time.h"

namespace crowdfeed {

struct PublicSuffixListInfo {
  std::string origin;              // "system (/usr/share/publicsuffix/...)", a file, a URL
  std::optional<TimePoint> dated;  // the list's own VERSION line, else its file's time
  std::size_t rules = 0;
  std::string sha256;  // of the text, for a configured list
};

// "system (/usr/share/publicsuffix/...), 2023-02-09", with the number of
// rules when known.
std::string describe(const PublicSuffixListInfo& list);

// A parsed list, ready to install: libpsl's context (freed with the last
// copy) and what it is.
struct ParsedSuffixList {
  std::shared_ptr<const void> context;
  PublicSuffixListInfo info;
};

// Parses the text of a public_suffix_list.dat (libpsl), checked for sense:
// it has the ICANN section, thousands of rules, and knows "com", "co.uk"
// and "github.io" as suffixes. `origin` names it in messages; `file_time`
// dates it when its text has no "// VERSION:" line. The reason otherwise.
std::variant<ParsedSuffixList, std::string> parse_public_suffix_list(std::string_view text, std::string origin,
                                                                     std::optional<TimePoint> file_time);

// Makes `list` the one the normaliser uses, for the rest of the process.
void install_public_suffix_list(ParsedSuffixList list);

// Which list the normaliser uses, and libpsl's context of it (psl_ctx_t).
PublicSuffixListInfo public_suffix_list_info();
const void* public_suffix_context();

// The registrable domain of a normalised name (the public suffix and one
// label more: "www.example.co.uk" -> "example.co.uk"); nullopt for a
// public suffix itself.
std::optional<std::string> registrable_domain(std::string_view domain);

}  // namespace crowdfeed
