#include <catch2/catch.hpp>

#include "policy/thresholds.h"
#include "util/error.h"

using namespace crowdfeed;

namespace {

Tally tally(std::int64_t malicious, std::int64_t non_malicious) {
  return Tally{"example.com", malicious, non_malicious, std::nullopt, TimePoint{}};
}

}  // namespace

TEST_CASE("min_votes: a verdict needs at least that many votes for it") {
  Policy policy{2, 0.75, 0};
  CHECK_FALSE(decide(policy, tally(1, 0)).verdict.has_value());
  CHECK(decide(policy, tally(2, 0)).verdict == Verdict::kMalicious);
  CHECK(decide(policy, tally(0, 2)).verdict == Verdict::kNonMalicious);
  CHECK_THAT(decide(policy, tally(1, 0)).reason, Catch::Contains("fewer than min_votes 2"));
}

TEST_CASE("min_share: the verdict's share of all votes, at its boundary") {
  Policy policy{2, 0.75, 0};
  CHECK(decide(policy, tally(3, 1)).verdict == Verdict::kMalicious);  // exactly 75 %
  CHECK_FALSE(decide(policy, tally(2, 1)).verdict.has_value());       // 67 %
  CHECK_THAT(decide(policy, tally(2, 1)).reason, Catch::Contains("below min_share 75%"));
  CHECK(decide(policy, tally(1, 3)).verdict == Verdict::kNonMalicious);
}

TEST_CASE("a domain can never qualify for both feeds") {
  Policy policy{1, 0.51, 0};
  for (int malicious = 0; malicious < 20; ++malicious) {
    for (int non_malicious = 0; non_malicious < 20; ++non_malicious) {
      auto decision = decide(policy, tally(malicious, non_malicious));
      if (malicious == non_malicious) CHECK_FALSE(decision.verdict.has_value());
    }
  }
  CHECK_THROWS_AS(validate(Policy{1, 0.5, 0}), UsageError);
  CHECK_THROWS_AS(validate(Policy{0, 0.75, 0}), UsageError);
  CHECK_THROWS_AS(validate(Policy{2, 1.01, 0}), UsageError);
  CHECK_THROWS_AS(validate(Policy{2, 0.75, -1}), UsageError);
  CHECK_NOTHROW(validate(Policy{}));
}

TEST_CASE("min_votes counts voters, min_share weighs trusted voters' votes") {
  Policy policy{2, 0.75, 0};
  // One trusted voter weighing 3 is still one voter: no verdict alone.
  Tally one_trusted = tally(1, 0);
  one_trusted.malicious_extra_weight = 2;
  CHECK_FALSE(decide(policy, one_trusted).verdict.has_value());
  CHECK_THAT(decide(policy, one_trusted).reason,
             Catch::Contains("1 malicious votes weighing 3, fewer than min_votes 2"));
  // Two malicious voters against two non-malicious ones are 50 %, below
  // the share; with one trusted malicious voter weighing 5 they are 75 %.
  Tally split = tally(2, 2);
  CHECK_FALSE(decide(policy, split).verdict.has_value());
  split.malicious_extra_weight = 4;
  CHECK(decide(policy, split).verdict == Verdict::kMalicious);
  CHECK_THAT(decide(policy, split).reason, Catch::Contains("2 malicious votes weighing 6 of 8 (75%)"));
  // Votes not counted do not count toward anything.
  Tally uncounted = tally(0, 0);
  uncounted.uncounted_votes = 1000;
  CHECK_FALSE(decide(policy, uncounted).verdict.has_value());
}

TEST_CASE("the trust settings are checked") {
  Policy policy{2, 0.75, 0};
  policy.probation_days = -1;
  CHECK_THROWS_AS(validate(policy), UsageError);
  policy.probation_days = 7;
  CHECK_NOTHROW(validate(policy));
  policy.trusted_weight = 0;
  CHECK_THROWS_AS(validate(policy), UsageError);
  policy.trusted_weight = 3;
  CHECK_NOTHROW(validate(policy));
  CHECK(trust_of(policy).probation == std::chrono::days(7));
  CHECK_THAT(describe(policy), Catch::Contains("a voter's votes after 7 days") && Catch::Contains("weighing 3"));
}
