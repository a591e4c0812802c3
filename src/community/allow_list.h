// The store's allow-list (the indicators accepted false-positive disputes
// keep out, see votes/disputes.h) as one more trusted whitelist source,
// so that the hourly run, explain and the pages apply it exactly as they
// apply the configured whitelist, and a change to it changes the run's
// inputs digest like a changed list would.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "votes/disputes.h"
#include "votes/store.h"
#include "whitelist/load.h"

namespace crowdfeed {

// The whitelist source's name: "trusted: accepted disputes" in explain.
inline constexpr std::string_view kAllowListSource = "accepted disputes";

// Appends the source holding `entries` to `settings` and `fetched` (when
// there are entries: an empty allow-list changes nothing).
void add_allow_list(const std::vector<AllowEntry>& entries, WhitelistSettings& settings, FetchedWhitelist& fetched);

// The allow-list in force at `at`, from the configured store; empty when
// votes come from a site's own tally query, which has no disputes.
std::vector<AllowEntry> read_allow_list(const VotesSettings& votes, TimePoint at);

// The entry of `entries` that covers `indicator` as the whitelist does (a
// domain's own entry or its nearest listed parent; an address's or hash's
// own), if any.
std::optional<AllowEntry> covering_entry(const std::vector<AllowEntry>& entries, std::string_view indicator,
                                         IndicatorType type);

}  // namespace crowdfeed
