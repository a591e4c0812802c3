// Immutable copies of every published file under by-hash/SHA256/<hex>, the
// layout Debian archives use for the same problem. Static hosting cannot
// replace a set of files at once: while a run replaces feeds in place, the
// previous manifest.json would list files that are already new. Its
// by_hash paths stay valid: an object under a hash name never changes, and
// it is kept for `keep` after the last manifest that listed it was replaced.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/manifest.h"
#include "util/time.h"

namespace crowdfeed {

// When a manifest last listed each by-hash object a location holds.
class ByHashLedger {
 public:
  ByHashLedger() = default;
  // Reads what to_json() wrote. Entries that are not by-hash names with a
  // plausible time are reported and dropped; throws DamagedFileError
  // when `json` is not an object.
  explicit ByHashLedger(const nlohmann::json& json);

  // Notes that a manifest of `time` lists these objects.
  void listed(const Manifest& manifest, TimePoint time);
  // Notes an object found at the location that the ledger did not know of
  // (left by an interrupted run): it expires as if listed at `time`.
  void found(const std::string& name, TimePoint time);
  // The objects last listed more than `keep` before `now`: safe to delete.
  std::vector<std::string> expired(TimePoint now, std::chrono::hours keep) const;
  void forget(const std::string& name) { last_listed_.erase(name); }

  nlohmann::json to_json() const;

 private:
  std::map<std::string, std::int64_t> last_listed_;  // name -> Unix seconds
};

}  // namespace crowdfeed
