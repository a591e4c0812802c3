// Read connections to the votes store, kept open between requests: a page
// borrows one, and gives it back unless an exception left the scope while
// it was borrowed (that store is closed, and the next borrower opens a
// fresh one). Opening a store checks its schema, which costs more than the
// indexed reads of a page. At most `limit` are open at once (a PostgreSQL
// server's connections are few): a borrower waits for one beyond that.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "votes/store.h"

namespace crowdfeed {

class StorePool {
 public:
  StorePool(std::function<std::unique_ptr<VoteStore>()> open, std::size_t limit)
      : open_(std::move(open)), limit_(limit) {}

  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<VoteStore> store)
        : pool_(pool), store_(std::move(store)), exceptions_(std::uncaught_exceptions()) {}
    ~Lease() {
      // Unwinding from an exception thrown while borrowed: the store may be
      // broken; let it go.
      pool_.give_back(std::move(store_), std::uncaught_exceptions() > exceptions_);
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    VoteStore& operator*() const { return *store_; }
    VoteStore* operator->() const { return store_.get(); }

   private:
    StorePool& pool_;
    std::unique_ptr<VoteStore> store_;
    int exceptions_;
  };

  // A store of the pool, or a newly opened one; an Error when it cannot be opened.
  Lease borrow() {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [this] { return !idle_.empty() || open_count_ < limit_; });
    if (!idle_.empty()) {
      std::unique_ptr<VoteStore> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(store));
    }
    ++open_count_;
    lock.unlock();
    try {
      return Lease(*this, open_());
    } catch (...) {
      lock.lock();
      --open_count_;
      freed_.notify_one();
      throw;
    }
  }

 private:
  void give_back(std::unique_ptr<VoteStore> store, bool broken) {
    std::lock_guard lock(mutex_);
    if (broken || store == nullptr) {
      --open_count_;
    } else {
      idle_.push_back(std::move(store));
    }
    freed_.notify_one();
  }

  std::function<std::unique_ptr<VoteStore>()> open_;
  std::size_t limit_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<VoteStore>> idle_;
  std::size_t open_count_ = 0;  // idle and borrowed
};

}  // namespace crowdfeed
