#include "feeds/by_hash.h"

#include <fmt/format.h>

#include "feeds/layout.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

std::int64_t unix_seconds(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

ByHashLedger::ByHashLedger(const nlohmann::json& json) {
  if (!json.is_object()) throw DamagedFileError("not a JSON object");
  for (const auto& [name, seconds] : json.items()) {
    if (!is_by_hash_name(name)) {
      log::warning("by-hash ledger: ignoring {}: not a by-hash/SHA256/<sha256> name", quote_text(name));
      continue;
    }
    if (!seconds.is_number_integer() || seconds.get<std::int64_t>() < 0 ||
        seconds.get<std::int64_t>() > kLatestUnixSeconds) {
      log::warning("by-hash ledger: ignoring {}: its time is not Unix seconds", quote_text(name));
      continue;
    }
    last_listed_[name] = seconds.get<std::int64_t>();
  }
}

void ByHashLedger::listed(const Manifest& manifest, TimePoint time) {
  for (const auto& file : manifest.files) last_listed_[by_hash_name(file.sha256)] = unix_seconds(time);
}

void ByHashLedger::found(const std::string& name, TimePoint time) {
  last_listed_.try_emplace(name, unix_seconds(time));
}

std::vector<std::string> ByHashLedger::expired(TimePoint now, std::chrono::hours keep) const {
  std::vector<std::string> names;
  std::int64_t limit = unix_seconds(now) - std::chrono::duration_cast<std::chrono::seconds>(keep).count();
  for (const auto& [name, seconds] : last_listed_) {
    if (seconds < limit) names.push_back(name);
  }
  return names;
}

nlohmann::json ByHashLedger::to_json() const {
  return last_listed_;
}

}  // namespace crowdfeed
