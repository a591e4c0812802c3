// The vote server's key for anonymous voters' ids.
#pragma once

#include <filesystem>
#include <string>

namespace crowdfeed {

// The key of the anonymous voters' hashes: 32 random bytes in the state
// directory, made once (0600) and kept, so that an address is the same
// anonymous voter from run to run, and no one without the file can tell
// which address a voter id stands for.
std::string anonymous_key(const std::filesystem::path& path);

}  // namespace crowdfeed
