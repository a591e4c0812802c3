// From tallies to feeds: the policy gives each indicator a verdict, the
// whitelist keeps well-known good indicators out of the malicious feeds, and
// each goes to every configured feed of its type group and verdict.
#pragma once

#include <array>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"
#include "policy/thresholds.h"
#include "votes/tally.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

class FeedBuilder {
 public:
  // `whitelist` must outlive the builder.
  FeedBuilder(const Policy& policy, const Whitelist& whitelist, const std::vector<FeedSpec>& feeds);

  // Tallies may come in any order; each indicator at most once.
  void add(const Tally& tally);

  // The feeds, each sorted by value.
  FeedSet finish() &&;

 private:
  Policy policy_;  // a copy: small, and callers may pass a temporary
  const Whitelist& whitelist_;
  FeedSet feeds_;
  // For each type group and verdict, the feeds that take its indicators.
  std::array<std::array<std::vector<std::size_t>, 2>, kIndicatorGroups> routes_;
};

}  // namespace crowdfeed
