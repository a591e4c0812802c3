#include "votes/sqlite_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <limits>

#include "util/error.h"
#include "util/text.h"
#include "votes/recount.h"
#include "votes/sqlite_rows.h"
#include "votes/weighing.h"
#include "votes_migrations.h"

namespace crowdfeed {
namespace {

using namespace sqlite_rows;

namespace fs = std::filesystem;

// Schema migrations: entry N-1 upgrades user_version N-1 to N. A new release
// appends an entry and bumps kSchemaVersion; existing entries never change.
// How a row of votes joins a tally: the conflict clause of an INSERT into
// tallies of (indicator, type, malicious, non_malicious, first_cast_at,
// last_cast_at, generation).
constexpr const char* kJoinTally = R"sql(
        ON CONFLICT (indicator) DO UPDATE SET
          type = MIN(type, excluded.type),
          malicious = malicious + excluded.malicious,
          non_malicious = non_malicious + excluded.non_malicious,
          first_cast_at = MIN(IFNULL(first_cast_at, excluded.first_cast_at), excluded.first_cast_at),
          last_cast_at = MAX(IFNULL(last_cast_at, excluded.last_cast_at), excluded.last_cast_at),
          generation = excluded.generation)sql";

// A trigger body: the vote NEW joins its tally.
constexpr const char* kCountNew = R"sql(
        INSERT INTO tallies VALUES (NEW.indicator, NEW.type, NEW.verdict = 0, NEW.verdict = 1, NEW.cast_at,
                                    NEW.cast_at, (SELECT generation FROM tally_state)))sql";

// After kCountNew and its conflict clause: the database changed.
constexpr const char* kMarkChanged = R"sql(
        UPDATE tally_state SET changed = generation;)sql";

// A trigger body: the vote OLD leaves its tally; an edge time or the type
// it held is found again from the indicator's votes (through the primary
// key: `+` keeps SQLite from scanning votes_by_cast_at instead), and a
// tally left without votes goes.
constexpr const char* kUncountOld = R"sql(
        UPDATE tallies SET
          malicious = malicious - (OLD.verdict = 0),
          non_malicious = non_malicious - (OLD.verdict = 1),
          first_cast_at = CASE WHEN OLD.cast_at > first_cast_at THEN first_cast_at ELSE
            (SELECT MIN(cast_at + 0) FROM votes WHERE indicator = OLD.indicator
               AND +cast_at >= (SELECT horizon FROM tally_state)) END,
          last_cast_at = CASE WHEN OLD.cast_at < last_cast_at THEN last_cast_at ELSE
            (SELECT MAX(cast_at + 0) FROM votes WHERE indicator = OLD.indicator
               AND +cast_at >= (SELECT horizon FROM tally_state)) END,
          type = CASE WHEN OLD.type > type THEN type ELSE IFNULL(
            (SELECT MIN(type) FROM votes WHERE indicator = OLD.indicator
               AND +cast_at >= (SELECT horizon FROM tally_state)), type) END,
          generation = (SELECT generation FROM tally_state)
        WHERE indicator = OLD.indicator;
        DELETE FROM tallies WHERE indicator = OLD.indicator AND malicious = 0 AND non_malicious = 0;
        UPDATE tally_state SET changed = generation;)sql";

// The schema's migrations, one a version (src/votes/migrations/sqlite/NNN.sql,
// embedded at build time by cmake/embed_sql.cmake), entry N-1 with the
// trigger bodies above filled in ({count_new}, {uncount_old},
// {mark_changed}): the SQL files use no braces of their own. Existing
// files never change.
constexpr const auto& kMigrations = kSqliteMigrations;
static_assert(kMigrations.size() == SqliteVoteStore::kSchemaVersion, "one migration a schema version");

// One type per indicator (see migration 2), so MIN(type) is that type.
constexpr const char* kTallyColumns =
    "SELECT indicator, SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at), MIN(type) FROM votes ";

Tally tally_from_row(SQLite::Statement& row) {
  Tally tally;
  tally.indicator = row.getColumn(0).getString();
  tally.malicious_votes = row.getColumn(1).getInt64();
  tally.non_malicious_votes = row.getColumn(2).getInt64();
  tally.first_vote_at = time_from(row.getColumn(3).getInt64());
  tally.last_vote_at = time_from(row.getColumn(4).getInt64());
  // The CHECK constraint keeps the column to the known names.
  tally.type = parse_indicator_type(row.getColumn(5).getString()).value_or(IndicatorType::kDomain);
  return tally;
}

int schema_version(SQLite::Database& database) {
  return database.execAndGet("PRAGMA user_version").getInt();
}

