// NAME.delta.stix.json: the hour's changes to a feed's STIX bundle, for
// consumers that apply deltas (and the TAXII collections' added_after).
// The indicators the hour added, as the full bundle has them, and those it
// removed once more with "revoked": true: the object consumers hold, as
// last published, with a new `modified`, so they retire it by its id.
#pragma once

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

// Writes the delta bundle of `feed` for `changes`, dated `version`. Removed
// indicators are looked up in `earlier`, bundles published before (the
// previous delta bundle first: a rerun in the same hour revokes what the
// hour's first run did; then the previous full bundle); files that do not
// exist are skipped. An indicator found in none of them (the STIX format
// was enabled this hour) is revoked with its first publication unknown:
// created and valid_from are the version its removal starts from.
void write_stix_delta(const FeedSettings& settings, const Feed& feed, const FeedChanges& changes,
                      const std::vector<std::filesystem::path>& earlier, TimePoint version, Output& out);

}  // namespace crowdfeed
