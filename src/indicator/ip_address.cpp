#include "indicator/ip_address.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace crowdfeed {
namespace {

struct Range {
  std::uint32_t network;
  int prefix_length;
  std::string_view what;
};

constexpr std::uint32_t ipv4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// The IPv4 ranges no feed lists (IANA special-purpose registry), the
// narrower first.
constexpr std::array<Range, 15> kIpv4Ranges = {{
    {ipv4(255, 255, 255, 255), 32, "the broadcast address"},
    {ipv4(192, 0, 2, 0), 24, "documentation (TEST-NET-1, RFC 5737)"},
    {ipv4(198, 51, 100, 0), 24, "documentation (TEST-NET-2, RFC 5737)"},
    {ipv4(203, 0, 113, 0), 24, "documentation (TEST-NET-3, RFC 5737)"},
    {ipv4(192, 0, 0, 0), 24, "reserved for IETF protocol assignments (RFC 6890)"},
    {ipv4(169, 254, 0, 0), 16, "link-local (RFC 3927)"},
    {ipv4(192, 168, 0, 0), 16, "private (RFC 1918)"},
    {ipv4(198, 18, 0, 0), 15, "benchmarking (RFC 2544)"},
    {ipv4(172, 16, 0, 0), 12, "private (RFC 1918)"},
    {ipv4(100, 64, 0, 0), 10, "shared address space (RFC 6598)"},
    {ipv4(0, 0, 0, 0), 8, "unspecified (\"this network\", RFC 1122)"},
    {ipv4(10, 0, 0, 0), 8, "private (RFC 1918)"},
    {ipv4(127, 0, 0, 0), 8, "loopback"},
    {ipv4(224, 0, 0, 0), 4, "multicast"},
    {ipv4(240, 0, 0, 0), 4, "reserved (RFC 1112)"},
}};

bool in_range(std::uint32_t address, const Range& range) {
  std::uint32_t mask = range.prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix_length);
  return (address & mask) == range.network;
}

// Why text that looks like an IPv4 address but is no dotted quad is refused.
std::string ambiguous_ipv4_problem(std::string_view text) {
  constexpr std::string_view kNotIpv4 = "is not an IPv4 address (four parts from 0 to 255, separated by dots)";
  // Only digits, dots and (for the hexadecimal forms) 0x prefixes and hex
  // digits can be a form some parser reads as an address.
  bool numeric = !text.empty() && text.find_first_not_of("0123456789.") == std::string_view::npos;
  bool hexadecimal = (text.starts_with("0x") || text.starts_with("0X")) &&
                     text.find_first_not_of("0123456789abcdefABCDEFxX.") == std::string_view::npos;
  if (!numeric && !hexadecimal) return std::string(kNotIpv4);
  if (hexadecimal) {
    return "is a hexadecimal IPv4 form, which parsers read differently; write it as a dotted quad";
  }
  // An empty part ("1.2.3.4.", "1..2.3") is no form of an address.
  if (text.front() == '.' || text.back() == '.' || text.find("..") != std::string_view::npos) {
    return std::string(kNotIpv4);
  }
  std::size_t dots = 0;
  for (char c : text) dots += c == '.' ? 1 : 0;
  if (dots != 3) {
    return "is a shortened IPv4 form (such as 127.1), which parsers read differently; write all four parts";
  }
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('.', start);
    std::string_view part = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.size() > 1 && part.front() == '0') {
      return "has a part with a leading zero, which some parsers read as octal (010 is 8); drop the zeros";
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return std::string(kNotIpv4);
}

}  // namespace

NormalisedAddress normalise_ipv4(std::string_view input) {
  std::string text(input);
  in_addr parsed{};
  // glibc's inet_pton takes exactly the dotted quad, without leading zeros.
  if (text.find('\0') != std::string::npos || ::inet_pton(AF_INET, text.c_str(), &parsed) != 1) {
    return {{}, ambiguous_ipv4_problem(input)};
  }
  std::uint32_t address = ntohl(parsed.s_addr);
  for (const Range& range : kIpv4Ranges) {
    if (in_range(address, range)) return {{}, fmt::format("is {}, not a public address", range.what)};
  }
  char canonical[INET_ADDRSTRLEN] = "";
  ::inet_ntop(AF_INET, &parsed, canonical, sizeof canonical);
  return {canonical, {}};
}

std::string AddressRange::text() const {
  char buffer[INET6_ADDRSTRLEN] = "";
  ::inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer);
  int full = ipv6 ? 128 : 32;
  return prefix_length == full ? std::string(buffer) : fmt::format("{}/{}", buffer, prefix_length);
}

void AddressRange::clear_host_bits() {
  for (int bit = prefix_length; bit < (ipv6 ? 128 : 32); ++bit) {
    bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
  }
}