// Every indicator's tally of the votes cast in [since, until], counted from
// the votes, in indicator order, within the caller's transaction.
void count_tallies(SQLite::Database& database, TimePoint since, TimePoint until,
                   const std::function<void(Tally&)>& visit) {
  SQLite::Statement query(database, fmt::format("{} WHERE cast_at BETWEEN ?1 AND ?2 "
                                                "GROUP BY indicator ORDER BY indicator",
                                                kTallyColumns));
  query.bind(1, seconds(since));
  query.bind(2, seconds(until));
  while (query.executeStep()) {
    Tally tally = tally_from_row(query);
    visit(tally);
  }
}

// A row an INSERT OR REPLACE deletes fires the delete trigger, which keeps
// its vote out of the tallies, only with recursive triggers on. A website
// writing with REPLACE must turn them on for its own connection too.
void enable_replace_triggers(SQLite::Database& database) {
  database.exec("PRAGMA recursive_triggers = ON");
}

// The window's start as stored: TimePoint::min() (no max_age_days) is the
// lowest integer, which every vote's time passes.
std::int64_t horizon_of(TimePoint since) {
  return since == TimePoint::min() ? std::numeric_limits<std::int64_t>::min() : seconds(since);
}

// The votes cast in [from, to), per indicator, into temp.moved.
void collect_moved_votes(SQLite::Database& database, std::int64_t from, std::int64_t to) {
  database.exec(R"sql(
    CREATE TEMP TABLE IF NOT EXISTS moved (
      indicator TEXT PRIMARY KEY, type TEXT, malicious INTEGER, non_malicious INTEGER,
      first_cast_at INTEGER, last_cast_at INTEGER) WITHOUT ROWID;
    DELETE FROM temp.moved;
  )sql");
  SQLite::Statement collect(database, R"sql(
    INSERT INTO temp.moved
      SELECT indicator, MIN(type), SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at)
      FROM votes WHERE cast_at >= ?1 AND cast_at < ?2 GROUP BY indicator
  )sql");
  collect.bind(1, from);
  collect.bind(2, to);
  collect.exec();
}

// The voter in the columns name, role, token_sha256, created_at, revoked_at
// from `first` on.
Voter voter_from_row(SQLite::Statement& row, int first = 0) {
  Voter voter{row.getColumn(first).getString(), row.getColumn(first + 1).getString(),
              row.getColumn(first + 2).getString(), time_from(row.getColumn(first + 3).getInt64()), std::nullopt};
  if (!row.getColumn(first + 4).isNull()) voter.revoked_at = time_from(row.getColumn(first + 4).getInt64());
  return voter;
}

constexpr const char* kVoterColumns = "SELECT name, role, token_sha256, created_at, revoked_at FROM voters ";

// The votes of `indicator` in [since, until] whose voter weighs otherwise
// than one at `until`: its votes joined to their voters, if known.
constexpr const char* kWeighOne = R"sql(
    SELECT verdict, name, role, token_sha256, created_at, revoked_at FROM votes JOIN voters ON voters.name = votes.voter
    WHERE indicator = ?1 AND +cast_at BETWEEN ?2 AND ?3
  )sql";

// `query` is kWeighOne, prepared.
std::vector<Weighing> weigh_one(SQLite::Statement& query, const std::string& indicator, TimePoint since,
                                TimePoint until, const Trust& trust) {
  query.bind(1, indicator);
  query.bind(2, seconds(since));
  query.bind(3, seconds(until));
  std::vector<std::pair<int, Voter>> votes;
  while (query.executeStep()) votes.emplace_back(query.getColumn(0).getInt(), voter_from_row(query, 1));
  return weigh_indicator(indicator, votes, trust, until);
}

