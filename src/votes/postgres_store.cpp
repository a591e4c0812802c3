#include "votes/postgres_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <charconv>
#include <limits>

#include "util/error.h"
#include "util/text.h"
#include "votes/postgres_rows.h"
#include "votes/recount.h"
#include "votes_migrations.h"

namespace crowdfeed {
namespace {

using namespace postgres_rows;

// The schema, in migrations (src/votes/migrations/postgresql/NNN.sql,
// embedded at build time by cmake/embed_sql.cmake): entry N-1 upgrades
// crowdfeed_schema.version N-1 to N, in one transaction with the version's
// update. Existing entries never change. Indicators and voters compare
// bytewise (COLLATE "C"), as the job merges them in that order and as
// SQLite compares them.
constexpr const auto& kMigrations = kPostgresMigrations;
static_assert(kMigrations.size() == PostgresVoteStore::kSchemaVersion, "one migration a schema version");

// The advisory lock keys: the schema's migration, and the publishing run.
constexpr const char* kMigrationLock = "4242420001";
constexpr const char* kPublisherLock = "4242420002";

// Takes the tally state's row before anything else in a write transaction,
// so that writers queue there instead of deadlocking on each other's votes.
constexpr const char* kWriteTransaction = "BEGIN ISOLATION LEVEL READ COMMITTED";
constexpr const char* kLockState = "SELECT 1 FROM tally_state FOR UPDATE";

// The window's start as stored: TimePoint::min() (no max_age_days) is the
// lowest integer, which every vote's time passes.
std::string horizon_of(TimePoint since) {
  return std::to_string(since == TimePoint::min() ? std::numeric_limits<std::int64_t>::min() : seconds(since));
}

// The columns indicator, malicious, non_malicious, first, last, type.
Tally tally_from_row(const PGresult* result, int row) {
  Tally tally;
  tally.indicator = text(result, row, 0);
  tally.malicious_votes = integer(result, row, 1);
  tally.non_malicious_votes = integer(result, row, 2);
  tally.first_vote_at = time_from(integer(result, row, 3));
  tally.last_vote_at = time_from(integer(result, row, 4));
  tally.type = parse_indicator_type(text(result, row, 5)).value_or(IndicatorType::kDomain);
  return tally;
}

constexpr const char* kTallyColumns =
    "SELECT indicator, COUNT(*) FILTER (WHERE verdict = 0), COUNT(*) FILTER (WHERE verdict = 1), MIN(cast_at), "
    "MAX(cast_at), MIN(type) FROM votes ";

constexpr const char* kVoterColumns = "SELECT name, role, token_sha256, created_at, revoked_at FROM voters ";

Voter voter_from_row(const PGresult* result, int row, int first) {
  Voter voter{text(result, row, first), text(result, row, first + 1),
              null(result, row, first + 2) ? std::string() : text(result, row, first + 2),
              time_from(integer(result, row, first + 3)), std::nullopt};
  if (!null(result, row, first + 4)) voter.revoked_at = time_from(integer(result, row, first + 4));
  return voter;
}

// A PostgreSQL array literal of `values`, each quoted.
std::string array_literal(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (const std::string& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

// A value as a field of COPY's text format.
void append_copy_field(std::string& line, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

// Refuses a password in the connection string: it belongs in PGPASSWORD or
// a .pgpass file, where it is neither in the configuration nor in a log.
void refuse_password(const std::string& url) {
  // A bare database name is not a connection string, and holds no password.
  if (url.empty() || (url.find('=') == std::string::npos && !url.starts_with("postgres"))) return;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    // libpq's message quotes the part it could not read, which may be a
    // password: say only what is wrong.
    PQfreemem(error);
    throw UsageError("votes.url is not a libpq connection string (key=value ...) or URI (postgresql://...)");
  }
  // libpq marks the settings it hides as secrets ("password",
  // "sslpassword", ...) with a '*' display character.
  std::vector<std::string> secrets;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->dispchar != nullptr && std::string_view(option->dispchar).find('*') != std::string_view::npos &&
        option->val != nullptr && *option->val != '\0') {
      secrets.emplace_back(option->keyword);
    }
  }
  PQconninfoFree(options);
  if (!secrets.empty()) {
    throw UsageError(fmt::format(
        "votes.url holds a secret ({}): give a password in PGPASSWORD or a .pgpass file (PGPASSFILE), and a "
        "client certificate's key as a file of mode 0600 without a passphrase (sslkey), so that no secret is in a "
        "file others may read or in a log",
        fmt::join(secrets, ", ")));
  }
}

}  // namespace

PostgresVoteStore::PostgresVoteStore(std::unique_ptr<PGconn, ConnectionCloser> connection, std::string description)
    : connection_(std::move(connection)), description_(std::move(description)) {}

std::string PostgresVoteStore::describe() const {
  return description_;
}

PostgresVoteStore PostgresVoteStore::connect(const PostgresSettings& settings) {
  refuse_password(settings.url);
  const std::string timeout = std::to_string(settings.connect_timeout_seconds);
  // crowdfeed's defaults first, the url last: what the url sets wins.
  // Keepalives find a server that went away mid-run.
  const std::array<const char*, 8> keywords = {
      "connect_timeout",  "application_name",    "keepalives", "keepalives_idle",
      "keepalives_count", "keepalives_interval", "dbname",     nullptr};
  const std::array<const char*, 8> values = {
      timeout.c_str(), "crowdfeed", "1", "30", "3", "10", settings.url.empty() ? nullptr : settings.url.c_str(),
      nullptr};
  std::unique_ptr<PGconn, ConnectionCloser> connection(PQconnectdbParams(keywords.data(), values.data(), 1));
  if (!connection) throw Error("PostgreSQL: out of memory");
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection.get());
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    throw Error(fmt::format("cannot connect to the votes database on PostgreSQL: {}", message));
  }
  std::string description = fmt::format("PostgreSQL database {} on {} port {} as {}", PQdb(connection.get()),
                                        PQhost(connection.get()), PQport(connection.get()), PQuser(connection.get()));
  PostgresVoteStore store(std::move(connection), std::move(description));
  // The statement timeout ends a statement that waits too long (on a lock,
  // on a slow disk); text is UTF-8 whatever the environment says.
  store.run(
      fmt::format("SET statement_timeout = '{}s'; SET client_min_messages = warning; SET client_encoding = 'UTF8'",
                  settings.statement_timeout_seconds));
  return store;
}

