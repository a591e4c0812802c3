// Where the hourly job reads its tallies from: crowdfeed's own votes store,
// or a site's own vote table through a configured SQL query.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "votes/store.h"
#include "votes/tally.h"
#include "votes/vote.h"

namespace crowdfeed {

// A run counts the votes cast up to the start of its hour slot, so that
// every run in the same hour publishes the same feeds.
struct TallyWindow {
  TimePoint since;  // votes cast before this are too old to count
  TimePoint until;  // the hour slot: later votes wait for the next hour
  TimePoint now;    // the run time: votes cast after it are in the future
};

// The votes a run at `run_time` counts, from the policy's max_age_days.
TallyWindow tally_window(const Policy& policy, TimePoint run_time);

struct TallyStats {
  std::int64_t invalid_indicators = 0;  // from an external query; skipped
  std::int64_t next_hour_votes = 0;     // cast in this hour; the next run counts them
  std::int64_t future_votes = 0;        // cast after the run time; ignored
};

// Where a publishing run's tallies stand against the last published run:
// the generation of crowdfeed's kept tallies that run closed, and its hour.
struct TallyMark {
  std::string database;  // VoteStore::instance() of the database it counted
  std::int64_t generation = 0;
  TimePoint until{};
};

struct PreparedTallies {
  TallyMark mark;       // what this run closes
  bool changed = true;  // whether a tally in the window may differ from `last`'s
  TallyStats late;      // the votes cast after the hour slot
};

// Readies crowdfeed's own kept tallies for a publishing run over `window`
// (VoteStore::start_run) and says whether anything counted changed since
// `last`. nullopt when the tallies come from votes.tally_query: nothing
// is kept, and every run reads the site's query.
std::optional<PreparedTallies> prepare_kept_tallies(const VotesSettings& votes, const Policy& policy,
                                                    TallyWindow window, std::optional<TallyMark> last);

// Rebuilds crowdfeed's kept tallies from the votes (publish --recount).
void recount_kept_tallies(const VotesSettings& votes);

// Calls `visit` once per indicator, in indicator order, from one consistent
// snapshot of the configured source: the votes table, or, after
// prepare_kept_tallies for the same window, the kept tallies.
enum class TallySource { kVotes, kKeptTallies };
TallyStats read_tallies(const VotesSettings& votes, const Policy& policy, TallyWindow window,
                        const std::function<void(const Tally&)>& visit, TallySource source = TallySource::kVotes);

// One vote on an indicator, and whether a run over a window counts it:
// its weight (0: not counted) and why, in words.
struct CountedVote {
  Vote vote;
  std::int64_t weight = 1;
  std::string reason;
};

// Every vote on `indicator`, newest first, each with what the run over
// `window` makes of it (for `crowdfeed explain`); empty when the tallies come
// from votes.tally_query, which shows no single vote.
std::vector<CountedVote> read_counted_votes(const VotesSettings& votes, const Policy& policy, TallyWindow window,
                                            const std::string& indicator);
// The same from an open store.
std::vector<CountedVote> read_counted_votes(VoteStore& store, const Policy& policy, TallyWindow window,
                                            const std::string& indicator);

// One indicator's tally (for `crowdfeed explain`); nullopt when it has no votes.
std::optional<Tally> read_tally(const VotesSettings& votes, const Policy& policy, TallyWindow window,
                                const std::string& indicator);

}  // namespace crowdfeed
