#include "indicator/file_hash.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace crowdfeed {
namespace {

// MD5, SHA-1 and SHA-256 of zero bytes.
constexpr std::array<std::string_view, 3> kEmptyFileHashes = {
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
};

}  // namespace

NormalisedHash normalise_file_hash(std::string_view input) {
  if (input.size() != 32 && input.size() != 40 && input.size() != 64) {
    return {{}, fmt::format("has {} characters; an MD5, SHA-1 or SHA-256 hash has 32, 40 or 64", input.size())};
  }
  std::string hash(input);
  for (char& c : hash) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {{}, "is not hexadecimal (0-9, a-f)"};
  }
  if (hash.find_first_not_of('0') == std::string::npos) return {{}, "is all zeros, no file's hash"};
  if (std::find(kEmptyFileHashes.begin(), kEmptyFileHashes.end(), hash) != kEmptyFileHashes.end()) {
    return {{}, "is the hash of the empty file; listing it would flag every empty file"};
  }
  return {std::move(hash), {}};
}

}  // namespace crowdfeed
