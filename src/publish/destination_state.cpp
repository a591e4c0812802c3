#include "publish/destination_state.h"

#include <sys/stat.h>

#include "util/log.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/state_file.h"
#include "util/text.h"

namespace crowdfeed {

namespace fs = std::filesystem;

namespace {

// A destination catching up on thousands of archive files would otherwise
// rewrite and fsync the whole file after each one. An interrupted run loses
// at most this many records, which only costs uploads that are repeated.
constexpr std::size_t kSaveEvery = 64;

}  // namespace

DestinationState::DestinationState(fs::path path, std::string url) : path_(std::move(path)), url_(std::move(url)) {}

DestinationState DestinationState::load(const fs::path& path, const std::string& url) {
  DestinationState state(path, url);
  read_state_file(path, [&](const nlohmann::json& json) { state.read_json(json); });
  return state;
}

void DestinationState::read_json(const nlohmann::json& json) {
  // A state for another URL says nothing about this one.
  if (json.at("url").get<std::string>() != url_) return;
  std::map<std::string, std::string> files;
  for (const auto& [name, sha256] : json.at("files").items()) {
    std::string problem = relative_name_problem(name);
    if (problem.empty() && !is_sha256_hex(sha256.get<std::string>())) problem = "has no SHA-256";
    if (!problem.empty()) {
      log::warning("{}: ignoring the entry {}: it {}", path_.string(), quote_text(name), problem);
      continue;
    }
    files[name] = sha256.get<std::string>();
  }
  files_ = std::move(files);
}

nlohmann::json DestinationState::to_json() const {
  return {{"url", url_}, {"files", files_}};
}

bool DestinationState::holds(const UploadFile& file) const {
  auto found = files_.find(file.name);
  return found != files_.end() && found->second == file.sha256;
}

std::vector<std::string> DestinationState::gone_from(const fs::path& feeds_dir) const {
  std::vector<std::string> names;
  for (const auto& [name, sha256] : files_) {
    struct stat info {};
    // lstat: a link in the feeds directory is not crowdfeed's file either.
    if (::lstat((feeds_dir / name).c_str(), &info) != 0 && errno == ENOENT) names.push_back(name);
  }
  return names;
}

void DestinationState::record(const UploadFile& file) {
  files_[file.name] = file.sha256;
  changed();
}

void DestinationState::deleted(const std::string& name) {
  files_.erase(name);
  changed();
}

void DestinationState::changed() {
  if (++unsaved_ >= kSaveEvery) save();
}

void DestinationState::save() {
  write_state_file(path_, to_json());
  unsaved_ = 0;
}

}  // namespace crowdfeed