// The votes in [since, until] whose voter weighs otherwise than one at
// `until`, per indicator, in indicator order, within the caller's
// transaction. The voters that may (revoked, recent enough to be in
// probation, trusted) are few; `standing` decides, and temp.weighed holds
// those that do, for one pass over the votes.
std::vector<Weighing> weigh(SQLite::Database& database, TimePoint since, TimePoint until, const Trust& trust) {
  database.exec(
      "CREATE TEMP TABLE IF NOT EXISTS weighed (voter TEXT PRIMARY KEY, weight INTEGER) WITHOUT ROWID;"
      "DELETE FROM temp.weighed");
  // Three indexed lookups, not one scan of a voters table that anonymous
  // voters may fill.
  SQLite::Statement candidates(database, fmt::format("{0}WHERE created_at > ?1 UNION {0}WHERE revoked_at IS NOT NULL "
                                                     "UNION {0}WHERE role IN ('trusted', 'moderator')",
                                                     kVoterColumns));
  candidates.bind(1, seconds(until - trust.probation));
  SQLite::Statement insert(database, "INSERT INTO temp.weighed VALUES (?1, ?2)");
  bool any = false;
  while (candidates.executeStep()) {
    Voter voter = voter_from_row(candidates);
    std::optional<std::int64_t> weight = unusual_weight(voter, trust, until);
    if (!weight) continue;
    insert.reset();
    insert.bind(1, voter.name);
    insert.bind(2, *weight);
    insert.exec();
    any = true;
  }
  std::vector<Weighing> weighings;
  if (!any) return weighings;
  // One pass over the votes in key order, which is already indicator order
  // (CROSS JOIN keeps SQLite from looping over the voters and scanning the
  // votes for each; `+` from going through votes_by_cast_at, a lookup per
  // vote and a sort). An index of the votes by voter would make this pass
  // shorter but every import about 1.6 times slower.
  constexpr const char* kSums = R"sql(
      SELECT votes.indicator,
             SUM(verdict = 0), SUM(verdict = 0 AND weight > 0), SUM((verdict = 0) * weight),
             SUM(verdict = 1), SUM(verdict = 1 AND weight > 0), SUM((verdict = 1) * weight) )sql";
  SQLite::Statement query(database,
                          fmt::format("{} FROM votes CROSS JOIN temp.weighed USING (voter) WHERE +cast_at BETWEEN ?1 "
                                      "AND ?2 GROUP BY votes.indicator ORDER BY votes.indicator",
                                      kSums));
  query.bind(1, seconds(since));
  query.bind(2, seconds(until));
  while (query.executeStep()) {
    Weighing weighing;
    weighing.indicator = query.getColumn(0).getString();
    for (int side = 0; side < 2; ++side) {
      weighing.votes[side] = query.getColumn(1 + 3 * side).getInt64();
      weighing.counted[side] = query.getColumn(2 + 3 * side).getInt64();
      weighing.weight[side] = query.getColumn(3 + 3 * side).getInt64();
    }
    weighings.push_back(std::move(weighing));
  }
  return weighings;
}

}  // namespace

namespace {

// "owned by uid 0 (mode 0644)" for a file that exists, else empty.
std::string ownership(const fs::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return {};
  return fmt::format("{} is owned by uid {} (mode {:04o})", path.string(), status.st_uid, status.st_mode & 07777);
}

// What SQLite said about the votes database, and, when it could not write,
// who owns what: a database imported as root makes every later write by
// the service's user fail with "attempt to write a readonly database".
std::string database_failure(const fs::path& path, const SQLite::Exception& error) {
  std::string message = fmt::format("votes database {}: {}", path.string(), error.what());
  int code = error.getErrorCode() & 0xff;  // the primary result code
  if (code != SQLITE_READONLY && code != SQLITE_CANTOPEN && code != SQLITE_PERM) return message;
  std::vector<std::string> owners;
  for (const fs::path& file : {path, fs::path(path.string() + "-wal"), fs::path(path.string() + "-shm"),
                               path.has_parent_path() ? path.parent_path() : fs::path(".")}) {
    if (std::string owner = ownership(file); !owner.empty()) owners.push_back(owner);
  }
  return fmt::format(
      "{}; this process runs as uid {}{}{}: the database, its -wal and -shm files and its folder "
      "must be writable by the user that writes votes (run crowdfeed as that user, e.g. sudo -u "
      "crowdfeed crowdfeed ..., or give it the files with chown)",
      message, ::geteuid(), owners.empty() ? "" : "; ", fmt::join(owners, "; "));
}

}  // namespace

SqliteVoteStore::SqliteVoteStore(fs::path path, std::unique_ptr<SQLite::Database> database)
    : path_(std::move(path)), database_(std::move(database)) {}

void SqliteVoteStore::fail(const SQLite::Exception& error, std::string_view doing) const {
  throw Error(fmt::format("{} (while {})", database_failure(path_, error), doing));
}

SqliteVoteStore SqliteVoteStore::open_for_writing(const fs::path& path, int busy_timeout_ms) {
  try {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    // A new database is created private (0600) whatever the umask: it holds
    // voter ids. SQLite gives its -wal and -shm files the same mode.
    if (int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    auto database = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                       busy_timeout_ms);
    SqliteVoteStore store(path, std::move(database));
    SQLite::Database& db = *store.database_;
    // WAL lets a website write votes while the hourly job reads a snapshot.
    db.exec("PRAGMA journal_mode = WAL");
    enable_replace_triggers(db);
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    int version = schema_version(db);
    if (version > kSchemaVersion) {
      throw Error(fmt::format("votes database {} has schema version {}, newer than this crowdfeed's {}", path.string(),
                              version, kSchemaVersion));
    }
    for (int next = version; next < kSchemaVersion; ++next) {
      db.exec(fmt::format(fmt::runtime(kMigrations[next]),
                          fmt::arg("count_new", fmt::format("{}{};{}", kCountNew, kJoinTally, kMarkChanged)),
                          fmt::arg("uncount_old", kUncountOld), fmt::arg("mark_changed", kMarkChanged)));
    }
    if (version != kSchemaVersion) db.exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion));
    transaction.commit();
    return store;
  } catch (const SQLite::Exception& error) {
    throw Error(database_failure(path, error));
  } catch (const fs::filesystem_error& error) {
    throw Error(fmt::format("votes database {}: {}", path.string(), error.what()));
  }
}

