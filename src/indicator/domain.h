// The domain normaliser that every domain indicator passes before it is
// stored, matched or published. Its output can never break a line of a feed
// file: it contains only lower-case letters, digits, hyphens and dots.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

struct NormalisedDomain {
  std::string domain;          // the normalised name; empty when rejected
  std::string problem;         // why the input was rejected, e.g. "is an IP address"
  bool public_suffix = false;  // rejected only because it is a public suffix
  bool ok() const { return problem.empty(); }
};

// Maps and lower-cases a name as UTS #46 does (non-transitional, through
// ICU) with IDNA 2008's checks (the Bidi rule, CONTEXTJ, CONTEXTO, STD3),
// drops one trailing dot (the root; the full stops U+3002, U+FF0E and
// U+FF61 are dots), then applies strict host-name rules and refuses bare
// public suffixes (libpsl). Where it deliberately departs from UTS #46 is
// listed, with the reasons, in tests/data/idna/deviations.txt.
NormalisedDomain normalise_domain(std::string_view input);

// True when `domain` (already normalised) is a public suffix, ICANN or private
// section of the Public Suffix List: "com", "co.uk", "github.io".
bool is_public_suffix(std::string_view domain);

// Which public-suffix list the normaliser uses (the built-in one's digest,
// the system file's size and modification time): what was normalised with
// one list is not reused under another.
std::string public_suffix_list_identity();

}  // namespace crowdfeed
