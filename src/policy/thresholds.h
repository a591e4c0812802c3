// The policy that turns a domain's vote tallies into a verdict. The same
// thresholds serve both feeds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "votes/tally.h"
#include "votes/trust.h"
#include "votes/vote.h"

namespace crowdfeed {

struct Policy {
  // Votes needed for a verdict.
  std::int64_t min_votes = 2;
  // That verdict's share of all the domain's counted votes. Always above 0.5,
  // so a domain can never qualify for both feeds.
  double min_share = 0.75;
  // Only votes cast within this many days before the run count; 0 = all.
  std::int64_t max_age_days = 0;
  // A voter of the vote API counts only once it is this many days old
  // (added, or an anonymous voter first seen); 0 = at once.
  std::int64_t probation_days = 0;
  // A trusted voter's vote counts this many times toward the share; it is
  // still one voter toward min_votes.
  std::int64_t trusted_weight = 1;
};

struct Decision {
  std::optional<Verdict> verdict;  // none: the domain is in neither feed
  std::string reason;              // which threshold decided, in words
};

// Throws UsageError naming the setting when the policy is unusable.
void validate(const Policy& policy);

// min_votes counts a verdict's votes (one per eligible voter); min_share
// compares the sides' weights (trusted voters weigh more).
Decision decide(const Policy& policy, const Tally& tally);

// The policy's settings for the votes store's weighing of voters.
Trust trust_of(const Policy& policy);

std::string describe(const Policy& policy);

}  // namespace crowdfeed
