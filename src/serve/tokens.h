// API tokens of the vote server's voters: random, shown once, stored only
// as their SHA-256.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

// A new token: "cfv_" and 64 hexadecimal digits from the system's random
// generator (256 bits).
std::string new_token();

// The hexadecimal SHA-256 of a token, as the voters table stores it.
std::string token_sha256(std::string_view token);

// Whether two secrets of the same length are equal, in a time that does
// not depend on where they differ.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace crowdfeed
