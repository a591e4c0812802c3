#include "votes/store.h"

#include <fmt/format.h>

#include <array>

#include "util/error.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// Schema migrations: entry N-1 upgrades user_version N-1 to N. A new release
// appends an entry and bumps kSchemaVersion; existing entries never change.
constexpr std::array<const char*, VoteStore::kSchemaVersion> kMigrations = {
    // 1: one row per voter per domain. verdict uses the vote API's values
    // (0 malicious, 1 non-malicious); cast_at is Unix seconds, UTC.
    R"sql(
      CREATE TABLE votes (
        indicator TEXT NOT NULL,
        voter     TEXT NOT NULL,
        verdict   INTEGER NOT NULL CHECK (verdict IN (0, 1)),
        cast_at   INTEGER NOT NULL,
        PRIMARY KEY (indicator, voter)
      ) WITHOUT ROWID;
    )sql",
    // 2: the indicator's type. Existing votes are on domains. The normalised
    // forms of the types never coincide (a domain has a non-numeric top
    // label and a dot, an IPv6 address a colon, a hash no dot), so the
    // indicator alone still identifies a row. The CHECK is a chain of ORs:
    // SQLite evaluates a text IN list through a temporary index on every
    // insert, which made an import 35 % slower.
    R"sql(
      ALTER TABLE votes ADD COLUMN type TEXT NOT NULL DEFAULT 'domain'
        CHECK (type = 'domain' OR type = 'ipv4' OR type = 'ipv6' OR type = 'md5' OR type = 'sha1' OR
               type = 'sha256');
    )sql",
};

// One type per indicator (see migration 2), so MIN(type) is that type.
constexpr const char* kTallyColumns =
    "SELECT indicator, SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at), MIN(type) FROM votes ";

std::int64_t seconds(TimePoint time) {
  return time.time_since_epoch().count();
}

TimePoint time_from(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

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

}  // namespace

const char* verdict_name(Verdict verdict) {
  return verdict == Verdict::kMalicious ? "malicious" : "non-malicious";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  if (text == "malicious" || text == "0") return Verdict::kMalicious;
  if (text == "non-malicious" || text == "1") return Verdict::kNonMalicious;
  return std::nullopt;
}

VoteStore::VoteStore(fs::path path, std::unique_ptr<SQLite::Database> database)
    : path_(std::move(path)), database_(std::move(database)) {}

void VoteStore::fail(const SQLite::Exception& error) const {
  throw Error(fmt::format("votes database {}: {}", path_.string(), error.what()));
}

VoteStore VoteStore::open_for_writing(const fs::path& path, int busy_timeout_ms) {
  try {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    auto database = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                       busy_timeout_ms);
    VoteStore store(path, std::move(database));
    SQLite::Database& db = *store.database_;
    // WAL lets a website write votes while the hourly job reads a snapshot.
    db.exec("PRAGMA journal_mode = WAL");
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    int version = schema_version(db);
    if (version > kSchemaVersion) {
      throw Error(fmt::format("votes database {} has schema version {}, newer than this crowdfeed's {}", path.string(),
                              version, kSchemaVersion));
    }
    for (int next = version; next < kSchemaVersion; ++next) db.exec(kMigrations[next]);
    if (version != kSchemaVersion) db.exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion));
    transaction.commit();
    return store;
  } catch (const SQLite::Exception& error) {
    throw Error(fmt::format("votes database {}: {}", path.string(), error.what()));
  } catch (const fs::filesystem_error& error) {
    throw Error(fmt::format("votes database {}: {}", path.string(), error.what()));
  }
}

VoteStore VoteStore::open_for_reading(const fs::path& path, int busy_timeout_ms) {
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
    return VoteStore(path, std::move(database));
  } catch (const SQLite::Exception& error) {
    throw Error(fmt::format("votes database {}: {}", path.string(), error.what()));
  }
}

bool VoteStore::add(const Vote& vote) {
  try {
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
    return insert_->exec() > 0;
  } catch (const SQLite::Exception& error) {
    fail(error);
  }
}

bool VoteStore::write_transaction(const std::function<bool()>& body) {
  try {
    SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
    if (!body()) return false;  // the destructor rolls back
    transaction.commit();
    return true;
  } catch (const SQLite::Exception& error) {
    fail(error);
  }
}

void VoteStore::for_each_tally(TimePoint since, TimePoint until, const std::function<void(const Tally&)>& visit) {
  try {
    // One read transaction: every tally comes from the same snapshot, whatever
    // the website writes meanwhile.
    SQLite::Transaction snapshot(*database_);
    SQLite::Statement query(*database_, fmt::format("{} WHERE cast_at BETWEEN ?1 AND ?2 "
                                                    "GROUP BY indicator ORDER BY indicator",
                                                    kTallyColumns));
    query.bind(1, seconds(since));
    query.bind(2, seconds(until));
    while (query.executeStep()) visit(tally_from_row(query));
    snapshot.commit();
  } catch (const SQLite::Exception& error) {
    fail(error);
  }
}

std::optional<Tally> VoteStore::tally(const std::string& indicator, TimePoint since, TimePoint until) {
  try {
    SQLite::Statement query(
        *database_,
        fmt::format("{} WHERE indicator = ?1 AND cast_at BETWEEN ?2 AND ?3 GROUP BY indicator", kTallyColumns));
    query.bind(1, indicator);
    query.bind(2, seconds(since));
    query.bind(3, seconds(until));
    if (!query.executeStep()) return std::nullopt;
    return tally_from_row(query);
  } catch (const SQLite::Exception& error) {
    fail(error);
  }
}

VoteStore::LateVotes VoteStore::count_votes_after(TimePoint until, TimePoint now) {
  try {
    SQLite::Statement query(*database_,
                            "SELECT TOTAL(cast_at <= ?2), TOTAL(cast_at > ?2) FROM votes WHERE cast_at > ?1");
    query.bind(1, seconds(until));
    query.bind(2, seconds(now));
    query.executeStep();
    return {static_cast<std::int64_t>(query.getColumn(0).getDouble()),
            static_cast<std::int64_t>(query.getColumn(1).getDouble())};
  } catch (const SQLite::Exception& error) {
    fail(error);
  }
}

}  // namespace crowdfeed
