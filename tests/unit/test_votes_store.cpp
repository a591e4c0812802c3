#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <vector>

#include "temp_dir.h"
#include "util/error.h"
#include "votes/sqlite_store.h"
#include "votes/tally_query.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;

namespace {

TimePoint at(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

std::vector<Tally> all_tallies(VoteStore& store, TimePoint since = TimePoint::min(), TimePoint until = at(1LL << 40)) {
  std::vector<Tally> tallies;
  store.for_each_tally(since, until, {}, [&](const Tally& tally) { tallies.push_back(tally); });
  return tallies;
}

}  // namespace

TEST_CASE("one vote per voter per domain: a later vote replaces the earlier one") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  CHECK(store.add({"example.com", Verdict::kMalicious, "alice", at(100)}));
  CHECK(store.add({"example.com", Verdict::kNonMalicious, "alice", at(200)}));
  // An older vote arriving late does not undo the newer one.
  CHECK_FALSE(store.add({"example.com", Verdict::kMalicious, "alice", at(150)}));
  CHECK(store.add({"example.com", Verdict::kMalicious, "bob", at(300)}));

  auto tallies = all_tallies(store);
  REQUIRE(tallies.size() == 1);
  CHECK(tallies[0].malicious_votes == 1);
  CHECK(tallies[0].non_malicious_votes == 1);
  CHECK(tallies[0].first_vote_at == at(200));
  CHECK(tallies[0].last_vote_at == at(300));
}

TEST_CASE("tallies come in indicator order and count only the window's votes") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  store.add({"b.example.com", Verdict::kMalicious, "v1", at(100)});
  store.add({"a.example.com", Verdict::kMalicious, "v1", at(100)});
  store.add({"a.example.com", Verdict::kMalicious, "v2", at(500)});
  store.add({"c.example.com", Verdict::kMalicious, "v1", at(900)});  // after the window: the future

  auto tallies = all_tallies(store, at(200), at(800));
  REQUIRE(tallies.size() == 1);
  CHECK(tallies[0].indicator == "a.example.com");
  CHECK(tallies[0].malicious_votes == 1);
  CHECK(store.count_votes_after(at(800), at(800)).future == 1);
  CHECK(store.count_votes_after(at(800), at(800)).next_hour == 0);
  CHECK(store.count_votes_after(at(400), at(800)).next_hour == 1);  // the vote at 500
  CHECK(store.count_votes_after(at(400), at(950)).future == 0);
  CHECK(store.count_votes_after(at(400), at(950)).next_hour == 2);

  auto everything = all_tallies(store);
  REQUIRE(everything.size() == 3);
  CHECK(everything[0].indicator == "a.example.com");
  CHECK(everything[2].indicator == "c.example.com");
}

TEST_CASE("max_age_days sets the window's start, and 0 counts every vote") {
  Policy policy;
  policy.max_age_days = 10;
  auto window = tally_window(policy, at(100 * 86400));
  CHECK(window.since == at(90 * 86400));
  CHECK(window.until == at(100 * 86400));
  policy.max_age_days = 0;
  CHECK(tally_window(policy, at(100)).since == TimePoint::min());
}

