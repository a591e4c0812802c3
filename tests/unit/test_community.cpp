// Disputes in the SQLite store, the allow-list they make, and one
// indicator's account as the pages give it.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "cli/settings.h"
#include "community/account.h"
#include "community/allow_list.h"
#include "community/published.h"
#include "community/stix_collections.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/publish.h"
#include "feeds/settings.h"
#include "policy/confidence.h"
#include "temp_dir.h"
#include "util/error.h"
#include "votes/sqlite_store.h"
#include "whitelist/load.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;

namespace {

TimePoint at(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

Dispute dispute_of(std::string indicator, DisputeKind kind = DisputeKind::kFalsePositive,
                   std::string filer = "anonymous:00") {
  Dispute dispute;
  dispute.indicator = std::move(indicator);
  dispute.kind = kind;
  dispute.reason = "it is our site";
  dispute.contact = "ops@example.org";
  dispute.filed_by = std::move(filer);
  dispute.filed_at = at(1000);
  return dispute;
}

}  // namespace

TEST_CASE("a dispute is filed, capped per indicator, decided once, and logged") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  auto first = store.file_dispute(dispute_of("shop.example.com"), 2);
  // One open dispute a filer per indicator.
  CHECK_FALSE(store.file_dispute(dispute_of("shop.example.com"), 2));
  auto second = store.file_dispute(dispute_of("shop.example.com", DisputeKind::kFalsePositive, "b"), 2);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(*second == *first + 1);
  // A third open dispute of the same indicator is refused; another indicator's is not.
  CHECK_FALSE(store.file_dispute(dispute_of("shop.example.com", DisputeKind::kFalsePositive, "c"), 2));
  CHECK(store.file_dispute(dispute_of("other.example.com"), 2));

  REQUIRE(store.decide_dispute({*first, false, "mod", "not convinced", at(2000), std::nullopt}));
  // Decided already: nothing changes.
  CHECK_FALSE(store.decide_dispute({*first, true, "mod", "changed my mind", at(2100), std::nullopt}));
  CHECK(store.dispute(*first)->status == DisputeStatus::kRejected);
  CHECK(store.dispute(*first)->note == "not convinced");
  CHECK(store.allowed(at(3000)).empty());
  // One open dispute again: a new one may be filed.
  CHECK(store.file_dispute(dispute_of("shop.example.com", DisputeKind::kFalsePositive, "c"), 2));

  REQUIRE(store.decide_dispute({*second, true, "mod", "verified", at(2200), at(5000)}));
  auto allowed = store.allowed(at(3000));
  REQUIRE(allowed.size() == 1);
  CHECK(allowed[0].indicator == "shop.example.com");
  CHECK(allowed[0].dispute == *second);
  CHECK(allowed[0].added_by == "mod");
  // The entry expires, and did not exist before it was added.
  CHECK(store.allowed(at(5000)).empty());
  CHECK(store.allowed(at(2100)).empty());

  store.mark_corrected(*second, "202612070100", at(4000));
  store.mark_corrected(*second, "202612070200", at(4600));  // the first correction stands
  CHECK(store.dispute(*second)->corrected_version == "202612070100");

  DisputeCounts counts = store.dispute_counts();
  CHECK(counts.filed == 4);
  CHECK(counts.open == 2);
  CHECK(counts.accepted == 1);
  CHECK(counts.rejected == 1);
  CHECK(counts.seconds_to_correction == std::vector<std::int64_t>{3000});
  CHECK(counts.seconds_to_correction_at(0.5) == 3000);
  DisputeCounts spread;
  spread.seconds_to_correction = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  CHECK(spread.seconds_to_correction_at(0.5) == 50);
  CHECK(spread.seconds_to_correction_at(0.9) == 90);
  CHECK(DisputeCounts{}.seconds_to_correction_at(0.9) == 0);

  std::vector<std::string> actions;
  for (const AuditEvent& event : store.audit_log(0, 100)) actions.push_back(event.action);
  CHECK(actions == std::vector<std::string>{"filed", "filed", "filed", "rejected", "filed", "accepted", "corrected"});
  CHECK(store.audit_log(6, 100).size() == 1);
  CHECK(store.disputes({DisputeStatus::kOpen, "", 10}).size() == 2);
  CHECK(store.disputes({std::nullopt, "shop.example.com", 10}).size() == 3);
}

