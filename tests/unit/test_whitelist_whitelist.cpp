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
