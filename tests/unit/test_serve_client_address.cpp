#include <catch2/catch.hpp>

#include "serve/client_address.h"

using namespace crowdfeed;

namespace {

std::string canonical(std::string_view text) {
  auto address = parse_client_address(text);
  return address ? address->text() : "refused";
}

std::vector<AddressNetwork> networks(std::initializer_list<std::string_view> texts) {
  std::vector<AddressNetwork> parsed;
  for (auto text : texts) parsed.push_back(parse_address_network(text).value());
  return parsed;
}

std::string resolved(std::string_view peer, std::vector<std::string_view> forwarded,
                     const std::vector<AddressNetwork>& trusted) {
  auto client = resolve_client(parse_client_address(peer).value(), forwarded, trusted);
  if (auto* problem = std::get_if<std::string>(&client)) return "error: " + *problem;
  return std::get<ClientAddress>(client).text();
}

}  // namespace

TEST_CASE("one address written many ways is one client") {
  for (auto text : {"198.51.100.7", " 198.51.100.7\t", "198.51.100.7:80", "::ffff:198.51.100.7",
                    "[::ffff:198.51.100.7]", "[::FFFF:c633:6407]:443"}) {
    INFO(text);
    CHECK(canonical(text) == "198.51.100.7");
  }
  for (auto text : {"2001:DB8::1", "2001:0db8:0000::0001", "[2001:db8::1]", "[2001:db8::1]:8080"}) {
    INFO(text);
    CHECK(canonical(text) == "2001:db8::1");
  }
}

TEST_CASE("what is not an address is refused, whatever another parser would make of it") {
  for (auto text :
       {"", "010.8.8.8", "1.2.3", "0x7f.0.0.1", "127.1", "unknown", "example.org", "fe80::1%eth0", "198.51.100.7:99999",
        "198.51.100.7:", "[2001:db8::1", "[2001:db8::1]x", "198.51.100.7 x", "2001:db8::1:80:", "[198.51.100.7]"}) {
    INFO(text);
    CHECK(canonical(text) == "refused");
  }
}

TEST_CASE("an IPv6 client is counted by its network, an IPv4 client by its address") {
  auto key = [](std::string_view text, int prefix) { return client_key(parse_client_address(text).value(), prefix); };
  CHECK(key("2001:db8:1:2:aaaa::1", 64) == "2001:db8:1:2::/64");
  CHECK(key("2001:db8:1:2:ffff:ffff:ffff:ffff", 64) == "2001:db8:1:2::/64");
  CHECK(key("2001:db8:1:3::1", 64) == "2001:db8:1:3::/64");
  CHECK(key("2001:db8:1:2:aaaa::1", 48) == "2001:db8:1::/48");
  CHECK(key("2001:db8::1", 128) == "2001:db8::1");
  CHECK(key("198.51.100.7", 64) == "198.51.100.7");
}

TEST_CASE("networks of trusted proxies") {
  auto network = parse_address_network("10.1.2.3/8").value();
  CHECK(network.contains(parse_client_address("10.200.0.1").value()));
  CHECK_FALSE(network.contains(parse_client_address("11.0.0.1").value()));
  CHECK(parse_address_network("::ffff:10.0.0.0/104").value().contains(parse_client_address("10.9.9.9").value()));
  CHECK(parse_address_network("2001:db8::/32").value().contains(parse_client_address("2001:db8:ff::1").value()));
  for (auto text : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "[::1]", "10.0.0.1:80", "nonsense", "2001:db8::/129"}) {
    INFO(text);
    CHECK_FALSE(parse_address_network(text).has_value());
  }
}

TEST_CASE("X-Forwarded-For is believed from trusted proxies only, from the nearest hop back") {
  const auto trusted = networks({"127.0.0.1", "10.0.0.0/8"});
  CHECK(resolved("192.0.2.9", {"198.51.100.1"}, trusted) == "192.0.2.9");  // not a proxy: forged
  CHECK(resolved("127.0.0.1", {}, trusted) == "127.0.0.1");
  CHECK(resolved("127.0.0.1", {"203.0.113.5, 198.51.100.1"}, trusted) == "198.51.100.1");
  CHECK(resolved("127.0.0.1", {"203.0.113.5, 198.51.100.1, 10.1.1.1"}, trusted) == "198.51.100.1");
  // Several headers are one list, the last header nearest.
  CHECK(resolved("127.0.0.1", {"198.51.100.1", "10.1.1.1"}, trusted) == "198.51.100.1");
  CHECK(resolved("127.0.0.1", {"[2001:db8::1]:443"}, trusted) == "2001:db8::1");
  // Garbage from a trusted hop names no one: refused, quoted.
  CHECK(resolved("127.0.0.1", {"198.51.100.1, unknown"}, trusted) ==
        "error: X-Forwarded-For from a trusted proxy holds "
        "\"unknown\", which is not an address");
  // What an untrusted hop claimed about earlier hops is not read at all.
  CHECK(resolved("127.0.0.1", {"garbage, 198.51.100.1"}, trusted) == "198.51.100.1");
}
