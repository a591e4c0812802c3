// The state directory's layout ([paths] state_dir): every file and folder
// crowdfeed keeps there, named once, as feeds/layout names the feeds
// directory's. What a state file holds is its owner's business; where it
// is, is this file's.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crowdfeed {

class StateLayout {
 public:
  explicit StateLayout(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }

  // publish: the lock that keeps a second run out, the last run's report,
  // what its inputs were (to skip an unchanged hour), the Prometheus
  // textfile when [metrics] names none, the by-hash copies' ledger.
  std::filesystem::path publish_lock() const { return root_ / "publish.lock"; }
  std::filesystem::path last_run() const { return root_ / "last-run.json"; }
  std::filesystem::path last_inputs() const { return root_ / "last-inputs.json"; }
  std::filesystem::path default_metrics() const { return root_ / "crowdfeed.prom"; }
  std::filesystem::path by_hash_ledger() const { return root_ / "by-hash.json"; }
  // upload: what each destination holds, one file per destination (its
  // name made a safe file stem).
  std::filesystem::path destinations() const { return root_ / "destinations"; }
  std::filesystem::path destination_state(const std::string& file_stem) const {
    return destinations() / (file_stem + ".json");
  }
  // whitelist: downloaded lists (with their last good copies) and the
  // compiled matchers.
  std::filesystem::path whitelist_downloads() const { return root_ / "whitelist"; }
  std::filesystem::path whitelist_compiled() const { return whitelist_downloads() / "compiled"; }
  std::filesystem::path public_suffix_download() const { return root_ / "public-suffix-list"; }
  // keygen's default folder for the key pair.
  std::filesystem::path keys() const { return root_ / "keys"; }
  // serve: the key that makes anonymous voters' ids from their addresses.
  std::filesystem::path anonymous_key() const { return root_ / "serve-anonymous.key"; }

  // The folders a run refuses to follow when they are links.
  static std::vector<std::string_view> real_folders() { return {"destinations", "whitelist"}; }

 private:
  std::filesystem::path root_;
};

}  // namespace crowdfeed