SqliteVoteStore SqliteVoteStore::open_for_reading(const fs::path& path, int busy_timeout_ms) {
  if (!fs::exists(path)) {
    throw Error(
        fmt::format("votes database {} does not exist; record votes with 'crowdfeed vote' or "
                    "'crowdfeed import-votes' first",
                    path.string()));
  }
  try {
    auto database = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE, busy_timeout_ms);
    int version = schema_version(*database);
    if (version != kSchemaVersion) {
      throw Error(fmt::format(
          "votes database {} has schema version {}, this crowdfeed reads version {}{}", path.string(), version,
          kSchemaVersion, version < kSchemaVersion ? "; run 'crowdfeed vote' or 'import-votes' to migrate it" : ""));
    }
    enable_replace_triggers(*database);
    return SqliteVoteStore(path, std::move(database));
  } catch (const SQLite::Exception& error) {
    throw Error(database_failure(path, error));
  }
}

SqliteVoteStore::Prepared SqliteVoteStore::prepared(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    found = statements_.emplace(sql, std::make_unique<SQLite::Statement>(*database_, sql)).first;
  }
  return Prepared(*found->second);
}

void SqliteVoteStore::tune_for_threads() {
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

std::string SqliteVoteStore::describe() const {
  return path_.string();
}

void SqliteVoteStore::for_each_vote(const std::function<void(const Vote&)>& visit) {
  return guarded("reading every vote", [&]() -> void {
    SQLite::Transaction snapshot(*database_);
    SQLite::Statement query(*database_,
                            "SELECT indicator, verdict, voter, cast_at, type FROM votes ORDER BY indicator, voter");
    Vote vote;
    while (query.executeStep()) {
      vote.indicator = query.getColumn(0).getString();
      vote.verdict = query.getColumn(1).getInt() == 0 ? Verdict::kMalicious : Verdict::kNonMalicious;
      vote.voter = query.getColumn(2).getString();
      vote.cast_at = time_from(query.getColumn(3).getInt64());
      vote.type = parse_indicator_type(query.getColumn(4).getString()).value_or(IndicatorType::kDomain);
      visit(vote);
    }
    snapshot.commit();
  });
}

std::int64_t SqliteVoteStore::count_votes() {
  return guarded("counting the votes",
                 [&]() -> std::int64_t { return database_->execAndGet("SELECT COUNT(*) FROM votes").getInt64(); });
}

void SqliteVoteStore::add_voter(const Voter& voter) {
  return guarded("adding a voter", [&]() -> void {
    SQLite::Statement taken(*database_, "SELECT 1 FROM voters WHERE name = ?1");
    taken.bind(1, voter.name);
    if (taken.executeStep()) throw Error(fmt::format("a voter named {} exists already", quote_text(voter.name)));
    SQLite::Statement insert(*database_, "INSERT INTO voters VALUES (?1, ?2, ?3, ?4, NULL)");
    insert.bind(1, voter.name);
    insert.bind(2, voter.role);
    insert.bind(3, voter.token_sha256);
    insert.bind(4, seconds(voter.created_at));
    insert.exec();
  });
}

void SqliteVoteStore::note_anonymous_voter(const std::string& name, TimePoint at) {
  return guarded("recording an anonymous voter", [&]() -> void {
    SQLite::Statement insert(
        *database_, "INSERT INTO voters VALUES (?1, 'anonymous', NULL, ?2, NULL) ON CONFLICT (name) DO NOTHING");
    insert.bind(1, name);
    insert.bind(2, seconds(at));
    insert.exec();
  });
}

std::vector<Voter> SqliteVoteStore::voters(bool anonymous) {
  return guarded("reading the voters", [&]() -> std::vector<Voter> {
    std::vector<Voter> found;
    SQLite::Statement query(*database_, fmt::format("{}{}ORDER BY name", kVoterColumns,
                                                    anonymous ? "" : "WHERE token_sha256 IS NOT NULL "));
    while (query.executeStep()) found.push_back(voter_from_row(query));
    return found;
  });
}

std::int64_t SqliteVoteStore::anonymous_voters() {
  return guarded("counting the anonymous voters", [&]() -> std::int64_t {
    return database_->execAndGet("SELECT COUNT(*) FROM voters WHERE role = 'anonymous'").getInt64();
  });
}

std::vector<SqliteVoteStore::VoteOf> SqliteVoteStore::votes_on(const std::string& indicator) {
  return guarded("reading an indicator's votes", [&]() -> std::vector<SqliteVoteStore::VoteOf> {
    std::vector<VoteOf> found;
    Prepared prepared_query = prepared(R"sql(
        SELECT votes.indicator, verdict, voter, cast_at, type, name, role, token_sha256, created_at, revoked_at
        FROM votes LEFT JOIN voters ON voters.name = votes.voter WHERE indicator = ?1 ORDER BY cast_at DESC, voter
      )sql");
    SQLite::Statement& query = *prepared_query;
    query.bind(1, indicator);
    while (query.executeStep()) {
      VoteOf vote;
      vote.vote.indicator = query.getColumn(0).getString();
      vote.vote.verdict = query.getColumn(1).getInt() == 0 ? Verdict::kMalicious : Verdict::kNonMalicious;
      vote.vote.voter = query.getColumn(2).getString();
      vote.vote.cast_at = time_from(query.getColumn(3).getInt64());
      vote.vote.type = parse_indicator_type(query.getColumn(4).getString()).value_or(IndicatorType::kDomain);
      if (!query.getColumn(5).isNull()) {
        vote.voter = Voter{query.getColumn(5).getString(), query.getColumn(6).getString(),
                           query.getColumn(7).getString(), time_from(query.getColumn(8).getInt64()), std::nullopt};
        if (!query.getColumn(9).isNull()) vote.voter->revoked_at = time_from(query.getColumn(9).getInt64());
      }
      found.push_back(std::move(vote));
    }
    return found;
  });
}

bool SqliteVoteStore::revoke_voter(const std::string& name, TimePoint at) {
  return guarded("revoking a voter", [&]() -> bool {
    SQLite::Statement revoke(*database_, "UPDATE voters SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL");
    revoke.bind(1, name);
    revoke.bind(2, seconds(at));
    return revoke.exec() > 0;
  });
}

bool SqliteVoteStore::add(const Vote& vote) {
  return guarded("recording a vote", [&]() -> bool {
    if (!insert_) {
      insert_ = std::make_unique<SQLite::Statement>(*database_, R"sql(
          INSERT INTO votes (indicator, voter, verdict, cast_at, type) VALUES (?1, ?2, ?3, ?4, ?5)
          ON CONFLICT (indicator, voter) DO UPDATE
            SET verdict = excluded.verdict, cast_at = excluded.cast_at
            WHERE excluded.cast_at > votes.cast_at
               OR (excluded.cast_at = votes.cast_at AND excluded.verdict <> votes.verdict)
        )sql");
    }
    insert_->reset();
    insert_->bind(1, vote.indicator);
    insert_->bind(2, vote.voter);
    insert_->bind(3, static_cast<int>(vote.verdict));
    insert_->bind(4, seconds(vote.cast_at));
    insert_->bind(5, std::string(type_name(vote.type)));
    bool changed = insert_->exec() > 0;
    if (changed && bulk_touched_) ++bulk_applied_;
    if (changed && bulk_touched_ && (bulk_touched_->empty() || bulk_touched_->back() != vote.indicator)) {
      bulk_touched_->push_back(vote.indicator);
      if (bulk_touched_->size() >= kTouchedInMemory) save_touched();
    }
    return changed;
  });
}

bool SqliteVoteStore::write_transaction(const std::function<bool()>& body) {
  return guarded("writing votes", [&]() -> bool {
    SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
    if (!body()) return false;  // the destructor rolls back
    transaction.commit();
    return true;
  });
}

void SqliteVoteStore::for_each_tally(TimePoint since, TimePoint until, const Trust& trust,
                                     const std::function<void(const Tally&)>& visit) {
  return guarded("reading the tallies", [&]() -> void {
    // One read transaction: every tally comes from the same snapshot, whatever
    // the website writes meanwhile.
    SQLite::Transaction snapshot(*database_);
    WeighedVisit weighed(weigh(*database_, since, until, trust), visit);
    count_tallies(*database_, since, until, std::ref(weighed));
    snapshot.commit();
  });
}

VoteStore::BulkResult SqliteVoteStore::bulk_write_transaction(const std::function<bool()>& body) {
  struct Reset {
    std::optional<std::vector<std::string>>& touched;
    ~Reset() { touched.reset(); }
  } reset{bulk_touched_};
  try {
    SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
    // The triggers as this database defines them, to create again as they were.
    std::vector<std::string> triggers;
    {
      // crowdfeed's own (votes_*_counted, votes_update_uncounted); a site's
      // triggers on the table keep firing.
      SQLite::Statement list(*database_, R"sql(
        SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'votes'
          AND name IN ('votes_insert_counted', 'votes_delete_counted', 'votes_update_uncounted',
                       'votes_update_counted'))sql");
      while (list.executeStep()) {
        database_->exec(fmt::format("DROP TRIGGER \"{}\"", list.getColumn(0).getString()));
        triggers.push_back(list.getColumn(1).getString());
      }
    }
    database_->exec(
        "CREATE TEMP TABLE IF NOT EXISTS touched (indicator TEXT PRIMARY KEY) WITHOUT ROWID;"
        "DELETE FROM temp.touched");
    bulk_touched_.emplace();
    bulk_applied_ = 0;
    // A page cache of 64 MiB while the batches go in, not the default 2 MiB:
    // 1M votes import in 8.0 s instead of 11.2 s; 256 MiB gains nothing more.
    database_->exec("PRAGMA cache_size = -65536");
    if (!body()) return {};  // the destructor rolls back, the triggers included
    save_touched();
    // A vote only ever replaces an older one, so no counted vote left the
    // window: each touched indicator's tally is its recount.
    database_->exec(R"sql(
      INSERT OR REPLACE INTO tallies
        SELECT indicator, MIN(type), SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at),
               (SELECT generation FROM tally_state)
        FROM votes WHERE indicator IN (SELECT indicator FROM temp.touched)
          AND +cast_at >= (SELECT horizon FROM tally_state)
        GROUP BY indicator
    )sql");
    if (database_->execAndGet("SELECT COUNT(*) FROM temp.touched").getInt64() > 0) {
      database_->exec("UPDATE tally_state SET changed = generation");
    }
    database_->exec("DELETE FROM temp.touched");
    for (const std::string& trigger : triggers) database_->exec(trigger);
    transaction.commit();
    return {true, bulk_applied_};
  } catch (const SQLite::Exception& error) {
    fail(error, "importing votes");
  }
}

