// The vote server's voters and their tokens' hashes, read again from the
// store every second by a thread of its own, so that `crowdfeed voters
// revoke` takes effect within a second and no request ever waits for the
// reading. Only voters with a token are read (through an index), however
// many anonymous voters the store holds.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "votes/trust.h"

namespace crowdfeed {

class VotersCache {
 public:
  struct Known {
    std::string name;
    std::string role;
  };
  // `read_voters` returns the voters with a token (revoked ones too); it
  // throws crowdfeed's Error when the store cannot be read, and the cache
  // then keeps the last list it had. The first reading happens here.
  VotersCache(std::function<std::vector<Voter>()> read_voters, std::chrono::milliseconds every);
  ~VotersCache();
  VotersCache(const VotersCache&) = delete;
  VotersCache& operator=(const VotersCache&) = delete;

  // The voter whose token this is, if any (not revoked).
  std::optional<Known> find(std::string_view token) const;
  // The role of the voter called `name`, unless it is revoked or unknown:
  // what a signed-in browser session is checked against on every request.
  std::optional<std::string> role_of(std::string_view name) const;

 private:
  void refresh();
  void refresh_until_stopped();

  std::function<std::vector<Voter>()> read_voters_;
  std::chrono::milliseconds every_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, Known, std::less<>> by_hash_;
  std::map<std::string, std::string, std::less<>> roles_;  // by name
  std::mutex stop_mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread refresher_;  // last: starts once the rest is ready
};

}  // namespace crowdfeed
