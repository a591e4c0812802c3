#include "serve/daily_cap.h"

#include <functional>

namespace crowdfeed {

bool DailyCap::take(std::string_view voter, std::uint64_t votes, std::int64_t day) {
  std::lock_guard lock(mutex_);
  if (day > day_) {
    // A new day: yesterday's counts go, and so does their memory.
    absl::flat_hash_map<std::uint64_t, std::uint64_t>().swap(counts_);
    day_ = day;
  }
  // A request stamped before midnight and counted after it counts today.
  const std::uint64_t key = std::hash<std::string_view>()(voter);
  auto found = counts_.find(key);
  const std::uint64_t counted = found == counts_.end() ? 0 : found->second;
  if (votes > cap_ || counted > cap_ - votes) return false;
  if (found == counts_.end()) {
    counts_.emplace(key, votes);
  } else {
    found->second += votes;
  }
  return true;
}

void DailyCap::give_back(std::string_view voter, std::uint64_t votes, std::int64_t day) {
  std::lock_guard lock(mutex_);
  if (day < day_) return;  // counted on a day already forgotten
  auto found = counts_.find(std::hash<std::string_view>()(voter));
  if (found == counts_.end()) return;
  found->second -= std::min(found->second, votes);
  if (found->second == 0) counts_.erase(found);
}

std::size_t DailyCap::voters() const {
  std::lock_guard lock(mutex_);
  return counts_.size();
}

}  // namespace crowdfeed
