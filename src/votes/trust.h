// Which votes count, and how much: a voter of the vote API counts only once
// it is out of probation and while it is not revoked, and a trusted voter's
// vote counts several times. Votes whose voter the voters table does not
// know (recorded with `crowdfeed vote`, imported, or written by a site)
// come from the operator and count once each.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/settings.h"
#include "util/time.h"

namespace crowdfeed {

// The voter id of an anonymous voter of the vote API starts with this.
inline constexpr std::string_view kAnonymousVoterPrefix = "anonymous:";

// A voter of the vote API, as the voters table holds it.
struct Voter {
  std::string name;          // the voter id its votes carry
  std::string role;          // "voter", "trusted", "moderator" (trusted, and decides disputes), or "anonymous"
  std::string token_sha256;  // empty for an anonymous voter, which has no token
  TimePoint created_at{};    // added, or, for an anonymous voter, first seen
  std::optional<TimePoint> revoked_at;
};

// The policy's settings for voters (policy.probation_days and
// policy.trusted_weight).
struct Trust {
  std::chrono::seconds probation{0};
  std::int64_t trusted_weight = 1;
};

// How much one voter's votes weigh in a run whose hour slot is `until`:
// 0 (not counted) or more, and why, in words.
struct Standing {
  std::int64_t weight = 1;
  std::string reason;
};
Standing standing(const Trust& trust, const Voter& voter, TimePoint until);

// The policy's settings for the weighing of voters.
Trust trust_of(const Policy& policy);

}  // namespace crowdfeed
