// Who a request of the vote server comes from: one canonical address, and
// the key that rate limits, daily caps and anonymous voter ids count by.
//
// An address is parsed with inet_pton (no zero padding, no hex or octal
// IPv4, no shortened forms) and printed with inet_ntop, so that one client
// is one key however its address was written. IPv4-mapped IPv6 addresses
// are their IPv4 address. An IPv6 client is counted by its network
// (serve.ipv6_prefix, /64 by default): one subscriber usually holds a whole
// /64 and can pick any address in it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sockaddr;

namespace crowdfeed {

struct ClientAddress {
  bool ipv6 = false;
  std::array<unsigned char, 16> bytes{};  // IPv4 in the first 4
  // The canonical text: "192.0.2.1", "2001:db8::1".
  std::string text() const;
  bool operator==(const ClientAddress&) const = default;
};

// The address of a connected socket (AF_INET or AF_INET6); nullopt for
// another family.
std::optional<ClientAddress> socket_client_address(const sockaddr* peer);

// One entry of X-Forwarded-For: "192.0.2.1", "192.0.2.1:443", "2001:db8::1",
// "[2001:db8::1]" or "[2001:db8::1]:443", surrounded by optional spaces.
// nullopt for anything else (a name, "unknown", zero padding, a zone index).
std::optional<ClientAddress> parse_client_address(std::string_view text);

// An address or a network in CIDR notation (serve.trusted_proxies).
struct AddressNetwork {
  ClientAddress network;  // host bits cleared
  int prefix_length = 0;
  bool contains(const ClientAddress& address) const;
};
// "ADDRESS" or "ADDRESS/PREFIX"; nullopt when it is neither.
std::optional<AddressNetwork> parse_address_network(std::string_view text);

// The key a client is counted by: its IPv4 address, or its IPv6 network
// of `ipv6_prefix` bits ("2001:db8:1:2::/64"; the address alone at /128).
std::string client_key(const ClientAddress& address, int ipv6_prefix);

// The client behind a connection from `peer`: `peer` itself, unless it is
// one of `trusted_proxies`; then the last address of the X-Forwarded-For
// chain (every header's entries, in order) that is not a trusted proxy.
// An error naming the entry when the chain holds something that is not an
// address: a proxy that forwards garbage gets no one's identity.
std::variant<ClientAddress, std::string> resolve_client(const ClientAddress& peer,
                                                        const std::vector<std::string_view>& forwarded_for,
                                                        const std::vector<AddressNetwork>& trusted_proxies);

}  // namespace crowdfeed
