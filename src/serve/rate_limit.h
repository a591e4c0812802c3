// Token buckets, one a key (a voter, a client address): each holds up to
// `burst` tokens and gains `rate` a second; a request takes what it costs
// or is refused with the time until it could.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crowdfeed {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // Takes `cost` tokens from `key`'s bucket. When it holds too few, takes
  // none, sets `retry_after` (seconds) and returns false.
  bool take(const std::string& key, double cost, Clock::time_point now, double& retry_after);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  static constexpr std::size_t kPruneAbove = 100000;  // buckets kept before full ones are dropped

  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace crowdfeed
