// The votes stores' shared behaviour, run against each backend: SQLite
// always, and PostgreSQL when CROWDFEED_TEST_POSTGRESQL is set (the
// end-to-end test test_postgresql runs these against a server of its own,
// reached through libpq's environment). Each case starts from an empty
// store.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "temp_dir.h"
#include "util/error.h"
#include "votes/postgres_store.h"
#include "votes/sqlite_store.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;

namespace {

TimePoint at(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

// One backend: how to open its store, and how a site would write to its
// votes table directly.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<VoteStore>()> open;
  std::function<void(const std::string&)> sql;
};

void postgres_sql(const std::string& sql) {
  std::unique_ptr<PGconn, PostgresVoteStore::ConnectionCloser> connection(PQconnectdb(""));
  REQUIRE(PQstatus(connection.get()) == CONNECTION_OK);
  PostgresVoteStore::Result result(PQexec(connection.get(), sql.c_str()));
  INFO(PQresultErrorMessage(result.get()));
  REQUIRE((PQresultStatus(result.get()) == PGRES_COMMAND_OK || PQresultStatus(result.get()) == PGRES_TUPLES_OK));
}

std::vector<Backend> backends(const TempDir& dir) {
  std::vector<Backend> found;
  const std::string path = (dir / "votes.db").string();
  found.push_back({"sqlite",
                   [path] { return std::make_unique<SqliteVoteStore>(SqliteVoteStore::open_for_writing(path, 5000)); },
                   [path](const std::string& sql) {
                     SQLite::Database database(path, SQLite::OPEN_READWRITE);
                     database.exec("PRAGMA recursive_triggers = ON");
                     database.exec(sql);
                   }});
  if (std::getenv("CROWDFEED_TEST_POSTGRESQL") != nullptr) {
    postgres_sql("SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    found.push_back({"postgresql",
                     [] {
                       return std::make_unique<PostgresVoteStore>(PostgresVoteStore::open_for_writing({"", 10, 600}));
                     },
                     postgres_sql});
  }
  return found;
}

std::vector<Tally> tallies_of(VoteStore& store, TimePoint since, TimePoint until, const Trust& trust, bool kept) {
  std::vector<Tally> tallies;
  auto collect = [&](const Tally& tally) { tallies.push_back(tally); };
  if (kept) {
    store.for_each_kept_tally(since, until, trust, collect);
  } else {
    store.for_each_tally(since, until, trust, collect);
  }
  return tallies;
}

std::string describe(const std::vector<Tally>& tallies) {
  std::string text;
  for (const Tally& tally : tallies) {
    text +=
        fmt::format("{} {} {}/{} +{}/+{} -{} {}..{}\n", tally.indicator, type_name(tally.type), tally.malicious_votes,
                    tally.non_malicious_votes, tally.malicious_extra_weight, tally.non_malicious_extra_weight,
                    tally.uncounted_votes, tally.first_vote_at ? tally.first_vote_at->time_since_epoch().count() : -1,
                    tally.last_vote_at.time_since_epoch().count());
  }
  return text;
}

}  // namespace

TEST_CASE("every backend: a voter's later vote replaces the earlier one, an older one does not", "[backends]") {
  TempDir dir;
  for (const Backend& backend : backends(dir)) {
    INFO(backend.name);
    auto store = backend.open();
    CHECK(store->add({"example.com", Verdict::kMalicious, "alice", at(100)}));
    CHECK(store->add({"example.com", Verdict::kNonMalicious, "alice", at(200)}));
    CHECK_FALSE(store->add({"example.com", Verdict::kMalicious, "alice", at(150)}));
    CHECK_FALSE(store->add({"example.com", Verdict::kNonMalicious, "alice", at(200)}));
    CHECK(store->add({"example.com", Verdict::kMalicious, "bob", at(300)}));
    CHECK(store->add({"198.51.100.7", Verdict::kMalicious, "bob", at(300), IndicatorType::kIpv4}));
    auto tallies = tallies_of(*store, TimePoint::min(), at(1000), {}, false);
    CHECK(describe(tallies) == "198.51.100.7 ipv4 1/0 +0/+0 -0 300..300\nexample.com domain 1/1 +0/+0 -0 200..300\n");
    CHECK(store->count_votes() == 3);
    CHECK(store->count_votes_after(at(250), at(1000)).next_hour == 2);
    CHECK(store->count_votes_after(at(250), at(250)).future == 2);
    auto one = store->tally("example.com", TimePoint::min(), at(1000), {});
    REQUIRE(one);
    CHECK(one->non_malicious_votes == 1);
    CHECK_FALSE(store->tally("absent.example", TimePoint::min(), at(1000), {}));
    CHECK(store->votes_on("example.com").size() == 2);
  }
}