void SqliteVoteStore::save_touched() {
  std::sort(bulk_touched_->begin(), bulk_touched_->end());
  SQLite::Statement touch(*database_, "INSERT OR IGNORE INTO temp.touched VALUES (?1)");
  for (const std::string& indicator : *bulk_touched_) {
    touch.reset();
    touch.bind(1, indicator);
    touch.exec();
  }
  bulk_touched_->clear();
}

std::optional<Tally> SqliteVoteStore::tally(const std::string& indicator, TimePoint since, TimePoint until,
                                            const Trust& trust) {
  return guarded("reading a tally", [&]() -> std::optional<Tally> {
    // One snapshot for both reads; statements prepared once, as the vote
    // server reads a tally for each page.
    prepared("BEGIN")->exec();
    struct End {
      SqliteVoteStore& store;
      ~End() {
        try {
          store.prepared("ROLLBACK")->exec();
        } catch (const SQLite::Exception&) {
          // Nothing was written; a failed read ended the transaction already.
        }
      }
    } end{*this};
    std::vector<Weighing> weighings = weigh_one(*prepared(kWeighOne), indicator, since, until, trust);
    Prepared prepared_query = prepared(
        fmt::format("{} WHERE indicator = ?1 AND cast_at BETWEEN ?2 AND ?3 GROUP BY indicator", kTallyColumns));
    SQLite::Statement& query = *prepared_query;
    query.bind(1, indicator);
    query.bind(2, seconds(since));
    query.bind(3, seconds(until));
    if (!query.executeStep()) return std::nullopt;
    Tally tally = tally_from_row(query);
    for (const Weighing& weighing : weighings) weighing.apply(tally);
    return tally;
  });
}

