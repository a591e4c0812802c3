// From tallies to feeds: the policy gives each indicator a verdict, the
// whitelist keeps well-known good indicators out of the malicious feeds, and
// each goes to every configured feed of its type group and verdict.
#pragma once

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"
#include "policy/thresholds.h"
#include "votes/tally.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

// Where one indicator goes, and why: what the hourly run does with its
// tally, and what explain and the indicator pages say about it.
struct Placement {
  Decision decision;  // the policy's verdict and reason
  // The feeds that take its verdict and type (indexes into the builder's
  // feeds; see FeedBuilder::feed_names): none when it is listed nowhere.
  const std::vector<std::size_t>* targets = nullptr;
  std::optional<WhitelistListing> excluded_by;  // the whitelist entry (or public suffix) that keeps it out
  std::string exclusion;                        // who listed that entry, in words
  bool listed() const { return targets != nullptr && !excluded_by; }
};

class FeedBuilder {
 public:
  // `whitelist` must outlive the builder; `at` is the run's hour slot, which
  // the entries' confidence is computed at.
  FeedBuilder(const Policy& policy, const Whitelist& whitelist, const std::vector<FeedSpec>& feeds, TimePoint at);

  // Tallies may come in any order; each indicator at most once.
  void add(const Tally& tally);

  // What add() would do with `tally`, without doing it.
  Placement place(const Tally& tally) const;
  // The names of the feeds that list a placed indicator.
  std::vector<std::string> feed_names(const Placement& placement) const;

  // The feeds, each sorted by value.
  FeedSet finish() &&;

 private:
  Policy policy_;  // a copy: small, and callers may pass a temporary
  const Whitelist& whitelist_;
  TimePoint at_;
  FeedSet feeds_;
  // Each feed's entries while they come: in blocks, so that a million of
  // them never need the copy (and twice the memory) of a vector's growth;
  // finish() moves them into vectors of the exact size.
  std::vector<std::deque<FeedEntry>> entries_;
  // For each type group and verdict, the feeds that take its indicators.
  std::array<std::array<std::vector<std::size_t>, 2>, kIndicatorGroups> routes_;
};

}  // namespace crowdfeed
