#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "util/error.h"
#include "whitelist/from_networks.h"
#include "whitelist/load.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;
using crowdfeed::testing::write_text;
using Kind = WhitelistSourceSettings::Kind;

TEST_CASE("trusted and observed sources combine under min_observed") {
  TempDir dir;
  write_text(dir / "ops.txt", "operator.example\n");
  write_text(dir / "net-a.txt", "both.example\nonly-a.example\ngithub.io\n");
  write_text(dir / "net-b.csv", "1,both.example\n2,only-b.example\n");
  WhitelistSettings settings;
  settings.sources = {{"ops", Kind::kTrusted, (dir / "ops.txt").string()},
                      {"net-a", Kind::kObserved, (dir / "net-a.txt").string()},
                      {"net-b", Kind::kObserved, (dir / "net-b.csv").string()}};
  auto loaded = load_whitelist(settings, dir / "state", TimePoint{});
  CHECK(loaded.whitelist.match("operator.example"));
  CHECK(loaded.whitelist.match("www.both.example"));
  CHECK_FALSE(loaded.whitelist.match("only-a.example"));
  CHECK_FALSE(loaded.whitelist.match("only-b.example"));
  // github.io is refused: evil.github.io stays blockable.
  CHECK_FALSE(loaded.whitelist.match("evil.github.io"));
  REQUIRE(loaded.sources.size() == 3);
  CHECK(loaded.sources[1].stats.entries == 2);
  CHECK(loaded.sources[1].stats.public_suffixes == 1);

  settings.min_observed = 1;
  CHECK(load_whitelist(settings, dir / "state", TimePoint{}).whitelist.match("only-a.example"));
}

TEST_CASE("a local source that cannot be read stops the load") {
  TempDir dir;
  WhitelistSettings settings;
  settings.sources = {{"ops", Kind::kTrusted, (dir / "absent.txt").string()}};
  CHECK_THROWS_WITH(load_whitelist(settings, dir / "state", TimePoint{}), Catch::Contains("absent.txt"));
}

TEST_CASE("a URL source that was never downloaded and cannot be is an error") {
  TempDir dir;
  WhitelistSettings settings;
  settings.download_timeout_seconds = 5;
  // Port 9 on loopback: nothing listens, the connection is refused at once.
  settings.sources = {{"remote", Kind::kObserved, "http://127.0.0.1:9/top.csv"}};
  CHECK_THROWS_WITH(load_whitelist(settings, dir / "state", TimePoint{}),
                    Catch::Contains("no earlier copy to fall back on"));
}

TEST_CASE("whitelist build keeps the domains seen on at least K networks") {
  TempDir dir;
  write_text(dir / "a.txt", "shared.example\nshared.example\nonly-a.example\nthree.example\n");
  write_text(dir / "b.txt", "0.0.0.0 shared.example three.example\n");
  write_text(dir / "c.csv", "1,three.example\n2,only-c.example\n");
  auto seen = domains_seen_on_networks({dir / "a.txt", dir / "b.txt", dir / "c.csv"}, 2, 0);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].domain == "shared.example");
  CHECK(seen[0].networks == 2);
  CHECK(seen[1].domain == "three.example");
  CHECK(seen[1].networks == 3);
  CHECK(render_network_whitelist(seen, 3, 2) ==
        "# crowdfeed whitelist: the 2 domains seen on at least 2 of 3 network lists\n"
        "shared.example  # seen on 2 networks\n"
        "three.example  # seen on 3 networks\n");
  CHECK(domains_seen_on_networks({dir / "a.txt", dir / "b.txt", dir / "c.csv"}, 3, 0).size() == 1);
  // --top 1: only each list's first entry counts.
  CHECK(domains_seen_on_networks({dir / "a.txt", dir / "b.txt"}, 2, 1).size() == 1);
  CHECK_THROWS_WITH(domains_seen_on_networks({dir / "none.txt"}, 1, 0), Catch::Contains("none.txt"));
}
