// An indicator's vote counts: the plain data that flows from the votes store to
// the policy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "indicator/indicator.h"
#include "util/time.h"

namespace crowdfeed {

struct Tally {
  std::string indicator;  // normalised for its type
  std::int64_t malicious_votes = 0;
  std::int64_t non_malicious_votes = 0;
  std::optional<TimePoint> first_vote_at;  // unknown for some external tally queries
  TimePoint last_vote_at{};
  IndicatorType type = IndicatorType::kDomain;
};

}  // namespace crowdfeed