void PostgresVoteStore::fail(const PGresult* result, std::string_view doing) const {
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(connection_.get());
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view code = state != nullptr ? state : "";
  std::string hint;
  if (PQstatus(connection_.get()) == CONNECTION_BAD) {
    hint = "; the connection to the server was lost";
  } else if (code == "25006") {
    hint = "; the server is read-only (a standby?): give votes.url the primary";
  } else if (code == "57014") {
    hint = "; a statement ran longer than votes.statement_timeout_seconds";
  } else if (code == "40001" || code == "40P01") {
    hint = "; another writer conflicted: run it again";
  }
  throw Error(fmt::format("votes database ({}): {}: {}{}", description_, doing, message, hint));
}

PostgresVoteStore::Result PostgresVoteStore::run(const std::string& sql, const std::vector<const char*>& parameters) {
  Result result(parameters.empty() ? PQexec(connection_.get(), sql.c_str())
                                   : PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(parameters.size()),
                                                  nullptr, parameters.data(), nullptr, nullptr, 0));
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    // The statement's first line names it well enough.
    std::string_view doing = sql;
    while (!doing.empty() && (doing.front() == '\n' || doing.front() == ' ')) doing.remove_prefix(1);
    fail(result.get(), doing.substr(0, std::min(doing.find('\n'), std::size_t{80})));
  }
  return result;
}

bool PostgresVoteStore::transaction(const char* mode, const std::function<bool()>& body) {
  // Inside a transaction already (a voter added while voters are copied):
  // the body joins it.
  if (PQtransactionStatus(connection_.get()) == PQTRANS_INTRANS) return body();
  run(mode);
  bool committed = false;
  try {
    if (body()) {
      run("COMMIT");
      committed = true;
    }
  } catch (...) {
    // A lost connection cannot roll back, and need not: the server does.
    if (PQstatus(connection_.get()) == CONNECTION_OK) Result rollback(PQexec(connection_.get(), "ROLLBACK"));
    throw;
  }
  if (!committed) run("ROLLBACK");
  return committed;
}

void PostgresVoteStore::stream(const std::string& sql, const std::vector<const char*>& parameters,
                               const std::function<void(const PGresult*, int)>& row) {
  run("DECLARE crowdfeed_rows NO SCROLL CURSOR FOR " + sql, parameters);
  for (;;) {
    Result batch = run("FETCH 20000 FROM crowdfeed_rows");
    int rows = PQntuples(batch.get());
    for (int i = 0; i < rows; ++i) row(batch.get(), i);
    if (rows == 0) break;
  }
  run("CLOSE crowdfeed_rows");
}

