// The feeds as plain data: what the policy and the whitelist decided, before
// any file syntax. Every writer reads these and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/time.h"
#include "votes/vote.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

struct FeedEntry {
  std::string domain;  // normalised: letters, digits, hyphens and dots only
  std::int64_t malicious_votes = 0;
  std::int64_t non_malicious_votes = 0;
  std::optional<TimePoint> first_vote_at;
  TimePoint last_vote_at{};
};

struct Feed {
  std::string name;  // the file name stem, e.g. "malicious-domains"
  Verdict verdict = Verdict::kMalicious;
  std::vector<FeedEntry> entries;  // sorted by domain, no duplicates
};

// A domain voted malicious that the whitelist kept out of the feed.
struct Exclusion {
  FeedEntry entry;
  WhitelistListing listing;  // the whitelist entry that covers it
  std::string rule;          // who listed that entry, in words
};

struct FeedSet {
  Feed malicious;
  Feed non_malicious;
  std::vector<Exclusion> excluded;
};

}  // namespace crowdfeed
