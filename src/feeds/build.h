// From tallies to feeds: the policy gives each domain a verdict, the
// whitelist keeps well-known good domains out of the malicious feed.
#pragma once

#include "config/config.h"
#include "feeds/feed.h"
#include "policy/thresholds.h"
#include "votes/tally.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

class FeedBuilder {
 public:
  // `whitelist` must outlive the builder.
  FeedBuilder(const Policy& policy, const Whitelist& whitelist, const FeedSettings& settings);

  // Tallies may come in any order; each domain at most once.
  void add(const Tally& tally);

  // The feeds, each sorted by domain.
  FeedSet finish() &&;

 private:
  Policy policy_;  // a copy: small, and callers may pass a temporary
  const Whitelist& whitelist_;
  FeedSet feeds_;
};

}  // namespace crowdfeed
