// The embedded votes store, the default: crowdfeed's own SQLite schema, one
// row per voter per indicator, in WAL mode so a website can insert votes
// while the job reads.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "votes/store.h"

namespace crowdfeed {

class SqliteVoteStore final : public VoteStore {
 public:
  // Opens the store for recording votes, creating the file and schema, or
  // migrating an older schema, as needed.
  static SqliteVoteStore open_for_writing(const std::filesystem::path& path, int busy_timeout_ms);
  // Opens an existing store; a missing file or a foreign database is an Error,
  // never an empty store (an empty store would empty the published feeds).
  static SqliteVoteStore open_for_reading(const std::filesystem::path& path, int busy_timeout_ms);

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
  // The kept tallies' triggers are set aside inside the transaction, and
  // the indicators the votes touch are recounted once, before the triggers
  // return and the transaction commits.
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

  static constexpr int kSchemaVersion = 8;

  // For a process whose threads each use a store of their own (the vote
  // server): SQLite then keeps no global memory statistics, whose mutex
  // every allocation of every connection would take. Must come before the
  // process opens its first SQLite database; does nothing after.
  static void tune_for_threads();

 private:
  SqliteVoteStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> database);
  // Runs `body`, turning an exception of SQLite into crowdfeed's Error that
  // names the database file and what was being done (`doing`).
  template <typename Body>
  auto guarded(std::string_view doing, Body&& body) const -> decltype(body()) {
    try {
      return body();
    } catch (const SQLite::Exception& error) {
      fail(error, doing);
    }
  }
  [[noreturn]] void fail(const SQLite::Exception& error, std::string_view doing) const;

  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> database_;
  std::unique_ptr<SQLite::Statement> insert_;

  // A statement of the read path, prepared once per connection (a page of
  // the vote server reads several): reset when the returned handle goes,
  // so that no read transaction stays open.
  class Prepared {
   public:
    explicit Prepared(SQLite::Statement& statement) : statement_(statement) {}
    ~Prepared() {
      try {
        statement_.reset();
        statement_.clearBindings();
      } catch (const SQLite::Exception&) {
        // A reset reports the step's error again: the step reported it already.
      }
    }
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;
    SQLite::Statement& operator*() const { return statement_; }
    SQLite::Statement* operator->() const { return &statement_; }

   private:
    SQLite::Statement& statement_;
  };
  Prepared prepared(const std::string& sql);
  std::map<std::string, std::unique_ptr<SQLite::Statement>, std::less<>> statements_;
  // Moves the touched indicators held in memory to temp.touched.
  void save_touched();

  // In a bulk transaction: the indicators add() has touched, to recount,
  // held in memory up to kTouchedInMemory at a time.
  static constexpr std::size_t kTouchedInMemory = 65536;
  std::optional<std::vector<std::string>> bulk_touched_;
  std::int64_t bulk_applied_ = 0;
};

}  // namespace crowdfeed
