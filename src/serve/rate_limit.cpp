#include "serve/rate_limit.h"

#include <algorithm>

namespace crowdfeed {

bool RateLimiter::take(const std::string& key, double cost, Clock::time_point now, double& retry_after) {
  std::lock_guard lock(mutex_);
  if (buckets_.size() > kPruneAbove) {
    // A full bucket is the same as none: forget those.
    std::erase_if(buckets_, [&](const auto& entry) {
      std::chrono::duration<double> idle = now - entry.second.updated;
      return entry.second.tokens + idle.count() * rate_ >= burst_;
    });
  }
  auto [found, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = found->second;
  std::chrono::duration<double> elapsed = now - bucket.updated;
  bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed.count()) * rate_);
  bucket.updated = now;
  if (bucket.tokens >= cost) {
    bucket.tokens -= cost;
    return true;
  }
  retry_after = cost > burst_ ? -1.0 : (cost - bucket.tokens) / rate_;
  return false;
}

}  // namespace crowdfeed
