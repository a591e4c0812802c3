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
  if (policy.probation_days < 0 || policy.probation_days > 3650) {
    throw UsageError(
        fmt::format("policy.probation_days must be 0 (count at once) to 3650, not {}", policy.probation_days));
  }
  if (policy.trusted_weight < 1 || policy.trusted_weight > 1000) {
    throw UsageError(fmt::format("policy.trusted_weight must be 1 to 1000, not {}", policy.trusted_weight));
  }
  if (policy.max_age_days < 0) {
    throw UsageError(fmt::format("policy.max_age_days must be 0 (all votes) or more, not {}", policy.max_age_days));
  }
}

namespace {

// One side of a tally: its votes (one per eligible voter) and their weight.
struct Side {
  std::string_view name;
  std::int64_t votes;
  std::int64_t weight;

  // "3 malicious votes", or, when trusted voters weigh more, "3 malicious
  // votes weighing 5".
  std::string counted() const {
    return weight == votes ? fmt::format("{} {} votes", votes, name)
                           : fmt::format("{} {} votes weighing {}", votes, name, weight);
  }
};

// Whether `side` meets the policy against `total` weight; explains the outcome.
bool qualifies(const Policy& policy, const Side& side, std::int64_t total, std::string& reason) {
  double share = total == 0 ? 0.0 : static_cast<double>(side.weight) / static_cast<double>(total);
  if (side.votes < policy.min_votes) {
    reason = fmt::format("{}, fewer than min_votes {}", side.counted(), policy.min_votes);
    return false;
  }
  if (share < policy.min_share) {
    reason = fmt::format("{} are {:.0f}% of {}, below min_share {:.0f}%", side.counted(), share * 100, total,
                         policy.min_share * 100);
    return false;
  }
  reason = fmt::format("{} of {} ({:.0f}%) meet min_votes {} and min_share {:.0f}%", side.counted(), total, share * 100,
                       policy.min_votes, policy.min_share * 100);
  return true;
}

}  // namespace

Decision decide(const Policy& policy, const Tally& tally) {
  const Side malicious{"malicious", tally.malicious_votes, tally.malicious_votes + tally.malicious_extra_weight};
  const Side non_malicious{"non-malicious", tally.non_malicious_votes,
                           tally.non_malicious_votes + tally.non_malicious_extra_weight};
  const std::int64_t total = malicious.weight + non_malicious.weight;
  Decision decision;
  if (qualifies(policy, malicious, total, decision.reason)) {
    decision.verdict = Verdict::kMalicious;
    return decision;
  }
  std::string malicious_reason = std::move(decision.reason);
  if (qualifies(policy, non_malicious, total, decision.reason)) {
    decision.verdict = Verdict::kNonMalicious;
    return decision;
  }
  decision.reason = fmt::format("no verdict: {}; {}", malicious_reason, decision.reason);
  return decision;
}

std::string describe(const Policy& policy) {
  std::string age =
      policy.max_age_days == 0 ? "all votes counted" : fmt::format("votes of the last {} days", policy.max_age_days);
  std::string trust;
  if (policy.probation_days > 0) trust += fmt::format(", a voter's votes after {} days", policy.probation_days);
  if (policy.trusted_weight > 1) trust += fmt::format(", a trusted voter's vote weighing {}", policy.trusted_weight);
  return fmt::format("at least {} votes and {:.0f}% of all votes for the verdict, {}{}", policy.min_votes,
                     policy.min_share * 100, age, trust);
}

void validate(const Policy& policy, const VotesSettings& votes) {
  validate(policy);
  if (!votes.tally_query.empty() && (policy.probation_days != 0 || policy.trusted_weight != 1)) {
    throw UsageError(
        "policy.probation_days and policy.trusted_weight weigh each voter's votes, which votes.tally_query's "
        "counts do not show; use one or the other");
  }
}

}  // namespace crowdfeed
