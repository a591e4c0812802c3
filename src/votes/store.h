// The embedded votes store: crowdfeed's own SQLite schema, one row per voter
// per indicator, in WAL mode so a website can insert votes while the job reads.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "votes/tally.h"
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

  // Runs `body` inside one write transaction, committed when `body` returns
  // true and rolled back when it returns false or throws.
  bool write_transaction(const std::function<bool()>& body);

  // Calls `visit` for each indicator's tally of the votes cast in [since, until],
  // in indicator order, all read from one consistent snapshot.
  void for_each_tally(TimePoint since, TimePoint until, const std::function<void(const Tally&)>& visit);

  std::optional<Tally> tally(const std::string& indicator, TimePoint since, TimePoint until);

  // The votes cast after the hour slot `until`: those up to `now` wait for
  // the next hour; those after `now` are in the future (clock skew on the
  // website) and ignored.
  struct LateVotes {
    std::int64_t next_hour = 0;
    std::int64_t future = 0;
  };
  LateVotes count_votes_after(TimePoint until, TimePoint now);

  static constexpr int kSchemaVersion = 2;

 private:
  VoteStore(std::filesystem::path path, std::unique_ptr<SQLite::Database> database);
  [[noreturn]] void fail(const SQLite::Exception& error) const;

  std::filesystem::path path_;
  std::unique_ptr<SQLite::Database> database_;
  std::unique_ptr<SQLite::Statement> insert_;
};

}  // namespace crowdfeed