ParsedRange parse_address_range(std::string_view text) {
  ParsedRange parsed;
  auto slash = text.find('/');
  std::string address(text.substr(0, slash));
  AddressRange& range = parsed.range;
  range.ipv6 = address.find(':') != std::string::npos;
  const int full = range.ipv6 ? 128 : 32;
  if (address.find('\0') != std::string::npos ||
      ::inet_pton(range.ipv6 ? AF_INET6 : AF_INET, address.c_str(), range.bytes.data()) != 1) {
    parsed.problem = "is not an IP address or CIDR range";
    return parsed;
  }
  range.prefix_length = full;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(digits)) > full) {
      parsed.problem = fmt::format("has a prefix length that is not a number from 0 to {}", full);
      return parsed;
    }
    range.prefix_length = std::stoi(std::string(digits));
  }
  // An IPv4 range written as IPv4-mapped IPv6 (MISP lists have them) is
  // the IPv4 range: votes on IPv4 addresses are stored as IPv4.
  static constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (range.ipv6 && range.prefix_length >= 96 && std::equal(kMapped.begin(), kMapped.end(), range.bytes.begin())) {
    std::array<unsigned char, 16> ipv4{};
    std::copy(range.bytes.begin() + 12, range.bytes.end(), ipv4.begin());
    range.bytes = ipv4;
    range.ipv6 = false;
    range.prefix_length -= 96;
  }
  int widest = range.ipv6 ? 16 : 8;
  if (range.prefix_length < widest) {
    parsed.problem = fmt::format("is wider than /{}: it would whitelist a large share of all addresses", widest);
    return parsed;
  }
  range.clear_host_bits();
  return parsed;
}

std::optional<std::array<unsigned char, 16>> address_bytes(std::string_view address, bool ipv6) {
  std::array<unsigned char, 16> bytes{};
  std::string text(address);
  if (text.find('\0') != std::string::npos || ::inet_pton(ipv6 ? AF_INET6 : AF_INET, text.c_str(), bytes.data()) != 1) {
    return std::nullopt;
  }
  return bytes;
}

NormalisedAddress normalise_ipv6(std::string_view input) {
  std::string text(input);
  if (text.find('%') != std::string::npos) {
    return {{}, "has a zone index ('%'), which only means something on one host"};
  }
  in6_addr parsed{};
  if (text.find('\0') != std::string::npos || ::inet_pton(AF_INET6, text.c_str(), &parsed) != 1) {
    return {{}, "is not an IPv6 address"};
  }
  const unsigned char* bytes = parsed.s6_addr;
  auto starts = [&](std::initializer_list<unsigned> prefix, int bits) {
    int bit = 0;
    for (unsigned byte : prefix) {
      int take = std::min(8, bits - bit);
      if (take <= 0) break;
      unsigned mask = (0xffu << (8 - take)) & 0xffu;
      if ((bytes[bit / 8] & mask) != (byte & mask)) return false;
      bit += 8;
    }
    return true;
  };
  bool all_zero_but_last = std::all_of(bytes, bytes + 15, [](unsigned char b) { return b == 0; });
  auto ipv4_at = [&](int at) {
    return fmt::format("{}.{}.{}.{}", bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  };
  // Forms that carry an IPv4 address: the feed lists the IPv4 address
  // itself (a NAT64 spelling of a public resolver must not slip past the
  // canaries).
  std::string_view embedding;
  int ipv4_offset = 12;
  if (all_zero_but_last && bytes[15] <= 1)
    embedding = {};
  else if (starts({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96))
    embedding = "an IPv4-mapped IPv6 address";
  else if (starts({0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0}, 96))
    embedding = "an IPv4-translated address (::ffff:0:0/96)";
  else if (starts({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 96))
    embedding = "a deprecated IPv4-compatible address (::/96)";
  else if (starts({0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, 96))
    embedding = "a NAT64 address (64:ff9b::/96)";
  else if (starts({0x20, 0x02}, 16))
    embedding = "a 6to4 address (2002::/16, deprecated)", ipv4_offset = 2;
  if (!embedding.empty()) {
    return {{}, fmt::format("is {}; vote on the IPv4 address {} instead", embedding, ipv4_at(ipv4_offset))};
  }
  // IANA's special-purpose ranges, the narrower first.
  std::string_view what;
  if (all_zero_but_last && bytes[15] == 0)
    what = "unspecified";
  else if (all_zero_but_last && bytes[15] == 1)
    what = "loopback";
  else if (starts({0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48))
    what = "local-use IPv4/IPv6 translation (64:ff9b:1::/48)";
  else if (starts({0x01, 0x00, 0, 0, 0, 0, 0, 0}, 64))
    what = "discard-only (100::/64)";
  else if (starts({0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48))
    what = "benchmarking (2001:2::/48)";
  else if (starts({0x20, 0x01, 0x00}, 23))
    what = "an IETF protocol assignment (2001::/23)";
  else if (starts({0x20, 0x01, 0x0d, 0xb8}, 32))
    what = "documentation (2001:db8::/32)";
  else if (starts({0x3f, 0xff}, 20))
    what = "documentation (3fff::/20)";
  else if (starts({0x5f, 0x00}, 16))
    what = "segment routing (5f00::/16)";
  else if (starts({0xfe, 0x80}, 10))
    what = "link-local (fe80::/10)";
  else if (starts({0xfe, 0xc0}, 10))
    what = "site-local (fec0::/10, deprecated)";
  else if (starts({0xfc}, 7))
    what = "unique-local (fc00::/7)";
  else if (starts({0xff}, 8))
    what = "multicast (ff00::/8)";
  if (!what.empty()) return {{}, fmt::format("is {}, not a public address", what)};
  char canonical[INET6_ADDRSTRLEN] = "";
  ::inet_ntop(AF_INET6, &parsed, canonical, sizeof canonical);
  return {canonical, {}};
}

}  // namespace crowdfeed
