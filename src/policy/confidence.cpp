#include "policy/confidence.h"

#include <algorithm>
#include <cmath>

namespace crowdfeed {

int confidence(const Policy& policy, const Tally& tally, Verdict verdict, TimePoint at) {
  const double malicious = static_cast<double>(tally.malicious_votes + tally.malicious_extra_weight);
  const double non_malicious = static_cast<double>(tally.non_malicious_votes + tally.non_malicious_extra_weight);
  const double total = malicious + non_malicious;
  if (total <= 0) return 0;
  const double share = (verdict == Verdict::kMalicious ? malicious : non_malicious) / total;
  const double agreement = std::max(0.0, (share - 0.5) / 0.5);
  const double voters = static_cast<double>(tally.malicious_votes + tally.non_malicious_votes);
  const double enough = static_cast<double>(std::max<std::int64_t>(policy.min_votes, 1));
  const double turnout = 1.0 - std::exp2(-voters / enough);
  const double age_days = std::max(0.0, std::chrono::duration<double>(at - tally.last_vote_at).count() / 86400.0);
  const double freshness = std::exp2(-age_days / 30.0);
  return static_cast<int>(std::lround(std::clamp(100.0 * agreement * turnout * freshness, 0.0, 100.0)));
}

TimePoint confidence_day(TimePoint time) {
  return TimePoint(std::chrono::floor<std::chrono::days>(time));
}

}  // namespace crowdfeed