TEST_CASE("the audit log is append-only, whoever writes the database") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  REQUIRE(store.file_dispute(dispute_of("shop.example.com"), 3));
  SQLite::Database raw((dir / "votes.db").string(), SQLite::OPEN_READWRITE);
  CHECK_THROWS(raw.exec("UPDATE audit_log SET actor = 'someone else'"));
  CHECK_THROWS(raw.exec("DELETE FROM audit_log"));
  CHECK(store.audit_log(0, 10).size() == 1);
}

TEST_CASE("accepting a false negative records the moderator's malicious vote") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  store.add_voter({"mod", "moderator", std::string(64, 'a'), at(0), std::nullopt});
  auto id = store.file_dispute(dispute_of("phish.example.net", DisputeKind::kFalseNegative), 3);
  REQUIRE(id);
  REQUIRE(store.decide_dispute({*id, true, "mod", "a phishing kit", at(2000), std::nullopt}));
  auto votes = store.votes_on("phish.example.net");
  REQUIRE(votes.size() == 1);
  // Accepting a false negative ends the indicator's own allow-list entry.
  auto positive = store.file_dispute(dispute_of("flip.example.net"), 3);
  REQUIRE(store.decide_dispute({*positive, true, "mod", "looked clean", at(2000), std::nullopt}));
  CHECK(store.allowed(at(2500)).size() == 1);
  auto negative = store.file_dispute(dispute_of("flip.example.net", DisputeKind::kFalseNegative), 3);
  REQUIRE(store.decide_dispute({*negative, true, "mod", "now serving malware", at(2600), std::nullopt}));
  CHECK(store.allowed(at(2700)).empty());
  CHECK(votes[0].vote.voter == "mod");
  CHECK(votes[0].vote.verdict == Verdict::kMalicious);
  CHECK(store.allowed(at(3000)).empty());
  // A moderator weighs as a trusted voter.
  CHECK(standing({std::chrono::seconds(0), 3}, *votes[0].voter, at(3000)).weight == 3);
}

TEST_CASE("a dispute is corrected when the feeds stop, or start, blocking its indicator") {
  Dispute dispute = dispute_of("shop.example.com");
  CHECK_FALSE(corrected_by(dispute, false));  // open: nothing to correct yet
  dispute.status = DisputeStatus::kAccepted;
  CHECK(corrected_by(dispute, false));
  CHECK_FALSE(corrected_by(dispute, true));
  dispute.kind = DisputeKind::kFalseNegative;
  CHECK(corrected_by(dispute, true));
  // A domain is blocked through its nearest listed parent.
  std::set<std::string, std::less<>> listed{"example.com", "other.example"};
  auto in = [&](std::string_view name) { return listed.contains(name); };
  CHECK(listed_parent("a.b.example.com", in) == "example.com");
  CHECK_FALSE(listed_parent("example.com", in));  // itself is not its parent
  CHECK_FALSE(listed_parent("badexample.com", in));
}

TEST_CASE("a dispute's text: UTF-8 without control characters, bounded") {
  CHECK(check_dispute_text("listed by mistake\nsee our page", "ops@example.org").empty());
  CHECK(check_dispute_text("אתר שלנו \u202e reversed", "").empty());  // shown as text, isolated
  CHECK_FALSE(check_dispute_text("", "").empty());
  CHECK_FALSE(check_dispute_text("  \n", "").empty());
  CHECK_FALSE(check_dispute_text(std::string(kMaxDisputeText + 1, 'x'), "").empty());
  CHECK_FALSE(check_dispute_text("bad \xff byte", "").empty());
  CHECK_FALSE(check_dispute_text("a bell \a", "").empty());
  CHECK_FALSE(check_dispute_text("fine", "two\nlines").empty());
  CHECK(check_dispute_text("", "", "note") == "note is missing: say why");
  CHECK_FALSE(check_dispute_text("fine", std::string(kMaxContact + 1, 'c')).empty());
}

