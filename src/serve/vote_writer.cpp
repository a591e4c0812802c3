#include "serve/vote_writer.h"

#include "util/error.h"

namespace crowdfeed {

VoteWriter::VoteWriter(StoreOpener open, std::size_t max_group) : open_(std::move(open)), max_group_(max_group) {
  // The store is opened on the writer's thread; an error opening it is
  // this constructor's.
  std::promise<void> opened;
  std::future<void> ready = opened.get_future();
  thread_ = std::thread([this, &opened] { run(opened); });
  try {
    ready.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

VoteWriter::~VoteWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void VoteWriter::write(std::vector<Vote> votes) {
  Request request{std::move(votes), {}};
  std::future<void> committed = request.committed.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw Error("the vote server is stopping");
    queue_.push_back(&request);
  }
  queued_.notify_one();
  committed.get();  // rethrows the store's error
}

std::uint64_t VoteWriter::groups_committed() const {
  std::lock_guard lock(mutex_);
  return groups_;
}

void VoteWriter::run(std::promise<void>& opened) {
  std::unique_ptr<VoteStore> store;
  try {
    store = open_();
    opened.set_value();
  } catch (...) {
    opened.set_exception(std::current_exception());
    return;
  }
  std::vector<Request*> group;
  for (;;) {
    group.clear();
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and nothing left
      std::size_t votes = 0;
      while (!queue_.empty() && (group.empty() || votes + queue_.front()->votes.size() <= max_group_)) {
        votes += queue_.front()->votes.size();
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    try {
      if (!store) store = open_();
      store->write_transaction([&] {
        for (Request* request : group) {
          for (const Vote& vote : request->votes) store->add(vote);
          // An anonymous voter's probation starts with its first vote.
          if (request->votes.empty()) continue;
          const Vote& first = request->votes.front();
          if (first.voter.starts_with(kAnonymousVoterPrefix)) store->note_anonymous_voter(first.voter, first.cast_at);
        }
        return true;
      });
      {
        std::lock_guard lock(mutex_);
        ++groups_;
      }
      for (Request* request : group) request->committed.set_value();
    } catch (...) {
      for (Request* request : group) request->committed.set_exception(std::current_exception());
      store.reset();  // opened again for the next group
    }
  }
}

}  // namespace crowdfeed
