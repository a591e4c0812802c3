// The correction every votes store applies to its tallies for the trust
// policy (see votes/trust.h): the votes of the few voters that weigh other
// than one, summed per indicator, applied to the tallies as they stream by.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "votes/tally.h"
#include "votes/trust.h"

namespace crowdfeed {

// The votes of one indicator that the trust policy weighs otherwise than
// one each (see votes/trust.h): how many there are on each side, how many
// of them count, and what those weigh.
struct Weighing {
  std::string indicator;
  std::array<std::int64_t, 2> votes{};    // by verdict
  std::array<std::int64_t, 2> counted{};  // of `votes`, those with a weight
  std::array<std::int64_t, 2> weight{};   // of `counted`

  // One more vote of `side` (0 malicious, 1 non-malicious) weighing `weighs`.
  void add(int side, std::int64_t weighs) {
    auto at = static_cast<std::size_t>(side);
    ++votes[at];
    if (weighs > 0) ++counted[at];
    weight[at] += weighs;
  }

  // Never below zero, even if the kept tallies were damaged (a site's
  // REPLACE without recursive triggers: see crowdfeed check).
  void apply(Tally& tally) const {
    tally.malicious_votes -= votes[0] - counted[0];
    tally.non_malicious_votes -= votes[1] - counted[1];
    tally.malicious_extra_weight += weight[0] - counted[0];
    tally.non_malicious_extra_weight += weight[1] - counted[1];
    tally.uncounted_votes += votes[0] - counted[0] + votes[1] - counted[1];
    tally.malicious_votes = std::max<std::int64_t>(tally.malicious_votes, 0);
    tally.non_malicious_votes = std::max<std::int64_t>(tally.non_malicious_votes, 0);
    tally.malicious_extra_weight = std::max(tally.malicious_extra_weight, -tally.malicious_votes);
    tally.non_malicious_extra_weight = std::max(tally.non_malicious_extra_weight, -tally.non_malicious_votes);
  }
};

// What both stores weigh the same way; each reads the voters and votes
// with its own SQL and hands them here.

// The weight of `voter`'s votes at `until` when it is not one (0 in
// probation or once revoked, more when trusted); nullopt when it is one.
// Each store asks it of the few voters that may weigh otherwise (recent,
// revoked or trusted), as it reads them.
std::optional<std::int64_t> unusual_weight(const Voter& voter, const Trust& trust, TimePoint until);

// One indicator's votes (each its side, 0 malicious or 1 non-malicious,
// and its voter) as a weighing; empty when every vote weighs one.
std::vector<Weighing> weigh_indicator(const std::string& indicator, const std::vector<std::pair<int, Voter>>& votes,
                                      const Trust& trust, TimePoint until);

// Passes tallies in indicator order to `visit`, each corrected by its
// weighing, if any.
class WeighedVisit {
 public:
  WeighedVisit(std::vector<Weighing> weighings, const std::function<void(const Tally&)>& visit)
      : weighings_(std::move(weighings)), next_(weighings_.begin()), visit_(visit) {}

  void operator()(Tally& tally) {
    while (next_ != weighings_.end() && next_->indicator < tally.indicator) ++next_;
    if (next_ != weighings_.end() && next_->indicator == tally.indicator) next_->apply(tally);
    visit_(tally);
  }

 private:
  std::vector<Weighing> weighings_;
  std::vector<Weighing>::const_iterator next_;
  const std::function<void(const Tally&)>& visit_;
};

}  // namespace crowdfeed
