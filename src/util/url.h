// URLs through libcurl's URL parser, never by hand.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

// The host of `url` (an IPv6 address without its brackets), or empty when
// it has none. With `guess_scheme`, a URL without one ("evil.example/x")
// is read as http://, as threat reports often write them.
std::string url_host(std::string_view url, bool guess_scheme = false);

}  // namespace crowdfeed
