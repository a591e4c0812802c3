#include "votes/trust.h"

#include <fmt/format.h>

namespace crowdfeed {

Standing standing(const Trust& trust, const Voter& voter, TimePoint until) {
  if (voter.revoked_at && *voter.revoked_at <= until) {
    return {0, fmt::format("not counted: its voter was revoked at {}", format_iso8601(*voter.revoked_at))};
  }
  // A voter added exactly probation before the hour slot has served it.
  if (trust.probation.count() > 0 && voter.created_at + trust.probation > until) {
    return {0, fmt::format("not counted: its voter is in probation until {} ({} at {})",
                           format_iso8601(voter.created_at + trust.probation),
                           voter.role == "anonymous" ? "first seen" : "added", format_iso8601(voter.created_at))};
  }
  if ((voter.role == "trusted" || voter.role == "moderator") && trust.trusted_weight != 1) {
    return {trust.trusted_weight, fmt::format("counted {} times: a {} voter", trust.trusted_weight,
                                              voter.role == "moderator" ? "moderator, a trusted" : "trusted")};
  }
  return {1, "counted"};
}

Trust trust_of(const Policy& policy) {
  return {std::chrono::days(policy.probation_days), policy.trusted_weight};
}

}  // namespace crowdfeed
