#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "ops/guards.h"

using namespace crowdfeed;

namespace {

FeedSet feeds_of(std::size_t malicious, std::size_t non_malicious, std::vector<std::string> extra = {}) {
  FeedSet feeds;
  feeds.feeds = {{"malicious-domains", Verdict::kMalicious, {}}, {"non-malicious-domains", Verdict::kNonMalicious, {}}};
  for (std::size_t i = 0; i < malicious; ++i)
    feeds.feeds[0].entries.push_back({fmt::format("m{}.example", i), 2, 0, {}, {}});
  for (std::size_t i = 0; i < non_malicious; ++i)
    feeds.feeds[1].entries.push_back({fmt::format("n{}.example", i), 0, 2, {}, {}});
  for (auto& domain : extra) feeds.feeds[0].entries.push_back({std::move(domain), 2, 0, {}, {}});
  return feeds;
}

}  // namespace

TEST_CASE("the shrink guard trips beyond max_shrink, not at it") {
  GuardSettings guards;                                                 // max_shrink 0.5, min_entries 100
  CHECK(guard_violations(guards, feeds_of(100, 0), {200, 0}).empty());  // exactly half
  auto tripped = guard_violations(guards, feeds_of(99, 0), {200, 0});
  REQUIRE(tripped.size() == 1);
  CHECK(tripped[0] == "malicious-domains would shrink from 200 to 99 entries (50%, more than max_shrink 50%)");
  // Below min_entries the share is not checked ...
  CHECK(guard_violations(guards, feeds_of(1, 0), {99, 0}).empty());
  // ... but becoming empty always is.
  CHECK(guard_violations(guards, feeds_of(0, 5), {1, 5}) ==
        std::vector<std::string>{"malicious-domains would become empty (it has 1 entries)"});
  CHECK(guard_violations(guards, feeds_of(0, 0), {0, 0}).empty());  // a first run has nothing to lose
}

TEST_CASE("the growth guard trips beyond max_growth, not at it") {
  GuardSettings guards;                                                 // max_growth 1.0
  CHECK(guard_violations(guards, feeds_of(0, 200), {0, 100}).empty());  // exactly doubled
  auto tripped = guard_violations(guards, feeds_of(0, 201), {0, 100});
  REQUIRE(tripped.size() == 1);
  CHECK(tripped[0] == "non-malicious-domains would grow from 100 to 201 entries (+101%, more than max_growth 100%)");
}

TEST_CASE("a canary domain in the malicious feed trips the guard, whatever else holds") {
  GuardSettings guards;
  guards.extra_canaries.push_back("Operator.Example.ORG.");
  CHECK(guard_violations(guards, feeds_of(3, 0, {"google.com"}), {3, 0}) ==
        std::vector<std::string>{"the canary domain google.com would be in malicious-domains"});
  CHECK(guard_violations(guards, feeds_of(3, 0, {"operator.example.org"}), {3, 0}).size() == 1);
  // A subdomain is not the canary itself: abused hosting under it stays blockable.
  CHECK(guard_violations(guards, feeds_of(3, 0, {"phish.sites.google.com"}), {3, 0}).empty());
}