SqliteVoteStore::LateVotes SqliteVoteStore::count_votes_after(TimePoint until, TimePoint now) {
  return guarded("counting the votes cast after the run", [&]() -> SqliteVoteStore::LateVotes {
    SQLite::Statement query(*database_,
                            "SELECT TOTAL(cast_at <= ?2), TOTAL(cast_at > ?2) FROM votes WHERE cast_at > ?1");
    query.bind(1, seconds(until));
    query.bind(2, seconds(now));
    query.executeStep();
    return {static_cast<std::int64_t>(query.getColumn(0).getDouble()),
            static_cast<std::int64_t>(query.getColumn(1).getDouble())};
  });
}

std::int64_t SqliteVoteStore::start_run(TimePoint since) {
  return guarded(
      "starting a run", [&]() -> std::int64_t {
        SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement state(*database_, "SELECT horizon, generation FROM tally_state");
        if (!state.executeStep()) throw Error(fmt::format("votes database {}: tally_state is empty", path_.string()));
        const std::int64_t old_horizon = state.getColumn(0).getInt64();
        const std::int64_t generation = state.getColumn(1).getInt64();
        state.reset();
        const std::int64_t horizon = horizon_of(since);
        bool moved = false;
        if (horizon > old_horizon) {
          // Votes that aged out since the last run leave their tallies; an
          // edge time or type they held is found again from the indicator's
          // votes, and a tally left without votes goes.
          collect_moved_votes(*database_, old_horizon, horizon);
          SQLite::Statement subtract(*database_, R"sql(
          UPDATE tallies SET
            malicious = tallies.malicious - moved.malicious,
            non_malicious = tallies.non_malicious - moved.non_malicious,
            first_cast_at = (SELECT MIN(cast_at + 0) FROM votes
                             WHERE votes.indicator = tallies.indicator AND +cast_at >= ?1),
            type = IFNULL((SELECT MIN(type) FROM votes WHERE votes.indicator = tallies.indicator AND +cast_at >= ?1),
                          tallies.type),
            generation = ?2
          FROM temp.moved AS moved WHERE tallies.indicator = moved.indicator
        )sql");
          subtract.bind(1, horizon);
          subtract.bind(2, generation);
          moved = subtract.exec() > 0;
          database_->exec(
              "DELETE FROM tallies WHERE indicator IN (SELECT indicator FROM temp.moved) AND malicious = 0 AND "
              "non_malicious = 0");
        } else if (horizon < old_horizon) {
          // A longer window (max_age_days raised, an earlier hour forced) takes
          // older votes back in.
          collect_moved_votes(*database_, horizon, old_horizon);
          SQLite::Statement add(*database_, R"sql(
          INSERT INTO tallies SELECT indicator, type, malicious, non_malicious, first_cast_at, last_cast_at, ?1
            FROM temp.moved WHERE true)sql" + std::string(kJoinTally));
          add.bind(1, generation);
          moved = add.exec() > 0;
        }
        SQLite::Statement advance(*database_, fmt::format("UPDATE tally_state SET horizon = ?1, generation = ?2 + 1{}",
                                                          moved ? ", changed = ?2" : ""));
        advance.bind(1, horizon);
        advance.bind(2, generation);
        advance.exec();
        transaction.commit();
        return generation;
      });
}

