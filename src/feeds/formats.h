// The table of feed formats. A new syntax is one new format_*.cpp with its
// factory declared here, and one line in formats.cpp.
#pragma once

#include <memory>
#include <vector>

#include "feeds/format.h"

namespace crowdfeed {

// Every format, in the order files are written.
const std::vector<std::unique_ptr<FeedFormat>>& feed_formats();

// Factories, one per format file.
std::unique_ptr<FeedFormat> make_plain_format();  // format_txt.cpp

}  // namespace crowdfeed
