#include <catch2/catch.hpp>

#include "feeds/build.h"
#include "feeds/settings.h"

using namespace crowdfeed;

namespace {

Tally tally(std::string domain, std::int64_t malicious, std::int64_t non_malicious) {
  return Tally{std::move(domain), malicious, non_malicious, std::nullopt, TimePoint{}};
}

}  // namespace

TEST_CASE("tallies become two sorted feeds and the whitelist keeps good domains out of the malicious one") {
  Whitelist whitelist({{"popular.txt", true}});
  whitelist.add("example.com", 0);
  FeedSettings settings;
  FeedBuilder builder(Policy{2, 0.75, 0}, whitelist, feed_set(settings), TimePoint{});
  builder.add(tally("zeta.example.net", 5, 0));
  builder.add(tally("alpha.example.net", 2, 0));
  builder.add(tally("cdn.example.com", 9, 0));  // whitelisted parent
  builder.add(tally("badexample.com", 3, 0));   // not a subdomain of example.com
  builder.add(tally("undecided.example.net", 2, 2));
  builder.add(tally("fine.example.org", 0, 2));
  builder.add(tally("example.com", 0, 3));  // whitelisting never touches the non-malicious feed
  FeedSet feeds = std::move(builder).finish();

  std::vector<std::string> malicious, non_malicious;
  REQUIRE(feeds.feeds.size() == 6);
  for (const auto& entry : feeds.feeds[0].entries) malicious.push_back(entry.value);
  for (const auto& entry : feeds.feeds[1].entries) non_malicious.push_back(entry.value);
  CHECK(malicious == std::vector<std::string>{"alpha.example.net", "badexample.com", "zeta.example.net"});
  CHECK(non_malicious == std::vector<std::string>{"example.com", "fine.example.org"});
  REQUIRE(feeds.excluded.size() == 1);
  CHECK(feeds.excluded[0].entry.value == "cdn.example.com");
  CHECK(feeds.excluded[0].entry.malicious_votes == 9);
  CHECK(feeds.excluded[0].listing.entry == "example.com");
  CHECK(feeds.excluded[0].rule == "trusted: popular.txt");
  CHECK(feeds.feeds[0].name == "malicious-domains");
  CHECK(feeds.feeds[0].entries[2].malicious_votes == 5);
  for (std::size_t i = 2; i < 6; ++i) CHECK(feeds.feeds[i].entries.empty());
}

TEST_CASE("each indicator goes to every feed of its type group and verdict, and the whitelist only to domains") {
  Whitelist whitelist({{"popular.txt", true}});
  whitelist.add("example.com", 0);
  std::vector<FeedSpec> set = {
      {"ips", IndicatorGroup::kIp, Verdict::kMalicious, {"txt"}},
      {"bad", IndicatorGroup::kDomain, Verdict::kMalicious, {"txt"}},
      {"also-ips", IndicatorGroup::kIp, Verdict::kMalicious, {"txt"}},
      {"good-hashes", IndicatorGroup::kHash, Verdict::kNonMalicious, {"txt"}},
  };
  FeedBuilder builder(Policy{2, 0.75, 0}, whitelist, set, TimePoint{});
  auto add = [&](std::string value, IndicatorType type, std::int64_t malicious, std::int64_t non_malicious) {
    builder.add(Tally{std::move(value), malicious, non_malicious, std::nullopt, TimePoint{}, type});
  };
  add("9.9.9.10", IndicatorType::kIpv4, 3, 0);
  add("2001:4860::1", IndicatorType::kIpv6, 3, 0);
  add("evil.example.net", IndicatorType::kDomain, 3, 0);
  add("www.example.com", IndicatorType::kDomain, 3, 0);  // whitelisted
  add("0123456789abcdef0123456789abcdef", IndicatorType::kMd5, 0, 3);
  add("0123456789abcdef0123456789abcdef01234567", IndicatorType::kSha1, 3, 0);  // no malicious hash feed
  add("8.8.4.4", IndicatorType::kIpv4, 0, 3);                                   // no non-malicious IP feed
  FeedSet feeds = std::move(builder).finish();
  REQUIRE(feeds.feeds.size() == 4);
  auto values = [](const Feed& feed) {
    std::vector<std::string> out;
    for (const auto& entry : feed.entries) out.push_back(entry.value);
    return out;
  };
  CHECK(values(feeds.feeds[0]) == std::vector<std::string>{"2001:4860::1", "9.9.9.10"});
  CHECK(feeds.feeds[0].entries[0].type == IndicatorType::kIpv6);
  CHECK(values(feeds.feeds[1]) == std::vector<std::string>{"evil.example.net"});
  CHECK(values(feeds.feeds[2]) == values(feeds.feeds[0]));
  CHECK(values(feeds.feeds[3]) == std::vector<std::string>{"0123456789abcdef0123456789abcdef"});
  CHECK(feeds.feeds[3].group == IndicatorGroup::kHash);
  REQUIRE(feeds.excluded.size() == 1);
  CHECK(feeds.excluded[0].entry.value == "www.example.com");
  CHECK(feeds.find("good-hashes") == &feeds.feeds[3]);
  CHECK(feeds.find("missing") == nullptr);
}
