// NAME.delta.stix.json: the hour's changes to a feed's STIX bundle, for
// consumers that apply deltas (and the TAXII collections' added_after).
// The indicators the hour added, as the full bundle has them, and those it
// removed once more with "revoked": true: the object consumers hold, as
// last published, with a new `modified`, so they retire it by its id; and
// the revocations of the week before.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "feeds/deltas.h"
#include "feeds/feed.h"
#include "util/output.h"

namespace crowdfeed {

// "NAME.delta.stix.json".
std::string stix_delta_name(std::string_view feed);

// How long a revoked indicator stays in the delta bundles after the hour
// that revoked it, for consumers that do not fetch every hour.
inline constexpr std::chrono::hours kStixRevokedKept{24 * 7};

// Writes the delta bundle of `feed` for `changes`, dated `version`. Removed
// indicators are looked up in the previous delta bundle first (a rerun in
// the same hour revokes what the hour's first run did), then in the
// previous full bundle (empty paths: none); an indicator found in neither
// (the STIX format was enabled this hour) is revoked with its first
// publication unknown: created and valid_from are the version its removal
// starts from. The previous delta's revocations of the last
// kStixRevokedKept follow, as they were published, but for those listed
// again.
void write_stix_delta(const FeedSettings& settings, const Feed& feed, const FeedChanges& changes,
                      const std::filesystem::path& previous_delta, const std::filesystem::path& previous_bundle,
                      TimePoint version, Output& out);

}  // namespace crowdfeed
