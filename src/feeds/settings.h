// The feed stage's settings ([feeds], [signing]): the feed set they give,
// and the rules only this stage knows (which formats exist, what each
// accepts, which names the feeds directory reserves).
#pragma once

#include <vector>

#include "config/settings.h"

namespace crowdfeed {

// The feeds a run publishes: `settings.set`, or the six default feeds
// (malicious and non-malicious domains, IPs and hashes).
std::vector<FeedSpec> feed_set(const FeedSettings& settings);

// Throws UsageError naming the key when a feed setting is unusable: a
// feed name that is not a safe file name or that the feeds directory
// reserves, an unknown format or one that cannot hold the feed's
// indicators, header text of more than one line, an RPZ test entry that
// is not a domain.
void validate(const FeedSettings& settings);

// The signing settings, with the feed title their trusted comments carry.
void validate(const SigningSettings& signing, const FeedSettings& feeds);

}  // namespace crowdfeed
