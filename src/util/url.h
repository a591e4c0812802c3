// URLs through libcurl's URL parser, never by hand.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

// The host of `url` (an IPv6 address without its brackets), or empty when
// it has none. With `guess_scheme`, a URL without one ("evil.example/x")
// is read as http://, as threat reports often write them.
std::string url_host(std::string_view url, bool guess_scheme = false);

// The host of `url` exactly as written (an IPv6 address without its
// brackets), or empty when it has none ("/path/only"), split as RFC 3986
// (appendix B) splits a URI: the authority after "//" up to the first
// "/", "?" or "#", less the user information and the port. A URL without
// a scheme ("evil.example/x") is read as if it had one. Unlike url_host(),
// nothing is normalised: libcurl rewrites "0x7f.1" as "127.0.0.1" and
// "010.8.8.8" as "8.8.8.8", forms that an indicator's own rules refuse.
std::string_view url_host_as_written(std::string_view url);

}  // namespace crowdfeed
