// The vote server's one writer: votes from every request are committed in
// groups, one transaction a group, so that the server sustains thousands
// of votes a second without a commit each. A request's votes go into one
// group whole (all or nothing), and write() returns only once that group
// is committed: an acknowledged vote is stored.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "votes/store.h"

namespace crowdfeed {

class VoteWriter {
 public:
  // Opens the votes store through `open` (creating or migrating it); a
  // group holds up to `max_group` votes (a larger request is a group of its
  // own). A store that fails (a lost server) is opened again for the next
  // group.
  using StoreOpener = std::function<std::unique_ptr<VoteStore>()>;
  VoteWriter(StoreOpener open, std::size_t max_group);
  ~VoteWriter();  // commits what is queued, then stops
  VoteWriter(const VoteWriter&) = delete;
  VoteWriter& operator=(const VoteWriter&) = delete;

  // Stores `votes` and waits for their commit. Throws Error when the
  // store failed (the request's votes are then not stored).
  void write(std::vector<Vote> votes);

  std::uint64_t groups_committed() const;

 private:
  struct Request {
    std::vector<Vote> votes;
    std::promise<void> committed;
  };
  void run(std::promise<void>& opened);

  StoreOpener open_;

  std::size_t max_group_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Request*> queue_;
  bool stopping_ = false;
  std::uint64_t groups_ = 0;
  std::thread thread_;
};

}  // namespace crowdfeed
