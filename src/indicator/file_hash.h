// File-hash indicators: MD5, SHA-1 or SHA-256 as lower-case hexadecimal.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

struct NormalisedHash {
  std::string hash;     // lower-case hex; empty when refused
  std::string problem;  // why it was refused: "is not hexadecimal (0-9, a-f)"
  bool ok() const { return problem.empty(); }
};

// Hexadecimal of 32 (MD5), 40 (SHA-1) or 64 (SHA-256) digits, lower-cased.
// Refused with a reason: other lengths, other characters, all zeros, and
// the hash of the empty file (every empty file has it: listing it would
// flag them all).
NormalisedHash normalise_file_hash(std::string_view input);

}  // namespace crowdfeed
