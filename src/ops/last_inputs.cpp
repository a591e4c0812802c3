#include "ops/last_inputs.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "config/state_layout.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "util/error.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/state_file.h"
#include "util/version.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

bool is_hex_digest(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string inputs_digest(const Config& config, const FetchedWhitelist& whitelist) {
  Sha256 digest;
  // The program itself: a new build may render the same feeds differently.
  digest.update(program_identity());
  digest.update("\n");
  // The configuration as loaded (it may be a link, as /etc files often are).
  digest.update(config.source.empty() ? std::string("built-in defaults") : sha256_file_hex(config.source));
  for (const fs::path& path :
       {config.votes.database, config.votes.tally_database, config.feeds_dir, config.state_dir}) {
    digest.update(fmt::format("\n{}", path.string()));
  }
  digest.update("\n" + whitelist.digest());
  return digest.hex();
}

std::string file_identity(const fs::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return {};
  return fmt::format("{}:{}.{:09}", info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
}

bool published_as_recorded(const fs::path& feeds_dir, const LastInputs& last) {
  std::optional<std::string> text;
  try {
    text = read_regular_file(feeds_dir / kManifestName);
  } catch (const Error&) {
    return false;
  }
  if (!text || sha256_hex(*text) != last.manifest_sha256) return false;
  Manifest manifest;
  try {
    manifest = parse_manifest(*text);
  } catch (const std::exception&) {
    return false;
  }
  std::vector<std::string> names = {std::string(kManifestName)};
  for (const ManifestFile& file : manifest.files) names.push_back(file.name);
  for (const SignedFile& file : signed_files(manifest)) names.push_back(file.signature);
  for (const auto& name : names) {
    auto recorded = last.files.find(name);
    if (recorded == last.files.end() || recorded->second.empty() ||
        file_identity(feeds_dir / name) != recorded->second) {
      return false;
    }
  }
  return true;
}

void record_last_inputs(const fs::path& state_dir, const fs::path& feeds_dir, const TallyMark& tallies,
                        const std::string& inputs, const Manifest& manifest) {
  LastInputs last{tallies, inputs, sha256_hex(render_manifest(manifest)), {}};
  last.files[std::string(kManifestName)] = file_identity(feeds_dir / kManifestName);
  for (const ManifestFile& file : manifest.files) last.files[file.name] = file_identity(feeds_dir / file.name);
  for (const SignedFile& file : signed_files(manifest)) {
    last.files[file.signature] = file_identity(feeds_dir / file.signature);
  }
  write_last_inputs(state_dir, last);
}

std::optional<LastInputs> read_last_inputs(const fs::path& state_dir) {
  std::optional<LastInputs> last;
  read_state_file(StateLayout(state_dir).last_inputs(), [&](const nlohmann::json& json) {
    LastInputs read;
    read.tallies.database = json.at("database").get<std::string>();
    read.tallies.generation = bounded_integer(json, "generation", 0, kMaxCount);
    read.tallies.until = TimePoint(std::chrono::seconds(bounded_integer(json, "until", 0, 253402300799)));
    read.inputs = json.at("inputs").get<std::string>();
    read.manifest_sha256 = json.at("manifest_sha256").get<std::string>();
    read.files = json.at("files").get<std::map<std::string, std::string>>();
    if (!is_hex_digest(read.inputs) || !is_hex_digest(read.manifest_sha256)) {
      throw DamagedFileError("inputs and manifest_sha256 must be SHA-256 digests in hex");
    }
    last = std::move(read);
  });
  return last;
}

void write_last_inputs(const fs::path& state_dir, const LastInputs& last) {
  write_state_file(StateLayout(state_dir).last_inputs(), {{"database", last.tallies.database},
                                                          {"generation", last.tallies.generation},
                                                          {"until", last.tallies.until.time_since_epoch().count()},
                                                          {"inputs", last.inputs},
                                                          {"manifest_sha256", last.manifest_sha256},
                                                          {"files", last.files}});
}

void forget_last_inputs(const fs::path& state_dir) {
  std::error_code ignored;
  fs::remove(StateLayout(state_dir).last_inputs(), ignored);
}

}  // namespace crowdfeed
