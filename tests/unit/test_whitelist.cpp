#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "util/error.h"
#include "whitelist/whitelist.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;
using crowdfeed::testing::write_text;

TEST_CASE("a whitelisted parent excludes its subdomains, on label boundaries only") {
  Whitelist whitelist;
  whitelist.add("example.com", "test");
  CHECK(whitelist.match("example.com")->entry == "example.com");
  CHECK(whitelist.match("www.example.com")->entry == "example.com");
  CHECK(whitelist.match("a.b.example.com")->source == "test");
  CHECK_FALSE(whitelist.match("badexample.com"));
  CHECK_FALSE(whitelist.match("example.com.evil.net"));
  CHECK_FALSE(whitelist.match("com"));
}

TEST_CASE("plain whitelist files: comments, blanks and bad lines") {
  TempDir dir;
  write_text(dir / "good.txt",
             "# popular sites\n! adblock-style comment\n\nGoogle.com\n  wikipedia.org  # inline comment\n"
             "not a domain\ngithub.io\n192.0.2.1\n");
  std::vector<WhitelistSourceStats> stats;
  Whitelist whitelist = load_whitelist({dir / "good.txt"}, &stats);
  CHECK(whitelist.size() == 2);
  CHECK(whitelist.match("mail.google.com"));
  CHECK(whitelist.match("en.wikipedia.org"));
  // A public suffix entry would whitelist every site under it: refused.
  CHECK_FALSE(whitelist.match("evil.github.io"));
  REQUIRE(stats.size() == 1);
  CHECK(stats[0].entries == 2);
  CHECK(stats[0].invalid == 3);
}

TEST_CASE("a missing whitelist file is an error, never an empty whitelist") {
  TempDir dir;
  CHECK_THROWS_WITH(load_whitelist({dir / "absent.txt"}), Catch::Contains("absent.txt"));
}
