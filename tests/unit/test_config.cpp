#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "cli/settings.h"
#include "config/config.h"
#include "feeds/settings.h"
#include "temp_dir.h"
#include "util/error.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;
using crowdfeed::testing::write_text;

TEST_CASE("every setting is optional and the defaults are the documented ones") {
  TempDir dir;
  write_text(dir / "empty.toml", "");
  Config config = load_checked_config(dir / "empty.toml");
  CHECK(config.policy.min_votes == 2);
  CHECK(config.policy.min_share == 0.75);
  CHECK(config.feeds.licence_name == "Apache-2.0");
  CHECK(config.feeds_dir == dir / "feeds");  // relative to the configuration's folder
}

TEST_CASE("the example configuration in deploy/ loads and sets every setting") {
  Config config = load_checked_config(CROWDFEED_SOURCE_DIR "/deploy/crowdfeed.toml");
  CHECK(config.votes.database == "/var/lib/crowdfeed/votes.db");
  CHECK(config.feeds_dir == "/var/lib/crowdfeed/feeds");
}

TEST_CASE("settings are read with their types and relative paths follow the file") {
  TempDir dir;
  write_text(dir / "c.toml",
             "[paths]\nfeeds_dir = \"out\"\ndatabase = \"/abs/votes.db\"\n"
             "[policy]\nmin_votes = 3\nmin_share = 1\nmax_age_days = 30\n"
             "[whitelist]\nfiles = [\"a.txt\", \"/etc/b.txt\"]\n"
             "[feeds]\nhomepage = \"https://feeds.example.net/\"\n");
  Config config = load_checked_config(dir / "c.toml");
  CHECK(config.feeds_dir == dir / "out");
  CHECK(config.votes.database == "/abs/votes.db");
  CHECK(config.policy.min_votes == 3);
  CHECK(config.policy.min_share == 1.0);
  CHECK(config.policy.max_age_days == 30);
  REQUIRE(config.whitelist.sources.size() == 2);
  CHECK(config.whitelist.sources[0].location == (dir / "a.txt").string());
  CHECK(config.whitelist.sources[0].kind == WhitelistSourceSettings::Kind::kTrusted);
  CHECK(config.whitelist.sources[1].location == "/etc/b.txt");
}

TEST_CASE("feeds.gzip: fast by default and for true, small on request, none for false") {
  TempDir dir;
  auto gzip_of = [&](std::string_view line) {
    write_text(dir / "c.toml", fmt::format("[feeds]\n{}\n", line));
    return load_checked_config(dir / "c.toml").feeds.gzip;
  };
  CHECK(gzip_of("") == GzipLevel::kFast);
  CHECK(gzip_of("gzip = true") == GzipLevel::kFast);
  CHECK(gzip_of("gzip = \"fast\"") == GzipLevel::kFast);
  CHECK(gzip_of("gzip = \"small\"") == GzipLevel::kSmall);
  CHECK(gzip_of("gzip = false") == std::nullopt);
}

