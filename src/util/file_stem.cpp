#include "util/file_stem.h"

#include <fmt/format.h>

#include <cctype>

#include "util/sha256.h"

namespace crowdfeed {

std::string file_stem_for(std::string_view label) {
  std::string stem;
  for (char c : label.substr(0, 40))
    stem += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return fmt::format("{}-{}", stem, sha256_hex(label).substr(0, 12));
}

}  // namespace crowdfeed
