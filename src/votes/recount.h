// What both vote stores report when `crowdfeed check` compares the tallies
// they keep with a recount of the votes: each store reads the two sides
// with its own SQL, and words the difference here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.h"

namespace crowdfeed {

// An indicator's counts as a store keeps them, or as counting its votes
// again gives them.
struct CountedTally {
  std::string type;
  std::int64_t malicious = 0;
  std::int64_t non_malicious = 0;
  std::optional<TimePoint> first_cast_at;
  std::optional<TimePoint> last_cast_at;
};

// "INDICATOR: kept TYPE M malicious, N non-malicious, cast FIRST to LAST;
// recounted ...", with "no votes" for a side that has none.
std::string describe_recount_difference(std::string_view indicator, const std::optional<CountedTally>& kept,
                                        const std::optional<CountedTally>& recounted);

}  // namespace crowdfeed
