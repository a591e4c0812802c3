// The embedded votes store: crowdfeed's own SQLite schema, one row per voter
// per indicator, in WAL mode so a website can insert votes while the job reads.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "votes/tally.h"
#include "votes/trust.h"
#include "votes/vote.h"

namespace crowdfeed {

class VoteStore {
 public:
  // Opens the store for recording votes, creating the file and schema, or
  // migrating an older schema, as needed.
  static VoteStore open_for_writing(const std::filesystem::path& path, int busy_timeout_ms);
  // Opens an existing store; a missing file or a foreign database is an Error,
  // never an empty store (an empty store would empty the published feeds).
  static VoteStore open_for_reading(const std::filesystem::path& path, int busy_timeout_ms);

  // Records a vote. A voter's vote replaces their earlier vote on the same
  // indicator; an older vote does not replace a newer one. Returns false when
  // the vote changed nothing.
  bool add(const Vote& vote);

  // The voters of the vote API (see votes/trust.h). A name is the voter id
  // of its votes; the store keeps the SHA-256 of each token, never the token.
  // Adds a voter; an Error when the name is taken (revoked or not).
  void add_voter(const Voter& voter);
  // Records the anonymous voter `name` as first seen at `at`, unless it is
  // known already: the policy's probation starts then.
  void note_anonymous_voter(const std::string& name, TimePoint at);
  // Every voter, revoked ones too, by name; anonymous ones only when asked.
  std::vector<Voter> voters(bool anonymous = false);
  std::int64_t anonymous_voters();
  // Revokes a voter from `at` on (its token stops working, its votes stop
  // counting); false when no such voter is unrevoked.
  bool revoke_voter(const std::string& name, TimePoint at);

  // One vote on an indicator, with its voter when the voters table knows it.
  struct VoteOf {
    Vote vote;
    std::optional<Voter> voter;
  };
  // Every vote on `indicator`, newest first.
  std::vector<VoteOf> votes_on(const std::string& indicator);

  // Runs `body` inside one write transaction, committed when `body` returns
  // true and rolled back when it returns false or throws.
  bool write_transaction(const std::function<bool()>& body);

  // The same for a bulk import: the kept tallies' triggers are set aside
  // inside the transaction (no other connection can write meanwhile), and
  // the indicators the votes added through add() touch are recounted once,
  // before the triggers return and the transaction commits.
  bool bulk_write_transaction(const std::function<bool()>& body);

  // Calls `visit` for each indicator's tally of the votes cast in [since, until],
  // in indicator order, all read from one consistent snapshot, each vote
  // weighed by its voter's standing at `until` under `trust`.
  void for_each_tally(TimePoint since, TimePoint until, const Trust& trust,
                      const std::function<void(const Tally&)>& visit);

  std::optional<Tally> tally(const std::string& indicator, TimePoint since, TimePoint until, const Trust& trust);

  // The votes cast after the hour slot `until`: those up to `now` wait for
  // the next hour; those after `now` are in the future (clock skew on the
  // website) and ignored.
  struct LateVotes {
    std::int64_t next_hour = 0;
    std::int64_t future = 0;
  };
  LateVotes count_votes_after(TimePoint until, TimePoint now);

  // The kept tallies (see migration 3 in store.cpp): one row per indicator,
  // maintained by triggers on the votes table, whoever writes it.

  // Readies the kept tallies for a run whose window starts at `since`:
  // moves the counted votes' start there (subtracting the votes that aged
  // out, or adding those a longer window takes back in) and opens a new
  // generation. Returns the generation closed: a change after this call is
  // stamped with a later one.
  std::int64_t start_run(TimePoint since);

  // What tells this database from another (a restored or re-created one
  // starts its generations again).
  std::string instance();

  // Whether anything a run at `until` counts may differ from what the run
  // that closed generation `seen` at `seen_until` counted: a vote or a voter
  // written, changed or deleted, or the window moved over votes, since;
  // votes cast, or voters leaving probation or revoked, between the two
  // hour slots.
  bool changed_since(std::int64_t seen, TimePoint seen_until, TimePoint until, const Trust& trust);

  // Like for_each_tally, from the kept tallies: valid after start_run(since).
  // The few indicators with votes after `until` are counted from their votes.
  void for_each_kept_tally(TimePoint since, TimePoint until, const Trust& trust,
                           const std::function<void(const Tally&)>& visit);

  // Rebuilds the kept tallies from the votes, in one transaction; returns
  // the number of indicators.
  std::int64_t recount();

  // The indicators whose kept tally differs from a recount of their votes,
  // each with a description of the difference, at most `limit` of them;
  // `total` receives how many differ.
  std::vector<std::string> compare_with_recount(std::size_t limit, std::int64_t& total);

  static constexpr int kSchemaVersion = 5;

 private:
  VoteStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> database);
  [[noreturn]] void fail(const SQLite::Exception& error) const;

  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> database_;
  std::unique_ptr<SQLite::Statement> insert_;
  // Moves the touched indicators held in memory to temp.touched.
  void save_touched();

  // In a bulk transaction: the indicators add() has touched, to recount,
  // held in memory up to kTouchedInMemory at a time.
  static constexpr std::size_t kTouchedInMemory = 65536;
  std::optional<std::vector<std::string>> bulk_touched_;
};

}  // namespace crowdfeed