TEST_CASE("the allow-list covers a domain and its subdomains, an address or a hash exactly") {
  std::vector<AllowEntry> entries{{"192.0.2.7", IndicatorType::kIpv4, 3, "m", at(0), "", std::nullopt},
                                  {"example.com", IndicatorType::kDomain, 1, "m", at(0), "", std::nullopt}};
  std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.indicator < b.indicator; });
  CHECK(covering_entry(entries, "example.com", IndicatorType::kDomain)->dispute == 1);
  CHECK(covering_entry(entries, "www.example.com", IndicatorType::kDomain)->dispute == 1);
  CHECK_FALSE(covering_entry(entries, "badexample.com", IndicatorType::kDomain));
  CHECK(covering_entry(entries, "192.0.2.7", IndicatorType::kIpv4)->dispute == 3);
  CHECK_FALSE(covering_entry(entries, "192.0.2.8", IndicatorType::kIpv4));

  // As a whitelist source: trusted, so one entry is enough.
  WhitelistSettings settings;
  FetchedWhitelist fetched;
  add_allow_list(entries, settings, fetched);
  REQUIRE(settings.sources.size() == 1);
  CHECK(settings.sources[0].name == kAllowListSource);
  LoadedWhitelist loaded = parse_whitelist(settings, std::move(fetched));
  CHECK(loaded.whitelist.match("shop.example.com", IndicatorType::kDomain));
  CHECK(loaded.whitelist.match("192.0.2.7", IndicatorType::kIpv4));
  CHECK_FALSE(loaded.whitelist.match("192.0.2.8", IndicatorType::kIpv4));
  // An empty allow-list adds no source, and so changes no digest.
  WhitelistSettings untouched;
  FetchedWhitelist none;
  add_allow_list({}, untouched, none);
  CHECK(untouched.sources.empty());
}

TEST_CASE("confidence grows with agreement and turnout and fades with age") {
  Policy policy{2, 0.75, 0};
  Tally tally;
  tally.malicious_votes = 2;
  tally.last_vote_at = at(0);
  // Unanimous, min_votes voters, a fresh vote: 100 x 1 x 1/2 x 1.
  CHECK(confidence(policy, tally, Verdict::kMalicious, at(0)) == 50);
  tally.malicious_votes = 8;
  CHECK(confidence(policy, tally, Verdict::kMalicious, at(0)) == 94);
  // 30 days later it halves.
  CHECK(confidence(policy, tally, Verdict::kMalicious, at(30 * 86400)) == 47);
  // An even split gives nothing; the other side's view of 8 to 0 neither.
  tally.non_malicious_votes = 8;
  CHECK(confidence(policy, tally, Verdict::kMalicious, at(0)) == 0);
  tally.non_malicious_votes = 0;
  CHECK(confidence(policy, tally, Verdict::kNonMalicious, at(0)) == 0);
  // Trusted weight counts in the share.
  tally.malicious_votes = 3;
  tally.non_malicious_votes = 1;
  int plain = confidence(policy, tally, Verdict::kMalicious, at(0));
  tally.malicious_extra_weight = 4;
  CHECK(confidence(policy, tally, Verdict::kMalicious, at(0)) > plain);
  CHECK(confidence(policy, Tally{}, Verdict::kMalicious, at(0)) == 0);
}