TEST_CASE("an unknown key, a wrong type or a bad value names the file, line and key") {
  TempDir dir;
  auto error_of = [&](std::string_view text) {
    write_text(dir / "bad.toml", text);
    try {
      load_checked_config(dir / "bad.toml");
    } catch (const UsageError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of("[policy]\nmin_votes = 2\nmin_vote = 3\n"),
             Catch::Contains("bad.toml:3: unknown key 'policy.min_vote'"));
  CHECK_THAT(error_of("[polcy]\n"), Catch::Contains("bad.toml:1: unknown key 'polcy'"));
  CHECK_THAT(error_of("\n[policy]\nmin_votes = \"two\"\n"),
             Catch::Contains("bad.toml:3: 'policy.min_votes' must be an integer"));
  CHECK_THAT(error_of("[whitelist]\nfiles = \"a.txt\"\n"),
             Catch::Contains("bad.toml:2: 'whitelist.files' must be an array"));
  CHECK_THAT(error_of("policy = 3\n"), Catch::Contains("'policy' must be a table"));
  CHECK_THAT(error_of("[policy]\nmin_share = 0.5\n"), Catch::Contains("min_share must be above 0.5"));
  CHECK_THAT(error_of("[feeds]\nmalicious_name = \"../x\"\n"), Catch::Contains("feeds.malicious_name"));
  CHECK_THAT(error_of("[feeds]\ntitle = \"a\\nb\"\n"), Catch::Contains("feeds.title must be one line"));
  // What Unicode-aware readers take as a line break, and what reorders a
  // terminal's text: NEL, the line and paragraph separators, bidi overrides.
  for (const char* hidden : {"\\u0085", "\\u2028", "\\u2029", "\\u202e", "\\u2066"}) {
    CHECK_THAT(error_of(fmt::format("[feeds]\nterms = \"a{}address=/google.com/\"\n", hidden)),
               Catch::Contains("feeds.terms must be one line"));
  }
  // Links on the index page and in every header: web addresses only.
  CHECK_THAT(error_of("[feeds]\nhomepage = \"javascript:alert(1)\"\n"),
             Catch::Contains("feeds.homepage must be an http:// or https:// URL"));
  CHECK_THAT(error_of("[feeds]\nlicence_url = \"javascript:alert(2)\"\n"),
             Catch::Contains("feeds.licence_url must be an http:// or https:// URL"));
  CHECK_THAT(error_of("[feeds]\npublic_url = \"ftp://feeds.example.net/\"\n"),
             Catch::Contains("feeds.public_url must be an http:// or https:// URL"));
  CHECK_THAT(error_of("[history]\nretention_days = 0\n"), Catch::Contains("history.retention_days must be at least 1"));
  CHECK_THAT(error_of("[feeds]\nby_hash_keep_hours = 0\n"),
             Catch::Contains("feeds.by_hash_keep_hours must be at least 1"));
  CHECK_THAT(error_of("[metrics]\ntextfile = 3\n"), Catch::Contains("bad.toml:2: 'metrics.textfile'"));
  CHECK_THAT(error_of("[feeds]\ngzip = \"medium\"\n"),
             Catch::Contains("bad.toml:2: 'feeds.gzip' must be true, false, \"fast\" or \"small\""));
  CHECK_THAT(error_of("[feeds]\n\ngzip = 9\n"), Catch::Contains("bad.toml:3: 'feeds.gzip'"));
  CHECK_THAT(error_of("[policy\n"), Catch::Contains("bad.toml:1:"));
  CHECK_THROWS_WITH(load_checked_config(dir / "missing.toml"), Catch::Contains("missing.toml: no such file"));
}

TEST_CASE("the feed set: six feeds by default, [[feeds.set]] replaces them, each feed checked") {
  TempDir dir;
  auto load = [&](std::string_view text) {
    write_text(dir / "c.toml", text);
    return load_checked_config(dir / "c.toml");
  };
  auto error_of = [&](std::string_view text) {
    try {
      load(text);
    } catch (const UsageError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  std::vector<FeedSpec> defaults = feed_set(load("[feeds]\nmalicious_name = \"bad\"\nformats = [\"txt\"]\n").feeds);
  REQUIRE(defaults.size() == 6);
  CHECK(defaults[0].name == "bad");
  CHECK(defaults[0].formats == std::vector<std::string>{"txt"});
  CHECK(defaults[2].name == "malicious-ips");
  CHECK(defaults[2].group == IndicatorGroup::kIp);
  CHECK(defaults[5].name == "non-malicious-hashes");
  CHECK(defaults[5].verdict == Verdict::kNonMalicious);
  CHECK(defaults[5].formats == std::vector<std::string>{"txt", "csv", "json", "zeek", "clamav"});

  Config three = load(
      "[[feeds.set]]\nname = \"domains\"\ntype = \"domain\"\nverdict = \"malicious\"\nformats = [\"txt\"]\n"
      "[[feeds.set]]\nname = \"ips\"\ntype = \"ip\"\nverdict = \"malicious\"\n"
      "[[feeds.set]]\nname = \"hashes\"\ntype = \"hash\"\nverdict = \"malicious\"\n");
  std::vector<FeedSpec> set = feed_set(three.feeds);
  REQUIRE(set.size() == 3);
  CHECK(set[1].formats == std::vector<std::string>{"txt", "csv", "json", "zeek", "ipset", "nft", "rpz"});

  const char* feed = "[[feeds.set]]\nname = \"{}\"\ntype = \"{}\"\nverdict = \"malicious\"\nformats = [{}]\n";
  auto one = [&](const char* name, const char* type, const char* formats) {
    return fmt::format(fmt::runtime(feed), name, type, formats);
  };
  CHECK_THAT(error_of(one("x", "url", "\"txt\"")),
             Catch::Contains("c.toml:3: type must be \"domain\", \"ip\" or \"hash\""));
  CHECK_THAT(error_of(one("x", "ip", "\"txt\", \"hosts\"")),
             Catch::Contains("feed \"x\": the format \"hosts\" cannot hold ip indicators"));
  CHECK_THAT(error_of(one("x", "hash", "\"txt\", \"nope\"")), Catch::Contains("unknown format \"nope\""));
  CHECK_THAT(error_of(one("x", "ip", "\"nft\"")), Catch::Contains("its formats must include \"txt\""));
  CHECK_THAT(error_of(one("../x", "ip", "\"txt\"")), Catch::Contains("must be a file name"));
  CHECK_THAT(error_of(one("a-very-long-feed-name-for-ipset", "ip", "\"txt\", \"ipset\"")),
             Catch::Contains("too long for an ipset set name"));
  CHECK_THAT(error_of(one("x", "ip", "\"txt\"") + one("x", "hash", "\"txt\"")),
             Catch::Contains("the feed name \"x\" is used twice"));
  CHECK_THAT(error_of(one("bad-ips", "ip", "\"txt\", \"nft\"") + one("bad_ips", "ip", "\"txt\", \"nft\"")),
             Catch::Contains("would share the nft set bad_ips_v4"));
  CHECK_THAT(error_of("[guards]\nextra_canaries = [\"10.0.0.1\"]\n"),
             Catch::Contains("guards.extra_canaries: \"10.0.0.1\" is private"));
  CHECK_THAT(error_of("[[whitelist.sources]]\nname = \"a\"\nkind = \"trusted\"\nlocation = \"a\"\ntype = \"url\"\n"),
             Catch::Contains("type must be \"auto\", \"domain\", \"ip\" or \"hash\""));
}
