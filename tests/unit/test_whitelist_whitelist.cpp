#include <catch2/catch.hpp>

#include "whitelist/whitelist.h"

using namespace crowdfeed;

TEST_CASE("a whitelisted parent excludes its subdomains, on label boundaries only") {
  Whitelist whitelist({{"ops", true}});
  whitelist.add("example.com", 0);
  CHECK(whitelist.match("example.com")->entry == "example.com");
  CHECK(whitelist.match("www.example.com")->entry == "example.com");
  CHECK(whitelist.match("a.b.example.com")->trusted);
  CHECK_FALSE(whitelist.match("badexample.com"));
  CHECK_FALSE(whitelist.match("example.com.evil.net"));
  CHECK_FALSE(whitelist.match("com"));
}

TEST_CASE("observed entries count only when min_observed sources list them") {
  Whitelist whitelist({{"tranco", false}, {"umbrella", false}, {"majestic", false}, {"ops", true}}, 2);
  whitelist.add("seen-once.example", 0);
  whitelist.add("seen-twice.example", 0);
  whitelist.add("seen-twice.example", 2);
  whitelist.add("trusted.example", 3);
  CHECK_FALSE(whitelist.match("seen-once.example"));
  auto twice = whitelist.match("www.seen-twice.example");
  REQUIRE(twice);
  CHECK(twice->observed == 2);
  CHECK(whitelist.describe(*twice) == "observed by tranco, majestic (2 of min 2)");
  CHECK(whitelist.match("trusted.example"));
  CHECK(whitelist.describe(*whitelist.match("trusted.example")) == "trusted: ops");

  // Listing the same entry twice in one source is still one source.
  whitelist.add("seen-once.example", 0);
  CHECK_FALSE(whitelist.match("seen-once.example"));
}

TEST_CASE("the most specific effective entry wins, and listings show every covering entry") {
  Whitelist whitelist({{"a", false}, {"b", false}}, 2);
  whitelist.add("example.com", 0);
  whitelist.add("example.com", 1);
  whitelist.add("cdn.example.com", 0);
  auto match = whitelist.match("x.cdn.example.com");
  REQUIRE(match);
  CHECK(match->entry == "example.com");  // cdn.example.com alone is not enough
  auto all = whitelist.listings("x.cdn.example.com");
  REQUIRE(all.size() == 2);
  CHECK(all[0].entry == "cdn.example.com");
  CHECK_FALSE(all[0].effective);
  CHECK(all[1].entry == "example.com");
  CHECK(all[1].effective);
}

TEST_CASE("IP entries match by longest prefix, hashes exactly, and no entry matches another type") {
  Whitelist whitelist({{"ops", true}, {"net-a", false}, {"net-b", false}}, 2);
  auto add_range = [&](const char* text, std::size_t source) {
    ParsedRange parsed = parse_address_range(text);
    REQUIRE(parsed.ok());
    whitelist.add_range(parsed.range, source);
  };
  add_range("45.33.0.0/16", 0);
  add_range("45.33.32.0/24", 1);  // one observed source: not enough alone
  add_range("45.33.32.156", 2);
  add_range("45.33.32.156", 1);
  add_range("2a00:1450::/32", 0);
  whitelist.add_hash("0123456789abcdef0123456789abcdef", 0);
  whitelist.add("example.com", 0);

  CHECK(whitelist.match("45.33.32.156", IndicatorType::kIpv4)->entry == "45.33.32.156");  // most specific
  CHECK(whitelist.match("45.33.32.157", IndicatorType::kIpv4)->entry == "45.33.0.0/16");  // /24 is not effective
  CHECK_FALSE(whitelist.match("45.34.0.1", IndicatorType::kIpv4));
  CHECK(whitelist.match("2a00:1450:4001::1", IndicatorType::kIpv6)->entry == "2a00:1450::/32");
  CHECK_FALSE(whitelist.match("2a00:1451::1", IndicatorType::kIpv6));
  CHECK(whitelist.listings("45.33.32.157", IndicatorType::kIpv4).size() == 2);
  CHECK(whitelist.match("0123456789abcdef0123456789abcdef", IndicatorType::kMd5)->entry ==
        "0123456789abcdef0123456789abcdef");
  CHECK_FALSE(whitelist.match("0123456789abcdef0123456789abcdee", IndicatorType::kMd5));
  CHECK(whitelist.match("www.example.com", IndicatorType::kDomain)->entry == "example.com");
  // Never across types: an IPv4 range does not cover an IPv6 address, nor
  // a hash a domain.
  CHECK_FALSE(whitelist.match("::ffff:2d21:209c", IndicatorType::kIpv6));
  CHECK_FALSE(whitelist.match("0123456789abcdef0123456789abcdef", IndicatorType::kDomain));
  CHECK(whitelist.size() == 6);  // four ranges, a hash, a domain
}

TEST_CASE("whitelist ranges: host bits cleared, too wide or malformed ranges refused") {
  CHECK(parse_address_range("10.1.2.3/8").range.text() == "10.0.0.0/8");
  CHECK(parse_address_range("2001:DB8::1/48").range.text() == "2001:db8::/48");
  CHECK(parse_address_range("192.0.2.1").range.text() == "192.0.2.1");
  CHECK_THAT(parse_address_range("0.0.0.0/0").problem, Catch::Contains("wider than /8"));
  CHECK_THAT(parse_address_range("2000::/3").problem, Catch::Contains("wider than /16"));
  CHECK_THAT(parse_address_range("10.0.0.0/33").problem, Catch::Contains("from 0 to 32"));
  CHECK_THAT(parse_address_range("10.0.0.0/").problem, Catch::Contains("prefix length"));
  CHECK_THAT(parse_address_range("example.com").problem, Catch::Contains("not an IP address or CIDR range"));
  CHECK_THAT(parse_address_range("010.0.0.1").problem, Catch::Contains("not an IP address"));
}

TEST_CASE("an IPv4-mapped range in a whitelist is the IPv4 range") {
  CHECK(parse_address_range("::ffff:5.6.7.0/120").range.text() == "5.6.7.0/24");
  CHECK(parse_address_range("::ffff:5.6.7.8").range.text() == "5.6.7.8");
  Whitelist whitelist({{"ops", true}});
  whitelist.add_range(parse_address_range("::ffff:5.6.7.0/120").range, 0);
  CHECK(whitelist.match("5.6.7.8", IndicatorType::kIpv4)->entry == "5.6.7.0/24");
}
