// The deadline of every connection of the vote server, and the watchdog
// thread that enforces them.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace crowdfeed {

// libmicrohttpd's timeout counts idle time only: a client that sends a byte
// a second keeps its connection (and, one thread a connection, a thread)
// for ever. Each connection here has a deadline to deliver a whole request
// (from its start, or the end of its last request): a watchdog shuts the
// socket down when it passes, and libmicrohttpd then closes it.
class Deadlines {
 public:
  using Clock = std::chrono::steady_clock;

  struct Tracked {
    Tracked(int socket, std::int64_t until) : fd(socket), deadline(until) {}
    int fd;
    std::atomic<std::int64_t> deadline;  // steady-clock nanoseconds; kNone while a request is answered
  };
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

  explicit Deadlines(std::chrono::seconds limit) : limit_(limit), watchdog_([this] { watch(); }) {}
  ~Deadlines() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    watchdog_.join();
  }
  Deadlines(const Deadlines&) = delete;
  Deadlines& operator=(const Deadlines&) = delete;

  Tracked* start(int fd) {
    auto tracked = std::make_unique<Tracked>(fd, from_now());
    Tracked* raw = tracked.get();
    std::lock_guard lock(mutex_);
    tracked_.emplace(raw, std::move(tracked));
    return raw;
  }
  void close(Tracked* tracked) {
    std::lock_guard lock(mutex_);
    tracked_.erase(tracked);
  }
  static void answering(Tracked* tracked) {
    if (tracked != nullptr) tracked->deadline = kNone;
  }
  void next_request(Tracked* tracked) const {
    if (tracked != nullptr) tracked->deadline = from_now();
  }

 private:
  std::int64_t from_now() const { return (Clock::now() + limit_).time_since_epoch().count(); }
  void watch() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stopping_; })) {
      std::int64_t now = Clock::now().time_since_epoch().count();
      for (auto& [raw, tracked] : tracked_) {
        if (tracked->deadline.load() < now) {
          ::shutdown(tracked->fd, SHUT_RDWR);
          tracked->deadline = kNone;
        }
      }
    }
  }

  std::chrono::seconds limit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<Tracked*, std::unique_ptr<Tracked>> tracked_;
  std::thread watchdog_;  // last: starts once the rest is ready
};

}  // namespace crowdfeed
