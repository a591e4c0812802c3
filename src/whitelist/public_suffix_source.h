// The Public Suffix List the operator configured ([public_suffixes] list):
// read from its file, or downloaded from its URL as whitelist sources are
// (timeout and size bounds, a conditional GET, the last good copy kept in
// the state directory and used when a download fails or looks wrong),
// checked for sense, and installed for the domain normaliser.
#pragma once

#include <filesystem>
#include <string>

#include "config/settings.h"
#include "util/time.h"

namespace crowdfeed {

// Installs the configured list, if any. With `download`, a URL is fetched
// now (the hourly run); otherwise its last good copy is used, and until
// there is one the system's list stays, with a warning. Throws Error when
// a configured file cannot be read or makes no sense, or when a download
// fails with no good copy to fall back on.
void load_public_suffix_list(const PublicSuffixSettings& settings, const WhitelistSettings& bounds,
                             const std::filesystem::path& state_dir, TimePoint now, bool download);

// A warning when the list in use is older than settings.warn_after_days (or
// has no date); empty otherwise.
std::string public_suffix_list_age_warning(const PublicSuffixSettings& settings, TimePoint now);

// Throws UsageError naming the key when a [public_suffixes] setting is
// unusable.
void validate(const PublicSuffixSettings& settings);

}  // namespace crowdfeed