PostgresVoteStore PostgresVoteStore::open_for_writing(const PostgresSettings& settings) {
  PostgresVoteStore store = connect(settings);
  Result recovery = store.run("SELECT pg_is_in_recovery()");
  if (text(recovery.get(), 0, 0) == "t") {
    throw Error(
        fmt::format("votes database ({}) is a read-only standby; give votes.url the primary", store.describe()));
  }
  // Current already: nothing to create, so a role without CREATE on the
  // schema (one that may only read and write the tables) can write votes.
  Result schema = store.run("SELECT to_regclass('crowdfeed_schema') IS NOT NULL");
  if (text(schema.get(), 0, 0) == "t") {
    Result found = store.run("SELECT version FROM crowdfeed_schema");
    if (PQntuples(found.get()) == 1 && integer(found.get(), 0, 0) == kSchemaVersion) return store;
  }
  store.transaction(kWriteTransaction, [&] {
    // One process migrates at a time; the others wait, then find it done.
    store.run(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLock));
    store.run("CREATE TABLE IF NOT EXISTS crowdfeed_schema (version INTEGER NOT NULL)");
    Result found = store.run("SELECT version FROM crowdfeed_schema");
    int version = PQntuples(found.get()) == 0 ? 0 : static_cast<int>(integer(found.get(), 0, 0));
    if (version > kSchemaVersion) {
      throw Error(fmt::format("votes database ({}) has schema version {}, newer than this crowdfeed's {}",
                              store.describe(), version, kSchemaVersion));
    }
    if (version == 0) {
      // A database that holds a votes table of its own is not crowdfeed's.
      Result foreign = store.run("SELECT to_regclass('votes') IS NOT NULL");
      if (text(foreign.get(), 0, 0) == "t") {
        throw Error(
            fmt::format("votes database ({}) has a votes table that crowdfeed did not create; give "
                        "crowdfeed a database of its own",
                        store.describe()));
      }
      store.run("INSERT INTO crowdfeed_schema VALUES (0)");
    }
    for (int next = version; next < kSchemaVersion; ++next)
      store.run(std::string(kMigrations[static_cast<std::size_t>(next)]));
    if (version != kSchemaVersion) store.run(fmt::format("UPDATE crowdfeed_schema SET version = {}", kSchemaVersion));
    return true;
  });
  return store;
}

PostgresVoteStore PostgresVoteStore::open_for_reading(const PostgresSettings& settings) {
  PostgresVoteStore store = connect(settings);
  Result schema = store.run("SELECT to_regclass('crowdfeed_schema') IS NOT NULL");
  Result found = text(schema.get(), 0, 0) == "t" ? store.run("SELECT version FROM crowdfeed_schema") : nullptr;
  if (!found || PQntuples(found.get()) == 0) {
    throw Error(
        fmt::format("votes database ({}) holds no crowdfeed votes yet; record votes with 'crowdfeed vote' "
                    "or 'crowdfeed import-votes' first",
                    store.describe()));
  }
  int version = static_cast<int>(integer(found.get(), 0, 0));
  if (version != kSchemaVersion) {
    throw Error(fmt::format("votes database ({}) has schema version {}, this crowdfeed reads version {}{}",
                            store.describe(), version, kSchemaVersion,
                            version < kSchemaVersion ? "; run 'crowdfeed vote' or 'import-votes' to migrate it" : ""));
  }
  return store;
}

