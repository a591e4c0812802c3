#include <catch2/catch.hpp>

#include "feeds/build.h"

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
  FeedBuilder builder(Policy{2, 0.75, 0}, whitelist, settings);
  builder.add(tally("zeta.example.net", 5, 0));
  builder.add(tally("alpha.example.net", 2, 0));
  builder.add(tally("cdn.example.com", 9, 0));  // whitelisted parent
  builder.add(tally("badexample.com", 3, 0));   // not a subdomain of example.com
  builder.add(tally("undecided.example.net", 2, 2));
  builder.add(tally("fine.example.org", 0, 2));
  builder.add(tally("example.com", 0, 3));  // whitelisting never touches the non-malicious feed
  FeedSet feeds = std::move(builder).finish();

  std::vector<std::string> malicious, non_malicious;
  for (const auto& entry : feeds.malicious.entries) malicious.push_back(entry.domain);
  for (const auto& entry : feeds.non_malicious.entries) non_malicious.push_back(entry.domain);
  CHECK(malicious == std::vector<std::string>{"alpha.example.net", "badexample.com", "zeta.example.net"});
  CHECK(non_malicious == std::vector<std::string>{"example.com", "fine.example.org"});
  REQUIRE(feeds.excluded.size() == 1);
  CHECK(feeds.excluded[0].entry.domain == "cdn.example.com");
  CHECK(feeds.excluded[0].entry.malicious_votes == 9);
  CHECK(feeds.excluded[0].listing.entry == "example.com");
  CHECK(feeds.excluded[0].rule == "trusted: popular.txt");
  CHECK(feeds.malicious.name == "malicious-domains");
  CHECK(feeds.malicious.entries[2].malicious_votes == 5);
}
