// The daily cap of votes per voter (serve.daily_cap): counted in memory
// for the current UTC day and forgotten when the day changes (a restart
// forgets it too). A voter is kept as a 64-bit hash of its id in a flat
// table, about 20 bytes each: a million anonymous addresses in a day cost
// about 20 MB, not a string and a tree node each.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <mutex>
#include <string_view>

namespace crowdfeed {

class DailyCap {
 public:
  explicit DailyCap(std::uint64_t cap) : cap_(cap) {}

  // Counts `votes` against `voter`'s cap on `day` (days since the epoch,
  // UTC); false, counting nothing, when they would exceed it. A day before
  // the latest one seen counts as that one.
  bool take(std::string_view voter, std::uint64_t votes, std::int64_t day);
  // Takes back what take() counted on `day` for votes that were not stored.
  void give_back(std::string_view voter, std::uint64_t votes, std::int64_t day);
  // How many voters are counted today.
  std::size_t voters() const;

 private:
  std::uint64_t cap_;
  mutable std::mutex mutex_;
  std::int64_t day_ = 0;
  absl::flat_hash_map<std::uint64_t, std::uint64_t> counts_;
};

}  // namespace crowdfeed
