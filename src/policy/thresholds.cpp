#include "policy/thresholds.h"

#include <fmt/format.h>

#include "util/error.h"

namespace crowdfeed {

void validate(const Policy& policy) {
  if (policy.min_votes < 1) {
    throw UsageError(fmt::format("policy.min_votes must be at least 1, not {}", policy.min_votes));
  }
  if (!(policy.min_share > 0.5 && policy.min_share <= 1.0)) {
    throw UsageError(
        fmt::format("policy.min_share must be above 0.5 and at most 1 (so no domain can be in both feeds), not {}",
                    policy.min_share));
  }
  if (policy.max_age_days < 0) {
    throw UsageError(fmt::format("policy.max_age_days must be 0 (all votes) or more, not {}", policy.max_age_days));
  }
}

namespace {

// Whether `votes` out of `total` meet the policy; explains the outcome.
bool qualifies(const Policy& policy, std::int64_t votes, std::int64_t total, std::string_view side,
               std::string& reason) {
  double share = total == 0 ? 0.0 : static_cast<double>(votes) / static_cast<double>(total);
  if (votes < policy.min_votes) {
    reason = fmt::format("{} {} votes, fewer than min_votes {}", votes, side, policy.min_votes);
    return false;
  }
  if (share < policy.min_share) {
    reason = fmt::format("{} {} votes are {:.0f}% of {}, below min_share {:.0f}%", votes, side, share * 100, total,
                         policy.min_share * 100);
    return false;
  }
  reason = fmt::format("{} {} votes of {} ({:.0f}%) meet min_votes {} and min_share {:.0f}%", votes, side, total,
                       share * 100, policy.min_votes, policy.min_share * 100);
  return true;
}

}  // namespace

Decision decide(const Policy& policy, const Tally& tally) {
  std::int64_t total = tally.malicious_votes + tally.non_malicious_votes;
  Decision decision;
  if (qualifies(policy, tally.malicious_votes, total, "malicious", decision.reason)) {
    decision.verdict = Verdict::kMalicious;
    return decision;
  }
  std::string malicious_reason = std::move(decision.reason);
  if (qualifies(policy, tally.non_malicious_votes, total, "non-malicious", decision.reason)) {
    decision.verdict = Verdict::kNonMalicious;
    return decision;
  }
  decision.reason = fmt::format("no verdict: {}; {}", malicious_reason, decision.reason);
  return decision;
}

std::string describe(const Policy& policy) {
  std::string age =
      policy.max_age_days == 0 ? "all votes counted" : fmt::format("votes of the last {} days", policy.max_age_days);
  return fmt::format("at least {} votes and {:.0f}% of all votes for the verdict, {}", policy.min_votes,
                     policy.min_share * 100, age);
}

}  // namespace crowdfeed
