// The feeds as plain data: what the policy and the whitelist decided, before
// any file syntax. Every writer reads these and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "indicator/indicator.h"
#include "util/time.h"
#include "votes/vote.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

struct FeedEntry {
  // Normalised for its type: a domain holds letters, digits, hyphens and
  // dots only; an address hex digits, dots and colons; a hash hex digits.
  std::string value;
  std::int64_t malicious_votes = 0;
  std::int64_t non_malicious_votes = 0;
  std::optional<TimePoint> first_vote_at;
  TimePoint last_vote_at{};
  IndicatorType type = IndicatorType::kDomain;
  int confidence = 0;  // 0 to 100 (see policy/confidence.h)
};

struct Feed {
  std::string name;  // the file name stem, e.g. "malicious-domains"
  Verdict verdict = Verdict::kMalicious;
  std::vector<FeedEntry> entries;  // sorted by value, no duplicates
  IndicatorGroup group = IndicatorGroup::kDomain;
};

// An indicator voted malicious that the whitelist kept out of the feed.
struct Exclusion {
  FeedEntry entry;
  WhitelistListing listing;  // the whitelist entry that covers it
  std::string rule;          // who listed that entry, in words
};

// Every configured feed, in the configuration's order.
struct FeedSet {
  std::vector<Feed> feeds;
  std::vector<Exclusion> excluded;

  // The feed called `name`; nullptr when there is none.
  const Feed* find(const std::string& name) const {
    for (const Feed& feed : feeds) {
      if (feed.name == name) return &feed;
    }
    return nullptr;
  }
};

}  // namespace crowdfeed