std::string SqliteVoteStore::instance() {
  return guarded("reading the database's identity", [&]() -> std::string {
    return database_->execAndGet("SELECT instance FROM tally_state").getString();
  });
}

bool SqliteVoteStore::changed_since(std::int64_t seen, TimePoint seen_until, TimePoint until, const Trust& trust) {
  return guarded("looking for changes since the last run", [&]() -> bool {
    if (database_->execAndGet("SELECT changed FROM tally_state").getInt64() > seen) return true;
    if (until == seen_until) return false;
    // Votes between the two hour slots count in one run and not the other;
    // so do those of a voter whose probation ended, or who was revoked,
    // between them.
    const TimePoint earlier = std::min(seen_until, until);
    const TimePoint later = std::max(seen_until, until);
    SQLite::Statement between(*database_, R"sql(
        SELECT EXISTS (SELECT 1 FROM votes WHERE cast_at > ?1 AND cast_at <= ?2)
            OR EXISTS (SELECT 1 FROM voters WHERE created_at > ?3 AND created_at <= ?4)
            OR EXISTS (SELECT 1 FROM voters WHERE revoked_at > ?1 AND revoked_at <= ?2)
      )sql");
    between.bind(1, seconds(earlier));
    between.bind(2, seconds(later));
    between.bind(3, seconds(earlier - trust.probation));
    between.bind(4, seconds(later - trust.probation));
    between.executeStep();
    return between.getColumn(0).getInt() != 0;
  });
}

void SqliteVoteStore::for_each_kept_tally(TimePoint since, TimePoint until, const Trust& trust,
                                          const std::function<void(const Tally&)>& visit) {
  return guarded("reading the kept tallies", [&]() -> void {
    SQLite::Transaction snapshot(*database_);
    WeighedVisit weighed(weigh(*database_, since, until, trust), visit);
    // Another configuration's run on the same database may have moved the
    // horizon since start_run: then the votes are counted, as without
    // kept tallies.
    if (database_->execAndGet("SELECT horizon FROM tally_state").getInt64() != horizon_of(since)) {
      count_tallies(*database_, since, until, std::ref(weighed));
      snapshot.commit();
      return;
    }
    // The kept tallies count every vote since the horizon, those cast after
    // the hour slot too; the indicators that have such votes (an hour's
    // worth, found through votes_by_cast_at) are counted from their votes.
    std::vector<std::string> recent;
    SQLite::Statement pending(*database_, "SELECT DISTINCT indicator FROM votes WHERE cast_at > ?1 ORDER BY 1");
    pending.bind(1, seconds(until));
    while (pending.executeStep()) recent.push_back(pending.getColumn(0).getString());
    SQLite::Statement exact(*database_,
                            fmt::format("{} WHERE indicator = ?1 AND +cast_at BETWEEN ?2 AND ?3", kTallyColumns));
    SQLite::Statement query(*database_, R"sql(
        SELECT indicator, malicious, non_malicious, first_cast_at, last_cast_at, type FROM tallies ORDER BY indicator
      )sql");
    auto next_recent = recent.begin();
    while (query.executeStep()) {
      const char* indicator = query.getColumn(0).getText();
      while (next_recent != recent.end() && *next_recent < indicator) ++next_recent;
      if (next_recent != recent.end() && *next_recent == indicator) {
        exact.reset();
        exact.bind(1, *next_recent);
        exact.bind(2, seconds(since));
        exact.bind(3, seconds(until));
        if (exact.executeStep() && !exact.getColumn(0).isNull()) {
          Tally tally = tally_from_row(exact);
          weighed(tally);
        }
        continue;
      }
      Tally tally = tally_from_row(query);
      weighed(tally);
    }
    snapshot.commit();
  });
}