bool PostgresVoteStore::add(const Vote& vote) {
  const std::string cast_at = std::to_string(seconds(vote.cast_at));
  const char* verdict = vote.verdict == Verdict::kMalicious ? "0" : "1";
  const std::string type(type_name(vote.type));
  if (copying_) {
    // The file's order decides between two votes of one voter cast at the
    // same second: the sequence number keeps it.
    append_copy_field(copy_buffer_, vote.indicator);
    copy_buffer_ += '\t';
    append_copy_field(copy_buffer_, vote.voter);
    copy_buffer_ += fmt::format("\t{}\t{}\t{}\t{}\n", verdict, cast_at, type, copied_++);
    if (copy_buffer_.size() >= (std::size_t{1} << 20)) flush_copy();
    return false;  // counted at the end
  }
  // Alone, the vote is a transaction of its own that, like every writer,
  // takes the tally state's row first.
  if (PQtransactionStatus(connection_.get()) == PQTRANS_IDLE) {
    bool changed = false;
    write_transaction([&] {
      changed = add(vote);
      return true;
    });
    return changed;
  }
  if (!prepared_) {
    Result prepared(PQprepare(connection_.get(), "crowdfeed_add", R"sql(
      INSERT INTO votes (indicator, voter, verdict, cast_at, type) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (indicator, voter) DO UPDATE
        SET verdict = excluded.verdict, cast_at = excluded.cast_at
        WHERE excluded.cast_at > votes.cast_at
           OR (excluded.cast_at = votes.cast_at AND excluded.verdict <> votes.verdict)
    )sql",
                              5, nullptr));
    if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) fail(prepared.get(), "preparing a vote");
    prepared_ = true;
  }
  const std::array<const char*, 5> values = {vote.indicator.c_str(), vote.voter.c_str(), verdict, cast_at.c_str(),
                                             type.c_str()};
  Result result(PQexecPrepared(connection_.get(), "crowdfeed_add", 5, values.data(), nullptr, nullptr, 0));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) fail(result.get(), "recording a vote");
  return std::string_view(PQcmdTuples(result.get())) != "0";
}

void PostgresVoteStore::flush_copy() {
  if (copy_buffer_.empty()) return;
  if (PQputCopyData(connection_.get(), copy_buffer_.data(), static_cast<int>(copy_buffer_.size())) != 1) {
    fail(nullptr, "sending votes through COPY");
  }
  copy_buffer_.clear();
}

bool PostgresVoteStore::write_transaction(const std::function<bool()>& body) {
  return transaction(kWriteTransaction, [&] {
    run(kLockState);
    return body();
  });
}

VoteStore::BulkResult PostgresVoteStore::bulk_write_transaction(const std::function<bool()>& body) {
  BulkResult outcome;
  outcome.committed = transaction(kWriteTransaction, [&] {
    run(kLockState);
    run(R"sql(
      CREATE TEMP TABLE crowdfeed_staged (
        indicator TEXT COLLATE "C", voter TEXT COLLATE "C", verdict SMALLINT, cast_at BIGINT, type TEXT, seq BIGINT
      ) ON COMMIT DROP)sql");
    Result started(PQexec(connection_.get(), "COPY crowdfeed_staged FROM STDIN"));
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) fail(started.get(), "starting COPY");
    copying_ = true;
    copied_ = 0;
    copy_buffer_.clear();
    bool keep = false;
    try {
      keep = body();
      flush_copy();
    } catch (...) {
      copying_ = false;
      copy_buffer_.clear();
      PQputCopyEnd(connection_.get(), "import abandoned");
      while (Result(PQgetResult(connection_.get()))) {
      }
      throw;
    }
    copying_ = false;
    if (PQputCopyEnd(connection_.get(), keep ? nullptr : "import abandoned") != 1) fail(nullptr, "ending COPY");
    bool copied = true;
    for (Result result(PQgetResult(connection_.get())); result; result.reset(PQgetResult(connection_.get()))) {
      if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        if (keep) fail(result.get(), "COPY of the votes");
        copied = false;
      }
    }
    if (!keep || !copied) return false;
    // The newest vote of each voter on each indicator (the file's last of
    // those cast at the same second) joins the table as add() would add it.
    Result merged = run(R"sql(
      INSERT INTO votes (indicator, voter, verdict, cast_at, type)
        SELECT DISTINCT ON (indicator, voter) indicator, voter, verdict, cast_at, type FROM crowdfeed_staged
        ORDER BY indicator, voter, cast_at DESC, seq DESC
      ON CONFLICT (indicator, voter) DO UPDATE
        SET verdict = excluded.verdict, cast_at = excluded.cast_at
        WHERE excluded.cast_at > votes.cast_at
           OR (excluded.cast_at = votes.cast_at AND excluded.verdict <> votes.verdict)
    )sql");
    std::from_chars(PQcmdTuples(merged.get()), PQcmdTuples(merged.get()) + std::strlen(PQcmdTuples(merged.get())),
                    outcome.applied);
    // Fresh statistics after a bulk load, so that the next run's queries
    // use the time index at once rather than after autovacuum's next pass
    // (an unchanged hour on 10M votes: 0.65 s before, measured).
    if (outcome.applied > 100000) run("ANALYZE votes, tallies");
    return true;
  });
  if (!outcome.committed) outcome.applied = 0;
  return outcome;
}

