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
  // The votes counted: one per voter, from the voters the policy counts
  // (see votes/trust.h), so also the number of distinct eligible voters.
  std::int64_t malicious_votes = 0;
  std::int64_t non_malicious_votes = 0;
  std::optional<TimePoint> first_vote_at;  // unknown for some external tally queries
  TimePoint last_vote_at{};
  IndicatorType type = IndicatorType::kDomain;
  // What trusted voters' votes weigh beyond one each: a side's weight is
  // its votes plus its extra weight.
  std::int64_t malicious_extra_weight = 0;
  std::int64_t non_malicious_extra_weight = 0;
  // Votes in the window not counted: their voter is in probation or revoked.
  std::int64_t uncounted_votes = 0;
};

}  // namespace crowdfeed
