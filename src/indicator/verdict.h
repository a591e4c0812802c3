// What a vote says of an indicator, and what a feed holds: malicious or
// non-malicious. A word of the whole program's vocabulary, so it lives
// with the indicators, below the settings that name it.
#pragma once

#include <optional>
#include <string_view>

namespace crowdfeed {

// The values are the public vote API's: vote=0 meant malicious, vote=1
// non-malicious. They are also what the votes table stores.
enum class Verdict : int { kMalicious = 0, kNonMalicious = 1 };

const char* verdict_name(Verdict verdict);

// "malicious", "non-malicious", "0" or "1"; nullopt otherwise.
std::optional<Verdict> parse_verdict(std::string_view text);

}  // namespace crowdfeed