void PostgresVoteStore::add_voter(const Voter& voter) {
  write_transaction([&] {
    const std::string created = std::to_string(seconds(voter.created_at));
    Result taken = run("SELECT 1 FROM voters WHERE name = $1", {voter.name.c_str()});
    if (PQntuples(taken.get()) > 0) throw Error(fmt::format("a voter named {} exists already", quote_text(voter.name)));
    run("INSERT INTO voters VALUES ($1, $2, $3, $4, NULL)",
        {voter.name.c_str(), voter.role.c_str(), voter.token_sha256.c_str(), created.c_str()});
    return true;
  });
}

void PostgresVoteStore::note_anonymous_voter(const std::string& name, TimePoint at) {
  const std::string created = std::to_string(seconds(at));
  write_transaction([&] {
    run("INSERT INTO voters VALUES ($1, 'anonymous', NULL, $2, NULL) ON CONFLICT (name) DO NOTHING",
        {name.c_str(), created.c_str()});
    return true;
  });
}

std::vector<Voter> PostgresVoteStore::voters(bool anonymous) {
  Result found =
      run(fmt::format("{}{}ORDER BY name", kVoterColumns, anonymous ? "" : "WHERE token_sha256 IS NOT NULL "));
  std::vector<Voter> voters;
  for (int row = 0; row < PQntuples(found.get()); ++row) voters.push_back(voter_from_row(found.get(), row, 0));
  return voters;
}

std::int64_t PostgresVoteStore::anonymous_voters() {
  return integer(run("SELECT COUNT(*) FROM voters WHERE role = 'anonymous'").get(), 0, 0);
}

bool PostgresVoteStore::revoke_voter(const std::string& name, TimePoint at) {
  const std::string revoked = std::to_string(seconds(at));
  Result result =
      run("UPDATE voters SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL", {name.c_str(), revoked.c_str()});
  return std::string_view(PQcmdTuples(result.get())) != "0";
}

std::vector<VoteStore::VoteOf> PostgresVoteStore::votes_on(const std::string& indicator) {
  Result found = run(R"sql(
    SELECT votes.indicator, verdict, voter, cast_at, type, name, role, token_sha256, created_at, revoked_at
    FROM votes LEFT JOIN voters ON voters.name = votes.voter WHERE indicator = $1 ORDER BY cast_at DESC, voter
  )sql",
                     {indicator.c_str()});
  std::vector<VoteOf> votes;
  for (int row = 0; row < PQntuples(found.get()); ++row) {
    VoteOf vote;
    vote.vote.indicator = text(found.get(), row, 0);
    vote.vote.verdict = integer(found.get(), row, 1) == 0 ? Verdict::kMalicious : Verdict::kNonMalicious;
    vote.vote.voter = text(found.get(), row, 2);
    vote.vote.cast_at = time_from(integer(found.get(), row, 3));
    vote.vote.type = parse_indicator_type(text(found.get(), row, 4)).value_or(IndicatorType::kDomain);
    if (!null(found.get(), row, 5)) vote.voter = voter_from_row(found.get(), row, 5);
    votes.push_back(std::move(vote));
  }
  return votes;
}

void PostgresVoteStore::for_each_vote(const std::function<void(const Vote&)>& visit) {
  transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&] {
    Vote vote;
    stream("SELECT indicator, verdict, voter, cast_at, type FROM votes ORDER BY indicator, voter", {},
           [&](const PGresult* rows, int row) {
             vote.indicator = text(rows, row, 0);
             vote.verdict = integer(rows, row, 1) == 0 ? Verdict::kMalicious : Verdict::kNonMalicious;
             vote.voter = text(rows, row, 2);
             vote.cast_at = time_from(integer(rows, row, 3));
             vote.type = parse_indicator_type(text(rows, row, 4)).value_or(IndicatorType::kDomain);
             visit(vote);
           });
    return true;
  });
}

std::int64_t PostgresVoteStore::count_votes() {
  return integer(run("SELECT COUNT(*) FROM votes").get(), 0, 0);
}

std::vector<Weighing> PostgresVoteStore::weigh_one(const std::string& indicator, TimePoint since, TimePoint until,
                                                   const Trust& trust) {
  const std::string from = std::to_string(seconds(since));
  const std::string to = std::to_string(seconds(until));
  Result rows = run(R"sql(
    SELECT verdict, name, role, token_sha256, created_at, revoked_at FROM votes JOIN voters ON voters.name = votes.voter
    WHERE indicator = $1 AND cast_at BETWEEN $2 AND $3
  )sql",
                    {indicator.c_str(), from.c_str(), to.c_str()});
  std::vector<std::pair<int, Voter>> votes;
  for (int row = 0; row < PQntuples(rows.get()); ++row) {
    votes.emplace_back(static_cast<int>(integer(rows.get(), row, 0)), voter_from_row(rows.get(), row, 1));
  }
  return weigh_indicator(indicator, votes, trust, until);
}

