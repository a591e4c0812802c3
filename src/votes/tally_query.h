// Where the hourly job reads its tallies from: crowdfeed's own votes store,
// or a site's own vote table through a configured SQL query.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "config/config.h"
#include "votes/tally.h"

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

// Calls `visit` once per indicator, in indicator order, from one consistent
// snapshot of the configured source.
TallyStats read_tallies(const Config& config, TallyWindow window, const std::function<void(const Tally&)>& visit);

// One indicator's tally (for `crowdfeed explain`); nullopt when it has no votes.
std::optional<Tally> read_tally(const Config& config, TallyWindow window, const std::string& indicator);

}  // namespace crowdfeed
