// A file name for an arbitrary label (a source or destination name):
// readable, and unique whatever the label holds.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

// The label's letters, digits, '-' and '_' (others become '_'), cut to 40
// characters, then '-' and the first 12 hex digits of the label's SHA-256.
std::string file_stem_for(std::string_view label);

}  // namespace crowdfeed
