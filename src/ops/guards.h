// Guards that refuse to publish a feed that looks wrong: a sudden shrink or
// growth against the previous run, or a canary domain (one of the world's
// most used, or the operator's own) in the malicious feed. A bug, an emptied
// database or a wave of bad votes must not reach thousands of networks.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/config.h"
#include "feeds/feed.h"

namespace crowdfeed {

// The number of entries each feed had in the previous run.
struct PreviousCounts {
  std::size_t malicious = 0;
  std::size_t non_malicious = 0;
};

// Every reason to refuse this run, in words; empty when all guards pass.
std::vector<std::string> guard_violations(const GuardSettings& guards, const FeedSet& feeds,
                                          const PreviousCounts& previous);

}  // namespace crowdfeed