TEST_CASE("an indicator's account says where the next run lists it, and why not") {
  TempDir dir;
  VotesSettings votes;
  votes.database = dir / "votes.db";
  const Policy policy{2, 0.75, 0};
  {
    auto store = SqliteVoteStore::open_for_writing(votes.database, 1000);
    for (const char* voter : {"a", "b", "c"}) {
      store.add({"bad.example.com", Verdict::kMalicious, voter, at(1000), IndicatorType::kDomain});
      store.add({"shop.example.org", Verdict::kMalicious, voter, at(1000), IndicatorType::kDomain});
    }
    store.add({"lonely.example.net", Verdict::kMalicious, "a", at(1000), IndicatorType::kDomain});
    auto id = store.file_dispute(dispute_of("shop.example.org"), 3);
    REQUIRE(store.decide_dispute({*id, true, "mod", "verified", at(1500), std::nullopt}));
  }
  FeedSettings feeds;
  const std::vector<FeedSpec> set = feed_set(feeds);
  Whitelist whitelist;
  FeedBuilder placer(policy, whitelist, set, at(3600));
  PublishedFeeds published;
  std::vector<AllowEntry> allowed = SqliteVoteStore::open_for_reading(votes.database, 1000).allowed(at(2000));
  AccountSources sources{votes, policy, nullptr, placer, published, allowed};
  auto account = [&](const char* value) { return account_of(sources, normalise_indicator(value), at(2000)); };

  IndicatorAccount bad = account("bad.example.com");
  CHECK(bad.next_feeds == std::vector<std::string>{"malicious-domains"});
  CHECK(bad.why == "listed in malicious-domains");
  CHECK(bad.confidence == 65);
  CHECK(bad.voters.size() == 3);
  std::int64_t counted = 0;
  for (const DayOfVotes& day : bad.days) counted += day.counted;
  CHECK(counted == 3);

  IndicatorAccount shop = account("shop.example.org");
  CHECK(shop.next_feeds.empty());
  REQUIRE(shop.allowed_by);
  CHECK(shop.why.find("allow-list of accepted dispute 1") != std::string::npos);
  REQUIRE(shop.disputes.size() == 1);
  CHECK(shop.disputes[0].status == DisputeStatus::kAccepted);

  IndicatorAccount lonely = account("lonely.example.net");
  CHECK(lonely.next_feeds.empty());
  CHECK(lonely.why.starts_with("not listed: "));
  CHECK(lonely.why.find("min_votes 2") != std::string::npos);

  IndicatorAccount none = account("never.example.net");
  CHECK(none.why == "not listed: no votes counted");
  CHECK_FALSE(none.tally);
}

TEST_CASE("the TAXII collections are the published STIX bundles, and never a copy the manifest does not list") {
  TempDir dir;
  Config config;
  config.feeds_dir = dir / "feeds";
  config.feeds.formats = {"txt", "stix"};
  config.feeds.set = {{"malicious-domains", IndicatorGroup::kDomain, Verdict::kMalicious, {"txt", "stix"}}};
  FeedSet feeds;
  feeds.feeds = {{"malicious-domains", Verdict::kMalicious, {}}};
  for (const char* domain : {"a.example.com", "b.example.com"}) {
    feeds.feeds[0].entries.push_back({domain, 2, 0, {}, *parse_time("2026-11-27T20:00:00Z")});
  }
  CHECK(StixCollections::load(config.feeds_dir, config.feeds)->collections().empty());  // nothing published yet
  publish_feeds(publish_settings(config), feeds, *parse_time("2026-11-27T21:00:00Z"));
  auto snapshot = StixCollections::load(config.feeds_dir, config.feeds);
  REQUIRE(snapshot->collections().size() == 1);
  const StixCollection& collection = snapshot->collections()[0];
  // Three fixed objects and two indicators, by date_added then id, each
  // read back as the JSON object published.
  REQUIRE(collection.objects.size() == 5);
  CHECK(collection.objects.back().type == "indicator");
  CHECK(std::is_sorted(collection.objects.begin(), collection.objects.end(), [](const auto& a, const auto& b) {
    return std::tie(a.date_added, a.id) < std::tie(b.date_added, b.id);
  }));
  auto object = nlohmann::json::parse(snapshot->read(collection.objects.back()));
  CHECK(object["id"] == collection.objects.back().id);
  CHECK(snapshot->find(collection.id) == &collection);

  // A by-hash copy cut short is not what the manifest lists: refused.
  auto manifest = read_manifest(config.feeds_dir / "manifest.json");
  auto copy = config.feeds_dir / by_hash_name(manifest->find("malicious-domains.stix.json")->sha256);
  std::string whole = testing::read_text(copy);
  std::filesystem::remove(copy);  // a hard link: the feed file keeps its bytes
  testing::write_text(copy, whole.substr(0, whole.size() / 2));
  CHECK_THROWS_AS(StixCollections::load(config.feeds_dir, config.feeds), Error);
  // A damaged manifest is an error too (the server keeps its last snapshot).
  testing::write_text(config.feeds_dir / "manifest.json", "{not a manifest");
  CHECK_THROWS_AS(StixCollections::load(config.feeds_dir, config.feeds), Error);
}
