// Guards that refuse to publish a feed that looks wrong: a sudden shrink or
// growth against the previous run, or a canary (one of the world's most
// used domains or public resolvers' addresses, or the operator's own) in a
// malicious feed. A bug, an emptied database or a wave of bad votes must
// not reach thousands of networks.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"

namespace crowdfeed {

// Every reason to refuse this run, in words; empty when all guards pass.
// `previous` holds the number of entries each feed of `feeds` had in the
// previous run, in the same order.
std::vector<std::string> guard_violations(const GuardSettings& guards, const FeedSet& feeds,
                                          const std::vector<std::size_t>& previous);

// Throws UsageError naming the key when a guard setting is unusable (a
// share out of range, a canary that is not an indicator).
void validate(const GuardSettings& guards);

}  // namespace crowdfeed
