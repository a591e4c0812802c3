// Where votes live: the interface every votes store implements. There are
// two (see votes/stores.h): SQLite, embedded, the default (sqlite_store),
// and PostgreSQL, for sites whose vote servers run on several hosts
// (postgres_store). Both keep one row per voter per indicator and the same
// kept tallies, so every command behaves the same on either.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "votes/disputes.h"
#include "votes/tally.h"
#include "votes/trust.h"
#include "votes/vote.h"

namespace crowdfeed {

class VoteStore {
 public:
  virtual ~VoteStore() = default;

  // What the store is, for messages: a file's path, or a server's host,
  // port and database (never a password).
  virtual std::string describe() const = 0;

  // Records a vote. A voter's vote replaces their earlier vote on the same
  // indicator; an older vote does not replace a newer one. Returns false when
  // the vote changed nothing (inside bulk_write_transaction, a store may
  // only know at the end: see BulkResult).
  virtual bool add(const Vote& vote) = 0;

  // The voters of the vote API (see votes/trust.h). A name is the voter id
  // of its votes; the store keeps the SHA-256 of each token, never the token.
  // Adds a voter; an Error when the name is taken (revoked or not).
  virtual void add_voter(const Voter& voter) = 0;
  // Records the anonymous voter `name` as first seen at `at`, unless it is
  // known already: the policy's probation starts then.
  virtual void note_anonymous_voter(const std::string& name, TimePoint at) = 0;
  // Every voter, revoked ones too, by name; anonymous ones only when asked.
  virtual std::vector<Voter> voters(bool anonymous = false) = 0;
  virtual std::int64_t anonymous_voters() = 0;
  // Revokes a voter from `at` on (its token stops working, its votes stop
  // counting); false when no such voter is unrevoked.
  virtual bool revoke_voter(const std::string& name, TimePoint at) = 0;

  // One vote on an indicator, with its voter when the voters table knows it.
  struct VoteOf {
    Vote vote;
    std::optional<Voter> voter;
  };
  // Every vote on `indicator`, newest first.
  virtual std::vector<VoteOf> votes_on(const std::string& indicator) = 0;
  // Every vote, in key order (indicator, voter), for copying a store.
  virtual void for_each_vote(const std::function<void(const Vote&)>& visit) = 0;
  virtual std::int64_t count_votes() = 0;

  // Runs `body` inside one write transaction, committed when `body` returns
  // true and rolled back when it returns false or throws.
  virtual bool write_transaction(const std::function<bool()>& body) = 0;

  // The same for a bulk import: the votes added through add() are counted
  // into the kept tallies once, at the end, before the transaction commits;
  // no other writer can write meanwhile.
  struct BulkResult {
    bool committed = false;
    std::int64_t applied = 0;  // the votes that changed the store (new or newer)
  };
  virtual BulkResult bulk_write_transaction(const std::function<bool()>& body) = 0;

  // Calls `visit` for each indicator's tally of the votes cast in [since, until],
  // in indicator order (bytewise), all read from one consistent snapshot,
  // each vote weighed by its voter's standing at `until` under `trust`.
  virtual void for_each_tally(TimePoint since, TimePoint until, const Trust& trust,
                              const std::function<void(const Tally&)>& visit) = 0;

  virtual std::optional<Tally> tally(const std::string& indicator, TimePoint since, TimePoint until,
                                     const Trust& trust) = 0;

  // The votes cast after the hour slot `until`: those up to `now` wait for
  // the next hour; those after `now` are in the future (clock skew on the
  // website) and ignored.
  struct LateVotes {
    std::int64_t next_hour = 0;
    std::int64_t future = 0;
  };
  virtual LateVotes count_votes_after(TimePoint until, TimePoint now) = 0;

  // The kept tallies: one row per indicator, maintained by triggers on the
  // votes table, whoever writes it, over the votes cast since a horizon.

  // Readies the kept tallies for a run whose window starts at `since`:
  // moves the counted votes' start there (taking out the votes that aged
  // out, or adding those a longer window takes back in) and opens a new
  // generation. Returns the generation closed: a change after this call is
  // stamped with a later one.
  virtual std::int64_t start_run(TimePoint since) = 0;

  // What tells this database from another (a restored or re-created one
  // starts its generations again).
  virtual std::string instance() = 0;

  // Whether anything a run at `until` counts may differ from what the run
  // that closed generation `seen` at `seen_until` counted: a vote or a voter
  // written, changed or deleted, or the window moved over votes, since;
  // votes cast, or voters leaving probation or revoked, between the two
  // hour slots.
  virtual bool changed_since(std::int64_t seen, TimePoint seen_until, TimePoint until, const Trust& trust) = 0;

  // Like for_each_tally, from the kept tallies: valid after start_run(since).
  // The few indicators with votes after `until` are counted from their votes.
  virtual void for_each_kept_tally(TimePoint since, TimePoint until, const Trust& trust,
                                   const std::function<void(const Tally&)>& visit) = 0;

  // Rebuilds the kept tallies from the votes, in one transaction; returns
  // the number of indicators.
  virtual std::int64_t recount() = 0;

  // The indicators whose kept tally differs from a recount of their votes,
  // each with a description of the difference, at most `limit` of them;
  // `total` receives how many differ.
  virtual std::vector<std::string> compare_with_recount(std::size_t limit, std::int64_t& total) = 0;

  // Disputes and their moderation (see votes/disputes.h).

  // Files `dispute` (its id, status and decision are the store's to set)
  // and logs it; returns its id, or nullopt when its indicator has
  // `max_open` open disputes already, or one by the same filer.
  virtual std::optional<std::int64_t> file_dispute(const Dispute& dispute, std::int64_t max_open) = 0;
  virtual std::optional<Dispute> dispute(std::int64_t id) = 0;
  // The disputes the query selects, newest first.
  virtual std::vector<Dispute> disputes(const DisputeQuery& query) = 0;
  // Decides an open dispute in one transaction with what follows from it
  // (for a false positive the allow-list entry; for a false negative the
  // moderator's vote, and the end of the indicator's own allow-list entry)
  // and its log line; false when no open dispute has that id.
  virtual bool decide_dispute(const DisputeDecision& decision) = 0;
  // The allow-list's entries in force at `at` (added by then, not expired),
  // by indicator.
  virtual std::vector<AllowEntry> allowed(TimePoint at) = 0;
  // Records that the feeds published as `version` at `at` reflect an
  // accepted dispute's outcome, and logs it.
  virtual void mark_corrected(std::int64_t id, const std::string& version, TimePoint at) = 0;
  // The audit log after `after`, oldest first, at most `limit` lines.
  virtual std::vector<AuditEvent> audit_log(std::int64_t after, std::size_t limit) = 0;
  virtual DisputeCounts dispute_counts() = 0;

  // Makes this the only publishing run on the store, across hosts, until
  // the store is closed; an Error when another run holds it. A store on
  // one machine has nothing to add to the run's local lock.
  virtual void lock_publisher() {}
  // An Error unless this store still holds the lock lock_publisher() took
  // (a connection lost since has lost it).
  virtual void confirm_publisher() {}
};

}  // namespace crowdfeed
