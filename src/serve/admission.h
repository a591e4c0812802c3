// The vote server's limits on what a client and a voter may cost, checked
// before the work: a token bucket per client address (every request that
// reads or writes the store), and per voter a token bucket and a daily cap
// (charged for valid votes only, before they go to the store). A refusal
// is an answer (429 with Retry-After, or 400 for a batch no bucket can
// ever hold) and is counted in the metrics. The clocks are injected, so
// that a test can move time instead of waiting for it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "config/settings.h"
#include "serve/answer.h"
#include "serve/daily_cap.h"
#include "serve/metrics.h"
#include "serve/rate_limit.h"

namespace crowdfeed {

// The clocks limits are read against: the monotonic one for the rates, the
// wall clock for the day.
struct AdmissionClocks {
  std::function<std::chrono::steady_clock::time_point()> steady = [] { return std::chrono::steady_clock::now(); };
  std::function<std::chrono::system_clock::time_point()> wall = [] { return std::chrono::system_clock::now(); };
};

class Admission {
 public:
  Admission(const ServeSettings& serve, ServeMetrics& metrics, AdmissionClocks clocks = {});

  // The client's rate; `votes` are those the request carries (counted as
  // refused when it is limited).
  std::optional<Answer> admit_address(const std::string& client, std::size_t votes);

  // The voter's rate and its cap on `day` (see today()).
  std::optional<Answer> admit_votes(const std::string& voter, std::size_t votes, std::int64_t day);

  // Takes back what admit_votes counted on `day` for votes not stored.
  void give_back(const std::string& voter, std::size_t votes, std::int64_t day);

  // The UTC day now, as days since the epoch.
  std::int64_t today() const;

 private:
  ServeMetrics& metrics_;
  AdmissionClocks clocks_;
  int daily_cap_votes_;
  RateLimiter by_voter_;
  RateLimiter by_address_;
  DailyCap daily_cap_;
};

}  // namespace crowdfeed
