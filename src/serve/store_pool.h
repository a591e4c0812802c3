// Read connections to the votes store, kept open between requests: a page
// borrows one, and gives it back unless the store failed while it was
// used (a store that threw is closed, and the next borrower opens a fresh
// one). Opening a store checks its schema, which costs more than the
// indexed reads of a page.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "votes/store.h"

namespace crowdfeed {

class StorePool {
 public:
  explicit StorePool(std::function<std::unique_ptr<VoteStore>()> open) : open_(std::move(open)) {}

  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<VoteStore> store) : pool_(pool), store_(std::move(store)) {}
    ~Lease() {
      // Unwinding from an exception: the store may be broken; let it go.
      if (std::uncaught_exceptions() == 0) pool_.give_back(std::move(store_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    VoteStore& operator*() const { return *store_; }
    VoteStore* operator->() const { return store_.get(); }

   private:
    StorePool& pool_;
    std::unique_ptr<VoteStore> store_;
  };

  // A store of the pool, or a newly opened one; an Error when it cannot be opened.
  Lease borrow() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<VoteStore> store = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(store));
      }
    }
    return Lease(*this, open_());
  }

 private:
  void give_back(std::unique_ptr<VoteStore> store) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(store));
  }

  static constexpr std::size_t kMaxIdle = 1024;
  std::function<std::unique_ptr<VoteStore>()> open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<VoteStore>> idle_;
};

}  // namespace crowdfeed