std::vector<Weighing> PostgresVoteStore::weigh(TimePoint since, TimePoint until, const Trust& trust) {
  const std::string cutoff = std::to_string(seconds(until - trust.probation));
  Result candidates = run(fmt::format("{0}WHERE created_at > $1 UNION {0}WHERE revoked_at IS NOT NULL UNION {0}WHERE "
                                      "role IN ('trusted', 'moderator')",
                                      kVoterColumns),
                          {cutoff.c_str()});
  std::vector<std::string> names;
  std::vector<std::string> weights;
  for (int row = 0; row < PQntuples(candidates.get()); ++row) {
    Voter voter = voter_from_row(candidates.get(), row, 0);
    if (std::optional<std::int64_t> weight = unusual_weight(voter, trust, until)) {
      names.push_back(std::move(voter.name));
      weights.push_back(std::to_string(*weight));
    }
  }
  std::vector<Weighing> weighings;
  if (names.empty()) return weighings;
  const std::string from = std::to_string(seconds(since));
  const std::string to = std::to_string(seconds(until));
  const std::string voter_list = array_literal(names);
  const std::string weight_list = array_literal(weights);
  Result sums = run(R"sql(
    SELECT votes.indicator,
           COUNT(*) FILTER (WHERE verdict = 0), COUNT(*) FILTER (WHERE verdict = 0 AND weight > 0),
           COALESCE(SUM(weight) FILTER (WHERE verdict = 0), 0),
           COUNT(*) FILTER (WHERE verdict = 1), COUNT(*) FILTER (WHERE verdict = 1 AND weight > 0),
           COALESCE(SUM(weight) FILTER (WHERE verdict = 1), 0)
    FROM votes JOIN unnest($3::text[], $4::bigint[]) AS weighed (voter, weight) ON weighed.voter = votes.voter
    WHERE cast_at BETWEEN $1 AND $2 GROUP BY votes.indicator ORDER BY votes.indicator
  )sql",
                    {from.c_str(), to.c_str(), voter_list.c_str(), weight_list.c_str()});
  for (int row = 0; row < PQntuples(sums.get()); ++row) {
    Weighing weighing;
    weighing.indicator = text(sums.get(), row, 0);
    for (int side = 0; side < 2; ++side) {
      weighing.votes[static_cast<std::size_t>(side)] = integer(sums.get(), row, 1 + 3 * side);
      weighing.counted[static_cast<std::size_t>(side)] = integer(sums.get(), row, 2 + 3 * side);
      weighing.weight[static_cast<std::size_t>(side)] = integer(sums.get(), row, 3 + 3 * side);
    }
    weighings.push_back(std::move(weighing));
  }
  return weighings;
}

void PostgresVoteStore::for_each_tally(TimePoint since, TimePoint until, const Trust& trust,
                                       const std::function<void(const Tally&)>& visit) {
  transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&] {
    WeighedVisit weighed(weigh(since, until, trust), visit);
    const std::string from = std::to_string(seconds(since));
    const std::string to = std::to_string(seconds(until));
    stream(fmt::format("{} WHERE cast_at BETWEEN $1 AND $2 GROUP BY indicator ORDER BY indicator", kTallyColumns),
           {from.c_str(), to.c_str()}, [&](const PGresult* rows, int row) {
             Tally tally = tally_from_row(rows, row);
             weighed(tally);
           });
    return true;
  });
}

std::optional<Tally> PostgresVoteStore::tally(const std::string& indicator, TimePoint since, TimePoint until,
                                              const Trust& trust) {
  std::optional<Tally> found;
  transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&] {
    std::vector<Weighing> weighings = weigh_one(indicator, since, until, trust);
    const std::string from = std::to_string(seconds(since));
    const std::string to = std::to_string(seconds(until));
    Result row =
        run(fmt::format("{} WHERE indicator = $1 AND cast_at BETWEEN $2 AND $3 GROUP BY indicator", kTallyColumns),
            {indicator.c_str(), from.c_str(), to.c_str()});
    if (PQntuples(row.get()) == 0) return true;
    found = tally_from_row(row.get(), 0);
    for (const Weighing& weighing : weighings) weighing.apply(*found);
    return true;
  });
  return found;
}