TEST_CASE("every backend: a bulk import is all or nothing and stands as votes added one by one", "[backends]") {
  TempDir dir;
  std::mt19937 random(7);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  // Votes with repeats: a voter on an indicator several times, at the same
  // second or not, in any order.
  std::vector<Vote> votes;
  for (int i = 0; i < 3000; ++i) {
    votes.push_back({fmt::format("d{}.example", pick(40)), pick(2) == 0 ? Verdict::kMalicious : Verdict::kNonMalicious,
                     fmt::format("voter\t{}\\", pick(30)), at(1000 + pick(50))});
  }
  std::string expected;
  {
    TempDir one_by_one;
    auto store = std::make_unique<SqliteVoteStore>(SqliteVoteStore::open_for_writing(one_by_one / "v.db", 5000));
    for (const Vote& vote : votes) store->add(vote);
    expected = describe(tallies_of(*store, TimePoint::min(), at(5000), {}, false));
  }
  for (const Backend& backend : backends(dir)) {
    INFO(backend.name);
    auto store = backend.open();
    // Rolled back, by a false body and by an exception: nothing stays.
    CHECK_FALSE(store
                    ->bulk_write_transaction([&] {
                      for (const Vote& vote : votes) store->add(vote);
                      return false;
                    })
                    .committed);
    CHECK_THROWS_AS(store->bulk_write_transaction([&]() -> bool {
      store->add(votes[0]);
      throw Error("a bad row");
    }),
                    Error);
    CHECK(store->count_votes() == 0);
    auto written = store->bulk_write_transaction([&] {
      for (const Vote& vote : votes) store->add(vote);
      return true;
    });
    CHECK(written.committed);
    CHECK(written.applied > 0);
    store->start_run(TimePoint::min());
    CHECK(describe(tallies_of(*store, TimePoint::min(), at(5000), {}, true)) == expected);
    CHECK(describe(tallies_of(*store, TimePoint::min(), at(5000), {}, false)) == expected);
    std::int64_t differing = -1;
    CHECK(store->compare_with_recount(5, differing).empty());
    CHECK(differing == 0);
    // Every vote comes back, voters with tabs and backslashes as written.
    std::int64_t seen = 0;
    store->for_each_vote([&](const Vote& vote) {
      ++seen;
      CHECK(vote.voter.find('\t') == 5);
    });
    CHECK(seen == store->count_votes());
  }
}

TEST_CASE("every backend: kept tallies match a count of the votes through votes, deletions, imports and runs",
          "[backends]") {
  TempDir dir;
  for (const Backend& backend : backends(dir)) {
    INFO(backend.name);
    auto store = backend.open();
    std::mt19937 random(1129);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    const std::array<IndicatorType, 3> kinds = {IndicatorType::kDomain, IndicatorType::kIpv4, IndicatorType::kMd5};
    auto indicator = [&](int j) {
      switch (kinds[static_cast<std::size_t>(j % 3)]) {
        case IndicatorType::kIpv4:
          return fmt::format("198.51.100.{}", j);
        case IndicatorType::kMd5:
          return fmt::format("{:032x}", j + 1);
        default:
          return fmt::format("d{}.example", j);
      }
    };
    std::int64_t hour = 500 * 3600;
    int runs = 0;
    for (int step = 0; step < 300; ++step) {
      int j = pick(12);
      switch (pick(6)) {
        case 0:
        case 1:
          store->add({indicator(j), pick(2) == 0 ? Verdict::kMalicious : Verdict::kNonMalicious,
                      fmt::format("v{}", pick(6)), at(hour - 40 * 3600 + pick(44 * 3600)), kinds[j % 3]});
          break;
        case 2:
          backend.sql(fmt::format("DELETE FROM votes WHERE indicator = '{}' AND voter = 'v{}'", indicator(j), pick(6)));
          break;
        case 3: {
          bool commit = pick(3) != 0;
          store->bulk_write_transaction([&] {
            for (int n = pick(5); n >= 0; --n) {
              int k = pick(12);
              store->add({indicator(k), pick(2) == 0 ? Verdict::kMalicious : Verdict::kNonMalicious,
                          fmt::format("v{}", pick(6)), at(hour - 40 * 3600 + pick(44 * 3600)), kinds[k % 3]});
            }
            return commit;
          });
          break;
        }
        default: {
          hour += 3600 * pick(3);
          std::int64_t max_age_hours = pick(4) == 0 ? 0 : 1 + pick(40);
          TimePoint since = max_age_hours == 0 ? TimePoint::min() : at(hour - max_age_hours * 3600);
          store->start_run(since);
          INFO("step " << step);
          REQUIRE(describe(tallies_of(*store, since, at(hour), {}, true)) ==
                  describe(tallies_of(*store, since, at(hour), {}, false)));
          std::int64_t differing = -1;
          REQUIRE(store->compare_with_recount(5, differing).empty());
          ++runs;
        }
      }
    }
    CHECK(runs > 50);
  }
}

