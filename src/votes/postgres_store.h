// The votes store on a PostgreSQL server, for sites whose vote servers run
// on several hosts: the same schema as the SQLite store (one row per voter
// per indicator, the kept tallies maintained by triggers, in PL/pgSQL), read
// by the hourly job in one REPEATABLE READ snapshot, written in bulk through
// COPY, and one publishing run at a time across hosts (an advisory lock).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "votes/store.h"
#include "votes/weighing.h"

namespace crowdfeed {

struct PostgresSettings {
  // A libpq connection string or URI; empty: libpq's environment (PGHOST,
  // PGDATABASE, PGSERVICE...). A password in it is refused: PGPASSWORD or
  // a .pgpass file give it.
  std::string url;
  int connect_timeout_seconds = 10;
  int statement_timeout_seconds = 600;  // 0: none
};

class PostgresVoteStore final : public VoteStore {
 public:
  // Connects and creates or migrates the schema as needed (one process at
  // a time, under an advisory lock); a read-only standby is an Error.
  static PostgresVoteStore open_for_writing(const PostgresSettings& settings);
  // Connects to a database that holds the current schema, or an Error.
  static PostgresVoteStore open_for_reading(const PostgresSettings& settings);

  std::string describe() const override;
  bool add(const Vote& vote) override;
  void add_voter(const Voter& voter) override;
  void note_anonymous_voter(const std::string& name, TimePoint at) override;
  std::vector<Voter> voters(bool anonymous = false) override;
  std::int64_t anonymous_voters() override;
  bool revoke_voter(const std::string& name, TimePoint at) override;
  std::vector<VoteOf> votes_on(const std::string& indicator) override;
  void for_each_vote(const std::function<void(const Vote&)>& visit) override;
  std::int64_t count_votes() override;
  bool write_transaction(const std::function<bool()>& body) override;
  // The votes go through COPY into a temporary table and join the votes
  // table in one statement, whose trigger recounts the touched indicators.
  BulkResult bulk_write_transaction(const std::function<bool()>& body) override;
  void for_each_tally(TimePoint since, TimePoint until, const Trust& trust,
                      const std::function<void(const Tally&)>& visit) override;
  std::optional<Tally> tally(const std::string& indicator, TimePoint since, TimePoint until,
                             const Trust& trust) override;
  LateVotes count_votes_after(TimePoint until, TimePoint now) override;
  std::int64_t start_run(TimePoint since) override;
  std::string instance() override;
  bool changed_since(std::int64_t seen, TimePoint seen_until, TimePoint until, const Trust& trust) override;
  void for_each_kept_tally(TimePoint since, TimePoint until, const Trust& trust,
                           const std::function<void(const Tally&)>& visit) override;
  std::int64_t recount() override;
  std::vector<std::string> compare_with_recount(std::size_t limit, std::int64_t& total) override;
  std::optional<std::int64_t> file_dispute(const Dispute& dispute, std::int64_t max_open) override;
  std::optional<Dispute> dispute(std::int64_t id) override;
  std::vector<Dispute> disputes(const DisputeQuery& query) override;
  bool decide_dispute(const DisputeDecision& decision) override;
  std::vector<AllowEntry> allowed(TimePoint at) override;
  void mark_corrected(std::int64_t id, const std::string& version, TimePoint at) override;
  std::vector<AuditEvent> audit_log(std::int64_t after, std::size_t limit) override;
  DisputeCounts dispute_counts() override;
  void lock_publisher() override;
  void confirm_publisher() override;

  static constexpr int kSchemaVersion = 4;

  struct ConnectionCloser {
    void operator()(PGconn* connection) const { PQfinish(connection); }
  };
  struct ResultClearer {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  using Result = std::unique_ptr<PGresult, ResultClearer>;

 private:
  PostgresVoteStore(std::unique_ptr<PGconn, ConnectionCloser> connection, std::string description);
  static PostgresVoteStore connect(const PostgresSettings& settings);

  // Runs `sql` with text parameters (nullptr: NULL); an Error saying what
  // failed and why (a lost connection, a timeout, a read-only server).
  Result run(const std::string& sql, const std::vector<const char*>& parameters = {});
  [[noreturn]] void fail(const PGresult* result, std::string_view doing) const;
  // A transaction: BEGIN with `mode`, then `body`, then COMMIT, or ROLLBACK
  // when `body` returns false or throws.
  bool transaction(const char* mode, const std::function<bool()>& body);
  // Calls `row` for every row of `sql`, fetched through a cursor a batch at
  // a time (inside the caller's transaction).
  void stream(const std::string& sql, const std::vector<const char*>& parameters,
              const std::function<void(const PGresult*, int)>& row);
  // See weigh() and weigh_one() in sqlite_store.cpp.
  std::vector<Weighing> weigh(TimePoint since, TimePoint until, const Trust& trust);
  std::vector<Weighing> weigh_one(const std::string& indicator, TimePoint since, TimePoint until, const Trust& trust);
  void flush_copy();

  std::unique_ptr<PGconn, ConnectionCloser> connection_;
  std::string description_;
  bool prepared_ = false;
  // In a bulk transaction: the COPY data not yet sent, and the row count.
  bool copying_ = false;
  std::string copy_buffer_;
  std::int64_t copied_ = 0;
};

}  // namespace crowdfeed