VoteStore::LateVotes PostgresVoteStore::count_votes_after(TimePoint until, TimePoint now) {
  const std::string after = std::to_string(seconds(until));
  const std::string at = std::to_string(seconds(now));
  Result counts =
      run("SELECT COUNT(*) FILTER (WHERE cast_at <= $2), COUNT(*) FILTER (WHERE cast_at > $2) FROM votes WHERE cast_at "
          "> $1",
          {after.c_str(), at.c_str()});
  return {integer(counts.get(), 0, 0), integer(counts.get(), 0, 1)};
}

std::int64_t PostgresVoteStore::start_run(TimePoint since) {
  std::int64_t generation = 0;
  const std::string horizon = horizon_of(since);
  write_transaction([&] {
    generation = integer(run("SELECT crowdfeed_start_run($1)", {horizon.c_str()}).get(), 0, 0);
    return true;
  });
  return generation;
}

std::string PostgresVoteStore::instance() {
  return text(run("SELECT instance FROM tally_state").get(), 0, 0);
}

bool PostgresVoteStore::changed_since(std::int64_t seen, TimePoint seen_until, TimePoint until, const Trust& trust) {
  if (integer(run("SELECT changed FROM tally_state").get(), 0, 0) > seen) return true;
  if (until == seen_until) return false;
  const TimePoint earlier = std::min(seen_until, until);
  const TimePoint later = std::max(seen_until, until);
  const std::string from = std::to_string(seconds(earlier));
  const std::string to = std::to_string(seconds(later));
  const std::string probation_from = std::to_string(seconds(earlier - trust.probation));
  const std::string probation_to = std::to_string(seconds(later - trust.probation));
  Result between = run(R"sql(
    SELECT EXISTS (SELECT 1 FROM votes WHERE cast_at > $1 AND cast_at <= $2)
        OR EXISTS (SELECT 1 FROM voters WHERE created_at > $3 AND created_at <= $4)
        OR EXISTS (SELECT 1 FROM voters WHERE revoked_at > $1 AND revoked_at <= $2)
  )sql",
                       {from.c_str(), to.c_str(), probation_from.c_str(), probation_to.c_str()});
  return text(between.get(), 0, 0) == "t";
}

void PostgresVoteStore::for_each_kept_tally(TimePoint since, TimePoint until, const Trust& trust,
                                            const std::function<void(const Tally&)>& visit) {
  const std::string horizon = horizon_of(since);
  bool moved = false;
  // One snapshot for every read, whatever the vote servers write meanwhile.
  transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&] {
    // Another configuration's run may have moved the horizon since
    // start_run: then the votes are counted, as without kept tallies.
    if (text(run("SELECT horizon FROM tally_state").get(), 0, 0) != horizon) {
      moved = true;
      return true;
    }
    WeighedVisit weighed(weigh(since, until, trust), visit);
    // The indicators with votes after the hour slot are counted from their
    // votes; the others are their kept tallies.
    const std::string after = std::to_string(seconds(until));
    const std::string from = std::to_string(seconds(since));
    Result recent_rows = run("SELECT DISTINCT indicator FROM votes WHERE cast_at > $1 ORDER BY 1", {after.c_str()});
    std::vector<std::string> recent;
    for (int row = 0; row < PQntuples(recent_rows.get()); ++row) recent.push_back(text(recent_rows.get(), row, 0));
    recent_rows.reset();
    std::vector<Tally> exact;
    if (!recent.empty()) {
      const std::string list = array_literal(recent);
      Result counted = run(fmt::format("{} WHERE indicator = ANY ($1::text[]) AND cast_at BETWEEN $2 AND $3 GROUP BY "
                                       "indicator ORDER BY indicator",
                                       kTallyColumns),
                           {list.c_str(), from.c_str(), after.c_str()});
      for (int row = 0; row < PQntuples(counted.get()); ++row) exact.push_back(tally_from_row(counted.get(), row));
    }
    auto next_recent = recent.begin();
    auto next_exact = exact.begin();
    stream(
        "SELECT indicator, malicious, non_malicious, first_cast_at, last_cast_at, type FROM tallies ORDER BY "
        "indicator",
        {}, [&](const PGresult* rows, int row) {
          Tally tally = tally_from_row(rows, row);
          while (next_recent != recent.end() && *next_recent < tally.indicator) ++next_recent;
          if (next_recent != recent.end() && *next_recent == tally.indicator) {
            while (next_exact != exact.end() && next_exact->indicator < tally.indicator) ++next_exact;
            if (next_exact != exact.end() && next_exact->indicator == tally.indicator) weighed(*next_exact);
            return;
          }
          weighed(tally);
        });
    return true;
  });
  if (moved) for_each_tally(since, until, trust, visit);
}