TEST_CASE("every backend: the trust policy weighs the same votes the same way", "[backends]") {
  TempDir dir;
  std::vector<std::string> results;
  for (const Backend& backend : backends(dir)) {
    INFO(backend.name);
    auto store = backend.open();
    const std::int64_t hour = 2000 * 3600;
    store->add_voter({"old", "voter", std::string(64, 'a'), at(hour - 30 * 86400), std::nullopt});
    store->add_voter({"boss", "trusted", std::string(64, 'b'), at(hour - 30 * 86400), std::nullopt});
    store->add_voter({"new", "voter", std::string(64, 'c'), at(hour - 3600), std::nullopt});
    store->add_voter({"gone", "voter", std::string(64, 'd'), at(hour - 30 * 86400), std::nullopt});
    store->note_anonymous_voter("anonymous:01", at(hour - 7200));
    store->note_anonymous_voter("anonymous:01", at(hour - 100 * 86400));  // first seen stays
    CHECK(store->revoke_voter("gone", at(hour - 60)));
    CHECK_FALSE(store->revoke_voter("gone", at(hour - 30)));
    CHECK_THROWS_AS(store->add_voter({"old", "voter", std::string(64, 'e'), at(hour), std::nullopt}), Error);
    CHECK(store->voters().size() == 4);
    CHECK(store->anonymous_voters() == 1);
    for (const char* voter : {"old", "boss", "new", "gone", "anonymous:01", "site"}) {
      store->add({"x.example", Verdict::kMalicious, voter, at(hour - 600)});
    }
    store->add({"y.example", Verdict::kNonMalicious, "boss", at(hour - 600)});
    store->start_run(TimePoint::min());
    const Trust trust{std::chrono::days(1), 4};
    std::string kept = describe(tallies_of(*store, TimePoint::min(), at(hour), trust, true));
    CHECK(kept == describe(tallies_of(*store, TimePoint::min(), at(hour), trust, false)));
    // x: old, boss (4), site count; new and anonymous:01 are in probation,
    // gone is revoked.
    CHECK(kept == "x.example domain 3/0 +3/+0 -3 " + std::to_string(hour - 600) + ".." + std::to_string(hour - 600) +
                      "\ny.example domain 0/1 +0/+3 -0 " + std::to_string(hour - 600) + ".." +
                      std::to_string(hour - 600) + "\n");
    auto one = store->tally("x.example", TimePoint::min(), at(hour), trust);
    REQUIRE(one);
    CHECK(one->uncounted_votes == 3);
    CHECK(one->malicious_extra_weight == 3);
    // Probation over a day later; a change between the two hour slots.
    std::int64_t generation = store->start_run(TimePoint::min());
    CHECK_FALSE(store->changed_since(generation, at(hour), at(hour), trust));
    CHECK(store->changed_since(generation, at(hour), at(hour + 86400), trust));
    CHECK_FALSE(store->changed_since(generation, at(hour), at(hour + 86400), {}));
    results.push_back(kept);
  }
}
