// The facts every feed file states about itself. Each format writes these
// fields in its own comment syntax, so no importer takes one for an entry.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "feeds/feed.h"
#include "policy/thresholds.h"

namespace crowdfeed {

struct HeaderField {
  std::string name;   // "Last-Modified"
  std::string value;  // one line, never a control character
  bool operator==(const HeaderField&) const = default;
};

// The header of `feed`; it mentions the whitelist only when one is configured.
std::vector<HeaderField> feed_header(const Config& config, const Feed& feed, TimePoint last_modified);

}  // namespace crowdfeed
