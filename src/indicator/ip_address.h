// IP address indicators: the canonical text of an IPv4 or IPv6 address that
// may be published in a firewall feed, or why it may not. Parsing is
// inet_pton's and the canonical text inet_ntop's (RFC 5952 for IPv6), never
// a hand-written parser.
#pragma once

#include <array>
#include <optional>
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

// A network of addresses: a whitelist's single address or CIDR range.
struct AddressRange {
  bool ipv6 = false;
  std::array<unsigned char, 16> bytes{};  // the network, host bits zero; IPv4 in the first 4
  int prefix_length = 0;                  // 32 or 128 for a single address
  // "192.0.2.0/24", or the address alone for a single one.
  std::string text() const;
  // Clears the bits below the prefix, making `bytes` the network.
  void clear_host_bits();
};

struct ParsedRange {
  AddressRange range;
  std::string problem;  // why it was refused
  bool ok() const { return problem.empty(); }
};

// "ADDRESS" or "ADDRESS/PREFIX" (IPv4 or IPv6, through inet_pton); host
// bits below the prefix are cleared, as routers do. Refused: anything
// else, prefixes out of range, and ranges wider than /8 (IPv4) or /16
// (IPv6), which would whitelist a large share of the Internet.
ParsedRange parse_address_range(std::string_view text);

// The bytes of a normalised address (as normalise_ipv4/6 return it), IPv4
// in the first 4; nullopt when it is neither.
std::optional<std::array<unsigned char, 16>> address_bytes(std::string_view address, bool ipv6);

}  // namespace crowdfeed
