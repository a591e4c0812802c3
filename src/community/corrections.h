// Closing the loop on accepted disputes: after a publish, each accepted
// dispute whose outcome the published feeds now show (a false positive in
// no malicious feed, a false negative in one) is marked corrected in the
// version published, which its page then names.
#pragma once

#include <filesystem>

#include "config/settings.h"
#include "util/time.h"

namespace crowdfeed {

// Reads the published plain lists of the malicious feeds only when some
// accepted dispute waits for its correction. Returns how many were marked.
std::size_t record_corrections(const VotesSettings& votes, const FeedSettings& feeds,
                               const std::filesystem::path& feeds_dir, TimePoint version, TimePoint now);

}  // namespace crowdfeed
