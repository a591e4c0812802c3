#include "votes/weighing.h"

namespace crowdfeed {

std::optional<std::int64_t> unusual_weight(const Voter& voter, const Trust& trust, TimePoint until) {
  std::int64_t weight = standing(trust, voter, until).weight;
  if (weight == 1) return std::nullopt;
  return weight;
}

std::vector<Weighing> weigh_indicator(const std::string& indicator, const std::vector<std::pair<int, Voter>>& votes,
                                      const Trust& trust, TimePoint until) {
  Weighing weighing{indicator, {}, {}, {}};
  bool any = false;
  for (const auto& [side, voter] : votes) {
    std::int64_t weight = standing(trust, voter, until).weight;
    if (weight == 1) continue;
    weighing.add(side, weight);
    any = true;
  }
  if (!any) return {};
  return {weighing};
}

}  // namespace crowdfeed
