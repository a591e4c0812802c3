// The policy that turns a domain's vote tallies into a verdict. The same
// thresholds serve both feeds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/settings.h"
#include "votes/tally.h"
#include "votes/trust.h"
#include "votes/vote.h"

namespace crowdfeed {

struct Decision {
  std::optional<Verdict> verdict;  // none: the domain is in neither feed
  std::string reason;              // which threshold decided, in words
};

// Throws UsageError naming the setting when the policy is unusable.
void validate(const Policy& policy);

// The same, with the [votes] settings a policy cannot be combined with (a
// site's own tally query shows no voters to weigh).
void validate(const Policy& policy, const VotesSettings& votes);

// min_votes counts a verdict's votes (one per eligible voter); min_share
// compares the sides' weights (trusted voters weigh more).
Decision decide(const Policy& policy, const Tally& tally);

std::string describe(const Policy& policy);

}  // namespace crowdfeed
