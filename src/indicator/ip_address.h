// IP address indicators: the canonical text of an IPv4 or IPv6 address that
// may be published in a firewall feed, or why it may not. Parsing is
// inet_pton's and the canonical text inet_ntop's (RFC 5952 for IPv6), never
// a hand-written parser.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

struct NormalisedAddress {
  std::string address;  // canonical text; empty when refused
  std::string problem;  // why it was refused, naming the range: "is loopback, ..."
  bool ok() const { return problem.empty(); }
};

// A dotted quad ("192.0.2.1" form) of a public unicast address. Refused
// with a reason: forms other parsers read differently (leading zeros,
// which some read as octal; hex; shortened "127.1"), and the unspecified,
// loopback, private (RFC 1918), shared (RFC 6598), link-local, multicast,
// broadcast, documentation, benchmarking and reserved ranges.
NormalisedAddress normalise_ipv4(std::string_view input);

// An IPv6 address in RFC 5952 text (lower case, the longest run of zero
// groups as "::"). Refused with a reason: zone indices ("%eth0"), and the
// unspecified, loopback, link-local, unique-local, multicast, documentation
// and IPv4-mapped ranges (the message gives the IPv4 form).
NormalisedAddress normalise_ipv6(std::string_view input);

}  // namespace crowdfeed