TEST_CASE("the store uses WAL and records its schema version") {
  TempDir dir;
  { SqliteVoteStore::open_for_writing(dir / "votes.db", 1000); }
  SQLite::Database database((dir / "votes.db").string());
  CHECK(database.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(database.execAndGet("PRAGMA user_version").getInt() == SqliteVoteStore::kSchemaVersion);
  // Reopening an up-to-date store changes nothing.
  { SqliteVoteStore::open_for_writing(dir / "votes.db", 1000); }
  CHECK(database.execAndGet("PRAGMA user_version").getInt() == SqliteVoteStore::kSchemaVersion);
}

TEST_CASE("the voters with a token are read through an index, however many anonymous voters there are") {
  TempDir dir;
  {
    auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
    store.add_voter({"alice", "voter", std::string(64, 'a'), at(1000), std::nullopt});
    for (int i = 0; i < 200; ++i) store.note_anonymous_voter(fmt::format("anonymous:{:032x}", i), at(2000 + i));
    store.add_voter({"bob", "trusted", std::string(64, 'b'), at(3000), std::nullopt});
    auto voters = store.voters();
    REQUIRE(voters.size() == 2);
    CHECK(voters[0].name == "alice");
    CHECK(voters[1].name == "bob");
    CHECK(store.voters(true).size() == 202);
  }
  // The vote server reads these every second: never by a scan of the table.
  SQLite::Database database((dir / "votes.db").string());
  std::string plan;
  SQLite::Statement explain(database,
                            "EXPLAIN QUERY PLAN SELECT name, role, token_sha256, created_at, revoked_at FROM voters "
                            "WHERE token_sha256 IS NOT NULL ORDER BY name");
  while (explain.executeStep()) plan += explain.getColumn(3).getString() + "\n";
  CHECK_THAT(plan, Catch::Contains("voters_with_token"));
}

TEST_CASE("reading a missing, foreign, newer or corrupt database is an error naming it") {
  TempDir dir;
  CHECK_THROWS_WITH(SqliteVoteStore::open_for_reading(dir / "missing.db", 1000),
                    Catch::Contains("missing.db does not exist"));
  CHECK_FALSE(std::filesystem::exists(dir / "missing.db"));

  testing::write_text(dir / "corrupt.db", std::string(4096, 'x'));
  CHECK_THROWS_WITH(SqliteVoteStore::open_for_reading(dir / "corrupt.db", 1000), Catch::Contains("corrupt.db"));
  CHECK_THROWS_AS(SqliteVoteStore::open_for_writing(dir / "corrupt.db", 1000), Error);
  CHECK(testing::read_text(dir / "corrupt.db") == std::string(4096, 'x'));

  {
    SQLite::Database foreign((dir / "foreign.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    foreign.exec("CREATE TABLE t (x)");
  }
  CHECK_THROWS_WITH(SqliteVoteStore::open_for_reading(dir / "foreign.db", 1000), Catch::Contains("schema version 0"));

  {
    SqliteVoteStore::open_for_writing(dir / "newer.db", 1000);
    SQLite::Database newer((dir / "newer.db").string(), SQLite::OPEN_READWRITE);
    newer.exec("PRAGMA user_version = 99");
  }
  CHECK_THROWS_WITH(SqliteVoteStore::open_for_writing(dir / "newer.db", 1000), Catch::Contains("newer than"));
}

TEST_CASE("a reader's snapshot does not see votes written while it reads") {
  TempDir dir;
  auto writer = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  for (int i = 0; i < 50; ++i) writer.add({fmt::format("d{}.example.com", i), Verdict::kMalicious, "v", at(100)});
  auto reader = SqliteVoteStore::open_for_reading(dir / "votes.db", 1000);
  int seen = 0;
  reader.for_each_tally(TimePoint::min(), at(1000), {}, [&](const Tally&) {
    if (seen++ == 0) {
      // Another connection commits while the read is in progress: WAL lets it.
      writer.add({"zzz.example.com", Verdict::kMalicious, "v", at(100)});
    }
  });
  CHECK(seen == 50);
  CHECK(all_tallies(reader).size() == 51);
}

TEST_CASE("an external tally query reads a site's own table, normalising its indicators") {
  TempDir dir;
  {
    SQLite::Database site((dir / "site.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    site.exec("CREATE TABLE reports (host TEXT, bad INTEGER, good INTEGER, seen TEXT)");
    site.exec(
        "INSERT INTO reports VALUES ('Evil.Example.COM', 3, 0, '2026-11-01T00:00:00Z'),"
        "('evil.example.com.', 1, 0, '2026-11-02T00:00:00Z'), ('not a domain', 5, 0, '2026-11-01'),"
        "('good.example.org', 0, 4, '1790000000')");
  }
  VotesSettings votes;
  votes.tally_database = dir / "site.db";
  votes.tally_query = "SELECT host, bad, good, seen FROM reports WHERE :now > :since";
  std::vector<Tally> tallies;
  auto stats = read_tallies(votes, Policy{}, {TimePoint::min(), at(1LL << 40), at(1LL << 40)},
                            [&](const Tally& t) { tallies.push_back(t); });
  CHECK(stats.invalid_indicators == 1);
  REQUIRE(tallies.size() == 2);
  CHECK(tallies[0].indicator == "evil.example.com");
  CHECK(tallies[0].malicious_votes == 4);  // both spellings merged
  CHECK(tallies[0].last_vote_at == *parse_time("2026-11-02"));
  CHECK(tallies[1].indicator == "good.example.org");
  CHECK(tallies[1].non_malicious_votes == 4);

  votes.tally_query = "SELECT host FROM reports";
  CHECK_THROWS_WITH(read_tallies(votes, Policy{}, {}, [](const Tally&) {}), Catch::Contains("returns 1 columns"));
}

TEST_CASE("a tally carries its indicator's type, from the store and from a query's type column") {
  TempDir dir;
  {
    auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
    store.add({"8.8.4.4", Verdict::kMalicious, "a", at(100), IndicatorType::kIpv4});
    store.add({"evil.example.com", Verdict::kMalicious, "a", at(100)});
    store.add({"0123456789abcdef0123456789abcdef", Verdict::kNonMalicious, "a", at(100), IndicatorType::kMd5});
    auto tallies = all_tallies(store);
    REQUIRE(tallies.size() == 3);
    CHECK(tallies[0].type == IndicatorType::kMd5);
    CHECK(tallies[1].type == IndicatorType::kIpv4);
    CHECK(tallies[2].type == IndicatorType::kDomain);
  }
  {
    SQLite::Database site((dir / "site.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    site.exec("CREATE TABLE reports (value TEXT, kind TEXT, bad INTEGER)");
    site.exec(
        "INSERT INTO reports VALUES ('8.8.4.4', 'ipv4', 2), ('9.9.9.9', NULL, 2), ('example.com', 'ipv4', 2),"
        "('example.org', 'domain', 2), ('1.1.1.1', 'url', 2)");
  }
  VotesSettings votes;
  votes.tally_database = dir / "site.db";
  votes.tally_query = "SELECT value, bad, 0, 1790000000, kind FROM reports";
  std::vector<Tally> tallies;
  auto stats = read_tallies(votes, Policy{}, {TimePoint::min(), at(1LL << 40), at(1LL << 40)},
                            [&](const Tally& t) { tallies.push_back(t); });
  CHECK(stats.invalid_indicators == 2);  // example.com is no IPv4 address; "url" is no type
  REQUIRE(tallies.size() == 3);
  CHECK(tallies[0].indicator == "8.8.4.4");
  CHECK(tallies[0].type == IndicatorType::kIpv4);
  CHECK(tallies[1].indicator == "9.9.9.9");  // NULL: told from its shape
  CHECK(tallies[1].type == IndicatorType::kIpv4);
  CHECK(tallies[2].type == IndicatorType::kDomain);

  // Without a type column, every indicator is a domain.
  votes.tally_query = "SELECT value, bad, 0, 1790000000 FROM reports";
  tallies.clear();
  stats = read_tallies(votes, Policy{}, {TimePoint::min(), at(1LL << 40), at(1LL << 40)},
                       [&](const Tally& t) { tallies.push_back(t); });
  REQUIRE(tallies.size() == 2);
  CHECK(tallies[0].indicator == "example.com");
  CHECK(tallies[1].indicator == "example.org");
}

namespace {

bool same_tallies(const std::vector<Tally>& kept, const std::vector<Tally>& counted, std::string& difference) {
  for (std::size_t i = 0; i < std::max(kept.size(), counted.size()); ++i) {
    const Tally* a = i < kept.size() ? &kept[i] : nullptr;
    const Tally* b = i < counted.size() ? &counted[i] : nullptr;
    if (a && b && a->indicator == b->indicator && a->malicious_votes == b->malicious_votes &&
        a->non_malicious_votes == b->non_malicious_votes && a->first_vote_at == b->first_vote_at &&
        a->last_vote_at == b->last_vote_at && a->type == b->type &&
        a->malicious_extra_weight == b->malicious_extra_weight &&
        a->non_malicious_extra_weight == b->non_malicious_extra_weight && a->uncounted_votes == b->uncounted_votes) {
      continue;
    }
    auto describe = [](const Tally* tally) {
      return tally ? fmt::format("{} {}/{} +{}/+{} -{} {}..{}", tally->indicator, tally->malicious_votes,
                                 tally->non_malicious_votes, tally->malicious_extra_weight,
                                 tally->non_malicious_extra_weight, tally->uncounted_votes,
                                 tally->first_vote_at->time_since_epoch().count(),
                                 tally->last_vote_at.time_since_epoch().count())
                   : std::string("nothing");
    };
    difference = fmt::format("at {}: kept {}, counted {}", i, describe(a), describe(b));
    return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the kept tallies equal a recount after any sequence of votes, changes, deletions and windows") {
  // Thousands of random steps on a few indicators and voters, so that
  // votes collide, change, vanish and age out often. Votes are written by
  // crowdfeed and, as a site would, straight into the table (plain INSERT,
  // UPDATE, DELETE, INSERT OR REPLACE). After every run step the kept
  // tallies, corrected for the hour, must equal a GROUP BY of the votes.
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  SQLite::Database site((dir / "votes.db").string(), SQLite::OPEN_READWRITE);
  site.exec("PRAGMA recursive_triggers = ON");  // a site that writes with REPLACE turns them on
  std::mt19937_64 random(GENERATE(1, 2, 3));
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); };
  const char* types[] = {"domain", "ipv4", "md5"};
  const IndicatorType kinds[] = {IndicatorType::kDomain, IndicatorType::kIpv4, IndicatorType::kMd5};
  auto indicator = [&](int i) {
    return i % 3 == 0   ? fmt::format("d{}.example.com", i)
           : i % 3 == 1 ? fmt::format("45.0.0.{}", i)
                        : fmt::format("{:032x}", i + 1);
  };
  std::int64_t hour = 1000 * 3600;
  int runs = 0;
  for (int step = 0; step < 3000; ++step) {
    int i = pick(12);
    std::string value = indicator(i);
    std::string voter = fmt::format("v{}", pick(6));
    std::int64_t cast = hour - 40 * 3600 + pick(44 * 3600);  // some in the future of the hour
    int verdict = pick(2);
    switch (pick(9)) {
      case 0:
      case 1:
        store.add({value, verdict == 0 ? Verdict::kMalicious : Verdict::kNonMalicious, voter, at(cast), kinds[i % 3]});
        break;
      case 2:
      case 3: {
        SQLite::Statement insert(site, fmt::format("INSERT OR {} INTO votes (indicator, voter, verdict, cast_at, type) "
                                                   "VALUES (?, ?, ?, ?, ?)",
                                                   pick(2) == 0 ? "IGNORE" : "REPLACE"));
        insert.bind(1, value), insert.bind(2, voter), insert.bind(3, verdict), insert.bind(4, cast);
        insert.bind(5, types[i % 3]);
        insert.exec();
        break;
      }
      case 4: {
        // A site may change any column, the type and the indicator too.
        SQLite::Statement update(site,
                                 "UPDATE OR IGNORE votes SET verdict = ?, cast_at = ?, type = ?, indicator = ? "
                                 "WHERE indicator = ? AND voter = ?");
        update.bind(1, verdict), update.bind(2, cast), update.bind(3, types[pick(4) == 0 ? pick(3) : i % 3]);
        update.bind(4, pick(4) == 0 ? indicator(pick(12)) : value), update.bind(5, value), update.bind(6, voter);
        update.exec();
        break;
      }
      case 5: {
        SQLite::Statement remove(site, "DELETE FROM votes WHERE indicator = ? AND (voter = ? OR ? = 0)");
        remove.bind(1, value), remove.bind(2, voter), remove.bind(3, pick(4));
        remove.exec();
        break;
      }
      case 6: {
        // A bulk import, committed or rolled back: the triggers are set
        // aside and come back either way.
        bool commit = pick(3) != 0;
        store.bulk_write_transaction([&] {
          for (int n = pick(5); n >= 0; --n) {
            int j = pick(12);
            store.add({indicator(j), pick(2) == 0 ? Verdict::kMalicious : Verdict::kNonMalicious,
                       fmt::format("v{}", pick(6)), at(hour - 40 * 3600 + pick(44 * 3600)), kinds[j % 3]});
          }
          return commit;
        });
        break;
      }
      default: {
        // A run: an hour may pass, or several; the window may be any length,
        // shorter or longer than the last run's.
        hour += 3600 * pick(3);
        std::int64_t max_age_hours = pick(4) == 0 ? 0 : 1 + pick(40);
        TimePoint since = max_age_hours == 0 ? TimePoint::min() : at(hour - max_age_hours * 3600);
        store.start_run(since);
        std::vector<Tally> kept, counted;
        store.for_each_kept_tally(since, at(hour), {}, [&](const Tally& tally) { kept.push_back(tally); });
        store.for_each_tally(since, at(hour), {}, [&](const Tally& tally) { counted.push_back(tally); });
        std::string difference;
        INFO("step " << step);
        REQUIRE(same_tallies(kept, counted, difference));
        std::int64_t differing = -1;
        REQUIRE(store.compare_with_recount(5, differing).empty());
        REQUIRE(differing == 0);
        ++runs;
      }
    }
  }
  CHECK(runs > 500);
  // No tally is left without votes.
  CHECK(site.execAndGet("SELECT COUNT(*) FROM tallies WHERE malicious + non_malicious = 0").getInt() == 0);
  CHECK(site.execAndGet("SELECT COUNT(*) FROM tallies").getInt() > 0);
}

TEST_CASE("what changed since a run is known without reading the tallies") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  const std::int64_t hour = 1000 * 3600;
  store.add({"a.example.com", Verdict::kMalicious, "v1", at(hour - 7200)});
  std::int64_t first = store.start_run(at(hour - 10 * 3600));
  CHECK_FALSE(store.changed_since(first, at(hour), at(hour), {}));
  // A vote in the current hour changes a tally, but not the window's...
  store.add({"a.example.com", Verdict::kMalicious, "v2", at(hour + 60)});
  CHECK(store.changed_since(first, at(hour), at(hour), {}));
  std::int64_t second = store.start_run(at(hour - 10 * 3600));
  CHECK(second > first);
  CHECK_FALSE(store.changed_since(second, at(hour), at(hour), {}));
  // ...until the next hour counts it.
  CHECK(store.changed_since(second, at(hour), at(hour + 3600), {}));
  // Votes aging out of the window change it.
  std::int64_t third = store.start_run(at(hour - 3600));
  CHECK(store.changed_since(second, at(hour), at(hour), {}));
  CHECK_FALSE(store.changed_since(third, at(hour), at(hour), {}));
  // A recount stamps nothing new, and matches.
  CHECK(store.recount() == 1);
  std::int64_t differing = -1;
  CHECK(store.compare_with_recount(5, differing).empty());
  CHECK(differing == 0);
}

TEST_CASE("a run whose horizon another configuration moved counts the votes") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  const std::int64_t hour = 1000 * 3600;
  store.add({"old.example.com", Verdict::kMalicious, "v1", at(hour - 20 * 3600)});
  store.add({"new.example.com", Verdict::kMalicious, "v1", at(hour - 3600)});
  store.start_run(at(hour - 48 * 3600));  // this configuration: 48 hours
  store.start_run(at(hour - 2 * 3600));   // another one's run meanwhile: 2 hours
  std::vector<Tally> kept, counted;
  store.for_each_kept_tally(at(hour - 48 * 3600), at(hour), {}, [&](const Tally& tally) { kept.push_back(tally); });
  store.for_each_tally(at(hour - 48 * 3600), at(hour), {}, [&](const Tally& tally) { counted.push_back(tally); });
  std::string difference;
  CHECK(kept.size() == 2);
  CHECK(same_tallies(kept, counted, difference));
}

TEST_CASE("voters in probation or revoked are not counted, trusted voters weigh more: against a brute force") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  std::mt19937 random(20261129);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const std::int64_t hour = 2000 * 3600;
  // Twelve voters of the API, of every standing at `hour`, and voters the
  // voters table does not know (operator imports), which count once.
  std::map<std::string, Voter> known;
  for (int i = 0; i < 12; ++i) {
    Voter voter{fmt::format("api{}", i), i % 3 == 0 ? "trusted" : (i % 3 == 1 ? "voter" : "anonymous"),
                i % 3 == 2 ? "" : fmt::format("{:064x}", i), at(hour - pick(10) * 86400 - pick(86400)), std::nullopt};
    if (i % 4 == 3) voter.revoked_at = at(hour - 3600 + pick(7200));  // before or after the hour slot
    if (voter.role == "anonymous") {
      store.note_anonymous_voter(voter.name, voter.created_at);
      store.note_anonymous_voter(voter.name, voter.created_at + std::chrono::hours(1));  // first seen stays
    } else {
      store.add_voter(voter);
    }
    if (voter.revoked_at) REQUIRE(store.revoke_voter(voter.name, *voter.revoked_at));
    known.emplace(voter.name, voter);
  }
  CHECK(store.voters().size() == 8);
  CHECK(store.voters(true).size() == 12);
  CHECK(store.anonymous_voters() == 4);
  const std::vector<std::string> values = {"a.example.com", "b.example.com", "c.example.com", "d.example.com"};
  for (int i = 0; i < 200; ++i) {
    std::string voter = pick(3) == 0 ? fmt::format("site{}", pick(5)) : fmt::format("api{}", pick(12));
    store.add({values[static_cast<std::size_t>(pick(4))], pick(2) == 0 ? Verdict::kMalicious : Verdict::kNonMalicious,
               voter, at(hour - pick(12 * 86400))});
  }
  for (std::int64_t probation_days : {0, 1, 3, 30}) {
    for (std::int64_t weight : {1, 2, 5}) {
      const Trust trust{std::chrono::days(probation_days), weight};
      const TimePoint since = at(hour - 11 * 86400);
      // The brute force: every vote, its voter's standing, summed.
      std::map<std::string, Tally> expected;
      SQLite::Database raw((dir / "votes.db").string());
      SQLite::Statement votes(raw, "SELECT indicator, verdict, voter, cast_at FROM votes");
      while (votes.executeStep()) {
        std::int64_t cast_at = votes.getColumn(3).getInt64();
        if (cast_at < hour - 11 * 86400 || cast_at > hour) continue;
        Tally& tally = expected[votes.getColumn(0).getString()];
        tally.indicator = votes.getColumn(0).getString();
        auto voter = known.find(votes.getColumn(2).getString());
        std::int64_t counted = voter == known.end() ? 1 : standing(trust, voter->second, at(hour)).weight;
        bool malicious = votes.getColumn(1).getInt() == 0;
        if (counted == 0) {
          ++tally.uncounted_votes;
        } else {
          ++(malicious ? tally.malicious_votes : tally.non_malicious_votes);
          (malicious ? tally.malicious_extra_weight : tally.non_malicious_extra_weight) += counted - 1;
        }
      }
      store.start_run(since);
      std::vector<Tally> kept, counted;
      store.for_each_kept_tally(since, at(hour), trust, [&](const Tally& tally) { kept.push_back(tally); });
      store.for_each_tally(since, at(hour), trust, [&](const Tally& tally) { counted.push_back(tally); });
      std::string difference;
      INFO("probation " << probation_days << " days, trusted weight " << weight);
      REQUIRE(same_tallies(kept, counted, difference));
      REQUIRE(counted.size() == expected.size());
      for (const Tally& tally : counted) {
        const Tally& want = expected.at(tally.indicator);
        INFO(tally.indicator);
        CHECK(tally.malicious_votes == want.malicious_votes);
        CHECK(tally.non_malicious_votes == want.non_malicious_votes);
        CHECK(tally.malicious_extra_weight == want.malicious_extra_weight);
        CHECK(tally.non_malicious_extra_weight == want.non_malicious_extra_weight);
        CHECK(tally.uncounted_votes == want.uncounted_votes);
        auto one = store.tally(tally.indicator, since, at(hour), trust);
        REQUIRE(one);
        CHECK(one->malicious_votes == want.malicious_votes);
        CHECK(one->malicious_extra_weight == want.malicious_extra_weight);
        CHECK(one->uncounted_votes == want.uncounted_votes);
      }
    }
  }
}

TEST_CASE("a voter leaving probation or revoked between two runs changes what they count") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  const std::int64_t hour = 1000 * 3600;
  const Trust trust{std::chrono::days(1), 1};
  store.add_voter({"new", "voter", std::string(64, 'a'), at(hour - 86400 + 1800), std::nullopt});
  store.add({"a.example.com", Verdict::kMalicious, "new", at(hour - 600)});
  std::int64_t first = store.start_run(TimePoint::min());
  CHECK_FALSE(store.changed_since(first, at(hour), at(hour), trust));
  // The next hour: no vote, but the voter's probation ended at hour + 1800.
  CHECK(store.changed_since(first, at(hour), at(hour + 3600), trust));
  // Without probation nothing changed.
  CHECK_FALSE(store.changed_since(first, at(hour), at(hour + 3600), {}));
  // Revoking a voter changes the tallies at once.
  CHECK(store.revoke_voter("new", at(hour + 100)));
  CHECK(store.changed_since(first, at(hour), at(hour), trust));
  std::int64_t second = store.start_run(TimePoint::min());
  CHECK_FALSE(store.changed_since(second, at(hour), at(hour), {}));
  // The revocation falls between the two slots.
  CHECK(store.changed_since(second, at(hour), at(hour + 3600), {}));
}

TEST_CASE("a schema 4 database keeps its voters through migration 5") {
  TempDir dir;
  // A database as release 4's schema left it: the voters table of
  // migration 4 in place of migration 5's.
  {
    auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
    SQLite::Database raw((dir / "votes.db").string(), SQLite::OPEN_READWRITE);
    raw.exec(R"sql(
      DROP TRIGGER voters_insert_changed; DROP TRIGGER voters_update_changed; DROP TRIGGER voters_delete_changed;
      DROP TRIGGER votes_update_voter;
      DROP TABLE voters;
      DROP TABLE disputes; DROP TABLE allowed; DROP TABLE audit_log;
      INSERT INTO votes VALUES ('a.example.com', 'anonymous:0a0b', 0, 500, 'domain'),
                               ('b.example.com', 'anonymous:0a0b', 0, 450, 'domain');
      CREATE TABLE voters (name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role = 'voter' OR role = 'trusted'),
                           token_sha256 TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, revoked_at INTEGER);
      INSERT INTO voters VALUES ('alice', 'trusted', 'abc', 100, NULL), ('bob', 'voter', 'def', 200, 300);
      PRAGMA user_version = 4;
    )sql");
  }
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  auto voters = store.voters();
  REQUIRE(voters.size() == 2);
  CHECK(voters[0].name == "alice");
  CHECK(voters[0].role == "trusted");
  CHECK(voters[1].revoked_at == at(300));
  // The anonymous voter of an earlier release's votes, first seen at its
  // first vote, so that probation and revocation apply to it.
  auto all = store.voters(true);
  REQUIRE(all.size() == 3);
  CHECK(all[1].name == "anonymous:0a0b");
  CHECK(all[1].created_at == at(450));
  store.note_anonymous_voter("anonymous:00ff", at(400));
  CHECK(store.anonymous_voters() == 2);
  // A named voter without a token, or an anonymous one with one, is refused.
  SQLite::Database raw((dir / "votes.db").string(), SQLite::OPEN_READWRITE);
  CHECK_THROWS(raw.exec("INSERT INTO voters VALUES ('carol', 'voter', NULL, 1, NULL)"));
  CHECK_THROWS(raw.exec("INSERT INTO voters VALUES ('anonymous:1', 'anonymous', 'x', 1, NULL)"));
}
