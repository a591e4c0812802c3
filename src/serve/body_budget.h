// The memory the vote server lends to request bodies.
#pragma once

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace crowdfeed {

// The bodies held in memory by all requests together, and by each client:
// a request reserves its body's bytes as they arrive and gives them back
// when it ends. One client may hold a quarter of the whole (at least one
// body), so that no one client can make everyone else wait.
class BodyBudget {
 public:
  BodyBudget(std::size_t limit, std::size_t max_body) : limit_(limit), per_client_(std::max(max_body, limit / 4)) {}
  bool reserve(const std::string& client, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    std::size_t& held = by_client_[client];
    if (bytes > limit_ - std::min(used_, limit_) || bytes > per_client_ - std::min(held, per_client_)) {
      if (held == 0) by_client_.erase(client);
      return false;
    }
    used_ += bytes;
    held += bytes;
    return true;
  }
  void release(const std::string& client, std::size_t bytes) {
    if (bytes == 0) return;
    std::lock_guard lock(mutex_);
    used_ -= bytes;
    auto found = by_client_.find(client);
    if (found != by_client_.end() && (found->second -= bytes) == 0) by_client_.erase(found);
  }
  std::size_t used() const {
    std::lock_guard lock(mutex_);
    return used_;
  }

 private:
  std::size_t limit_;
  std::size_t per_client_;
  mutable std::mutex mutex_;
  std::size_t used_ = 0;
  std::unordered_map<std::string, std::size_t> by_client_;
};

}  // namespace crowdfeed