std::int64_t PostgresVoteStore::recount() {
  std::int64_t count = 0;
  write_transaction([&] {
    run("DELETE FROM tallies");
    run(R"sql(
      INSERT INTO tallies
        SELECT indicator, MIN(type), COUNT(*) FILTER (WHERE verdict = 0), COUNT(*) FILTER (WHERE verdict = 1),
               MIN(cast_at), MAX(cast_at), (SELECT generation FROM tally_state)
        FROM votes WHERE cast_at >= (SELECT horizon FROM tally_state) GROUP BY indicator
    )sql");
    run("UPDATE tally_state SET changed = generation");
    count = integer(run("SELECT COUNT(*) FROM tallies").get(), 0, 0);
    return true;
  });
  return count;
}

std::vector<std::string> PostgresVoteStore::compare_with_recount(std::size_t limit, std::int64_t& total) {
  std::vector<std::string> differences;
  total = 0;
  transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [&] {
    // A full outer join of the kept tallies and a recount since the same
    // horizon, in indicator order.
    stream(
        R"sql(
      WITH kept AS (
        SELECT indicator, type, malicious, non_malicious, first_cast_at, last_cast_at FROM tallies
        WHERE malicious <> 0 OR non_malicious <> 0),
      counted AS (
        SELECT indicator, MIN(type) AS type, COUNT(*) FILTER (WHERE verdict = 0) AS malicious,
               COUNT(*) FILTER (WHERE verdict = 1) AS non_malicious, MIN(cast_at) AS first_cast_at,
               MAX(cast_at) AS last_cast_at
        FROM votes WHERE cast_at >= (SELECT horizon FROM tally_state) GROUP BY indicator)
      SELECT COALESCE(counted.indicator, kept.indicator), kept.type, kept.malicious, kept.non_malicious,
             kept.first_cast_at, kept.last_cast_at, counted.type, counted.malicious, counted.non_malicious,
             counted.first_cast_at, counted.last_cast_at
        FROM counted FULL JOIN kept ON kept.indicator = counted.indicator
        WHERE kept.indicator IS NULL OR counted.indicator IS NULL
           OR (kept.type, kept.malicious, kept.non_malicious, kept.first_cast_at, kept.last_cast_at)
              IS DISTINCT FROM
              (counted.type, counted.malicious, counted.non_malicious, counted.first_cast_at, counted.last_cast_at)
      ORDER BY 1
    )sql",
        {}, [&](const PGresult* rows, int row) {
          if (static_cast<std::size_t>(total++) >= limit) return;
          auto counts = [&](int first) -> std::optional<CountedTally> {
            if (null(rows, row, first)) return std::nullopt;
            auto time = [&](int column) -> std::optional<TimePoint> {
              if (null(rows, row, column)) return std::nullopt;
              return time_from(integer(rows, row, column));
            };
            return CountedTally{text(rows, row, first), integer(rows, row, first + 1), integer(rows, row, first + 2),
                                time(first + 3), time(first + 4)};
          };
          differences.push_back(describe_recount_difference(text(rows, row, 0), counts(1), counts(6)));
        });
    return true;
  });
  return differences;
}

void PostgresVoteStore::lock_publisher() {
  Result taken = run(fmt::format("SELECT pg_try_advisory_lock({})", kPublisherLock));
  if (text(taken.get(), 0, 0) != "t") {
    throw Error(
        fmt::format("another crowdfeed run publishes from the votes database ({}): it holds the publishing "
                    "lock (PostgreSQL advisory lock {}); not starting a second publisher",
                    describe(), kPublisherLock));
  }
}

}  // namespace crowdfeed

namespace crowdfeed {

void PostgresVoteStore::confirm_publisher() {
  try {
    Result held = run(fmt::format(
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND "
        "objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = {}",
        kPublisherLock));
    if (integer(held.get(), 0, 0) > 0) return;
  } catch (const Error& error) {
    throw Error(
        fmt::format("lost the publishing lock on the votes database ({}): {}; nothing was published, the "
                    "next run publishes",
                    describe(), error.what()));
  }
  throw Error(fmt::format("the publishing lock on the votes database ({}) is no longer held; nothing was published",
                          describe()));
}

}  // namespace crowdfeed
