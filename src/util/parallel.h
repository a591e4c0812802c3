// Running independent jobs on the machine's cores, with results (and the
// first failure) in a fixed order, so that parallel work stays
// deterministic.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace crowdfeed {

// The threads to use: one per core the machine reports, at least one.
inline unsigned worker_threads() {
  return std::max(1U, std::thread::hardware_concurrency());
}

// Runs job(0) to job(count - 1) on up to `threads` threads and returns
// their results by index. When jobs throw, the one with the lowest index
// is rethrown once every job has ended.
template <typename Result>
std::vector<Result> run_in_parallel(std::size_t count, unsigned threads,
                                    const std::function<Result(std::size_t)>& job) {
  std::vector<std::optional<Result>> results(count);
  std::vector<std::exception_ptr> failures(count);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t index; (index = next.fetch_add(1)) < count;) {
      try {
        results[index].emplace(job(index));
      } catch (...) {
        failures[index] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < std::min<std::size_t>(threads, count); ++i) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had (a process limit): fewer do the work
    }
  }
  work();
  for (auto& thread : pool) thread.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  std::vector<Result> ordered;
  ordered.reserve(count);
  for (auto& result : results) ordered.push_back(std::move(*result));
  return ordered;
}

}  // namespace crowdfeed
