// What a destination holds, as far as this job knows: each name it was sent
// with the SHA-256 of what was sent, kept in state/destinations/NAME.json so
// the next run sends only what changed and deletes what the feeds directory
// no longer has.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "publish/destination.h"

namespace crowdfeed {

class DestinationState {
 public:
  // An empty state for `url`, saved to `path`.
  DestinationState(std::filesystem::path path, std::string url);

  // The state saved in `path` for `url`: empty when there is none, when it
  // is for another URL, or when it is damaged (then reported and set aside).
  static DestinationState load(const std::filesystem::path& path, const std::string& url);

  // Reads what to_json() wrote. Names that are not plain relative names
  // (".." or an absolute path) and digests that are not SHA-256 hex are
  // reported and dropped: a name read back is never acted on unchecked.
  // Throws for a JSON value of the wrong shape.
  void read_json(const nlohmann::json& json);
  nlohmann::json to_json() const;

  bool knows(const std::string& name) const { return files_.count(name) != 0; }
  bool holds(const UploadFile& file) const;
  // The names the destination received that `feeds_dir` no longer has (a
  // by-hash object or an archived hour the publisher pruned, a format no
  // longer published): to be deleted, so each destination mirrors it.
  std::vector<std::string> gone_from(const std::filesystem::path& feeds_dir) const;

  // Recorded after each upload, so an interrupted run loses nothing it did;
  // saved at most every `save_every` changes and by save().
  void record(const UploadFile& file);
  void deleted(const std::string& name);
  void save();

  const std::string& url() const { return url_; }
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  void changed();

  std::filesystem::path path_;
  std::string url_;
  std::map<std::string, std::string> files_;
  std::size_t unsaved_ = 0;
};

}  // namespace crowdfeed
