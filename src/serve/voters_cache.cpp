#include "serve/voters_cache.h"

#include "serve/tokens.h"
#include "util/log.h"

namespace crowdfeed {

VotersCache::VotersCache(std::function<std::vector<Voter>()> read_voters, std::chrono::milliseconds every)
    : read_voters_(std::move(read_voters)), every_(every) {
  refresh();
  refresher_ = std::thread([this] { refresh_until_stopped(); });
}

VotersCache::~VotersCache() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  refresher_.join();
}

std::optional<VotersCache::Known> VotersCache::find(std::string_view token) const {
  const std::string hash = token_sha256(token);
  std::shared_lock lock(mutex_);
  auto found = by_hash_.find(hash);
  // The map compares hashes, not tokens; the last check is constant-time.
  if (found == by_hash_.end() || !same_secret(found->first, hash)) return std::nullopt;
  return found->second;
}

std::optional<std::string> VotersCache::role_of(std::string_view name) const {
  std::shared_lock lock(mutex_);
  auto found = roles_.find(name);
  if (found == roles_.end()) return std::nullopt;
  return found->second;
}

void VotersCache::refresh() {
  std::map<std::string, Known, std::less<>> fresh;
  std::map<std::string, std::string, std::less<>> roles;
  try {
    for (const Voter& voter : read_voters_()) {
      if (!voter.revoked_at && !voter.token_sha256.empty()) {
        fresh.emplace(voter.token_sha256, Known{voter.name, voter.role});
        roles.emplace(voter.name, voter.role);
      }
    }
  } catch (const std::exception& error) {
    log::warning("cannot read the voters: {}", error.what());
    return;  // keep the last list; try again at the next refresh
  }
  std::unique_lock lock(mutex_);
  by_hash_.swap(fresh);
  roles_.swap(roles);
}

void VotersCache::refresh_until_stopped() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_.wait_for(lock, every_, [this] { return stopping_; })) {
    lock.unlock();
    refresh();
    lock.lock();
  }
}

}  // namespace crowdfeed