std::int64_t SqliteVoteStore::recount() {
  return guarded("recounting the tallies", [&]() -> std::int64_t {
    SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
    database_->exec("DELETE FROM tallies");
    database_->exec(R"sql(
        INSERT INTO tallies
          SELECT indicator, MIN(type), SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at),
                 (SELECT generation FROM tally_state)
          FROM votes WHERE cast_at >= (SELECT horizon FROM tally_state) GROUP BY indicator
      )sql");
    database_->exec("UPDATE tally_state SET changed = generation");
    std::int64_t count = database_->execAndGet("SELECT COUNT(*) FROM tallies").getInt64();
    transaction.commit();
    return count;
  });
}

std::vector<std::string> SqliteVoteStore::compare_with_recount(std::size_t limit, std::int64_t& total) {
  return guarded("comparing the kept tallies with a recount", [&]() -> std::vector<std::string> {
    SQLite::Transaction snapshot(*database_);
    // A full outer join of the kept tallies (rows with votes) and a recount
    // since the same horizon, both in indicator order.
    SQLite::Statement query(*database_, R"sql(
        WITH kept AS (
          SELECT indicator, type, malicious, non_malicious, first_cast_at, last_cast_at FROM tallies
          WHERE malicious <> 0 OR non_malicious <> 0),
        counted AS (
          SELECT indicator, MIN(type) AS type, SUM(verdict = 0) AS malicious, SUM(verdict = 1) AS non_malicious,
                 MIN(cast_at) AS first_cast_at, MAX(cast_at) AS last_cast_at
          FROM votes WHERE cast_at >= (SELECT horizon FROM tally_state) GROUP BY indicator)
        SELECT counted.indicator, kept.type, kept.malicious, kept.non_malicious, kept.first_cast_at,
               kept.last_cast_at, counted.type, counted.malicious, counted.non_malicious, counted.first_cast_at,
               counted.last_cast_at
          FROM counted LEFT JOIN kept USING (indicator)
          WHERE kept.indicator IS NULL OR kept.type IS NOT counted.type OR kept.malicious IS NOT counted.malicious
             OR kept.non_malicious IS NOT counted.non_malicious OR kept.first_cast_at IS NOT counted.first_cast_at
             OR kept.last_cast_at IS NOT counted.last_cast_at
        UNION ALL
        SELECT kept.indicator, kept.type, kept.malicious, kept.non_malicious, kept.first_cast_at, kept.last_cast_at,
               NULL, 0, 0, NULL, NULL
          FROM kept WHERE NOT EXISTS (SELECT 1 FROM counted WHERE counted.indicator = kept.indicator)
        ORDER BY 1
      )sql");
    // Columns `first` to `first + 4` of the row: type, counts, first and
    // last vote; a NULL type is a side with no votes.
    auto counts = [&](int first) -> std::optional<CountedTally> {
      if (query.getColumn(first).isNull()) return std::nullopt;
      auto time = [&](int column) -> std::optional<TimePoint> {
        if (!query.getColumn(column).isInteger()) return std::nullopt;
        return time_from(query.getColumn(column).getInt64());
      };
      return CountedTally{query.getColumn(first).getString(), query.getColumn(first + 1).getInt64(),
                          query.getColumn(first + 2).getInt64(), time(first + 3), time(first + 4)};
    };
    std::vector<std::string> differences;
    total = 0;
    while (query.executeStep()) {
      if (static_cast<std::size_t>(total++) >= limit) continue;
      differences.push_back(describe_recount_difference(query.getColumn(0).getString(), counts(1), counts(6)));
    }
    snapshot.commit();
    return differences;
  });
}

}  // namespace crowdfeed
