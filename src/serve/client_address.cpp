#include "serve/client_address.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "util/text.h"

namespace crowdfeed {
namespace {

constexpr std::array<unsigned char, 12> kIpv4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool is_port(std::string_view text) {
  unsigned port = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() && port <= 65535 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An IPv6 address that stands for an IPv4 one is that IPv4 address.
ClientAddress unmapped(ClientAddress address) {
  if (address.ipv6 && std::equal(kIpv4MappedPrefix.begin(), kIpv4MappedPrefix.end(), address.bytes.begin())) {
    ClientAddress four;
    std::copy_n(address.bytes.begin() + 12, 4, four.bytes.begin());
    return four;
  }
  return address;
}

std::optional<ClientAddress> parse_bare(std::string_view text, bool ipv6) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string copy(text);  // inet_pton reads a C string
  ClientAddress address;
  address.ipv6 = ipv6;
  if (inet_pton(ipv6 ? AF_INET6 : AF_INET, copy.c_str(), address.bytes.data()) != 1) return std::nullopt;
  return unmapped(address);
}

void clear_host_bits(ClientAddress& address, int prefix_length) {
  const int bits = address.ipv6 ? 128 : 32;
  for (int bit = std::max(prefix_length, 0); bit < bits; ++bit) {
    address.bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
  }
}

}  // namespace

std::string ClientAddress::text() const {
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  if (inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes.data(), buffer.data(), buffer.size()) == nullptr) return "?";
  return buffer.data();
}

std::optional<ClientAddress> socket_client_address(const sockaddr* peer) {
  if (peer == nullptr) return std::nullopt;
  ClientAddress address;
  if (peer->sa_family == AF_INET) {
    sockaddr_in four{};
    std::memcpy(&four, peer, sizeof four);
    std::memcpy(address.bytes.data(), &four.sin_addr, 4);
    return address;
  }
  if (peer->sa_family == AF_INET6) {
    sockaddr_in6 six{};
    std::memcpy(&six, peer, sizeof six);
    address.ipv6 = true;
    std::memcpy(address.bytes.data(), &six.sin6_addr, 16);
    return unmapped(address);
  }
  return std::nullopt;
}

std::optional<ClientAddress> parse_client_address(std::string_view text) {
  text = trim_spaces(text);
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && is_port(rest.substr(1)))) return std::nullopt;
    return parse_bare(text.substr(1, close - 1), true);
  }
  auto colons = std::count(text.begin(), text.end(), ':');
  if (colons == 0) return parse_bare(text, false);
  if (colons == 1) {  // IPv4 with a port
    auto colon = text.find(':');
    if (!is_port(text.substr(colon + 1))) return std::nullopt;
    return parse_bare(text.substr(0, colon), false);
  }
  return parse_bare(text, true);
}

bool AddressNetwork::contains(const ClientAddress& address) const {
  if (address.ipv6 != network.ipv6) return false;
  ClientAddress masked = address;
  clear_host_bits(masked, prefix_length);
  return masked == network;
}

std::optional<AddressNetwork> parse_address_network(std::string_view text) {
  auto slash = text.find('/');
  std::string_view bare = text.substr(0, slash);
  // An address alone, as inet_pton reads it: no brackets, no port.
  const bool six = bare.find(':') != std::string_view::npos;
  auto address = parse_bare(bare, six);
  if (!address) return std::nullopt;
  AddressNetwork network{*address, address->ipv6 ? 128 : 32};
  if (slash != std::string_view::npos) {
    std::string_view length = text.substr(slash + 1);
    int prefix = -1;
    auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), prefix);
    if (length.empty() || error != std::errc() || end != length.data() + length.size()) return std::nullopt;
    // ::ffff:192.0.2.0/120 is the IPv4 network 192.0.2.0/24.
    if (six && !address->ipv6) prefix -= 96;
    if (prefix < 0 || prefix > network.prefix_length) return std::nullopt;
    network.prefix_length = prefix;
  }
  clear_host_bits(network.network, network.prefix_length);
  return network;
}

std::string client_key(const ClientAddress& address, int ipv6_prefix) {
  if (!address.ipv6 || ipv6_prefix >= 128) return address.text();
  ClientAddress network = address;
  clear_host_bits(network, ipv6_prefix);
  return fmt::format("{}/{}", network.text(), ipv6_prefix);
}

std::variant<ClientAddress, std::string> resolve_client(const ClientAddress& peer,
                                                        const std::vector<std::string_view>& forwarded_for,
                                                        const std::vector<AddressNetwork>& trusted_proxies) {
  auto trusted = [&](const ClientAddress& address) {
    return std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                       [&](const AddressNetwork& proxy) { return proxy.contains(address); });
  };
  ClientAddress client = peer;
  if (!trusted(client)) return client;
  // From the nearest hop back: each trusted proxy vouches for the hop before it.
  for (auto header = forwarded_for.rbegin(); header != forwarded_for.rend(); ++header) {
    std::string_view list = *header;
    while (true) {
      auto comma = list.rfind(',');
      std::string_view entry = comma == std::string_view::npos ? list : list.substr(comma + 1);
      auto address = parse_client_address(entry);
      if (!address) {
        return fmt::format("X-Forwarded-For from a trusted proxy holds {}, which is not an address",
                           quote_text(printable(trim_spaces(entry), 100)));
      }
      client = *address;
      if (!trusted(client)) return client;
      if (comma == std::string_view::npos) break;
      list = list.substr(0, comma);
    }
  }
  return client;
}

}  // namespace crowdfeed
