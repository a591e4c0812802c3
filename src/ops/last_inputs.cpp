#include "ops/last_inputs.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "util/error.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/state_file.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFileName = "last-inputs.json";

bool is_hex_digest(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string inputs_digest(const Config& config, const FetchedWhitelist& whitelist) {
  Sha256 digest;
  // The program itself: a new build may render the same feeds differently.
  // Installing or building one replaces the file, which changes its inode
  // or its modification time.
  digest.update("crowdfeed " CROWDFEED_VERSION);
  struct stat program {};
  if (::stat("/proc/self/exe", &program) == 0) {
    digest.update(fmt::format(" {} {} {} {}.{}", program.st_dev, program.st_ino, program.st_size,
                              program.st_mtim.tv_sec, program.st_mtim.tv_nsec));
  }
  digest.update("\n");
  // The configuration as loaded (it may be a link, as /etc files often are).
  digest.update(config.source.empty() ? std::string("built-in defaults") : sha256_file_hex(config.source));
  for (const fs::path& path : {config.database, config.tally_database, config.feeds_dir, config.state_dir}) {
    digest.update(fmt::format("\n{}", path.string()));
  }
  digest.update("\n" + whitelist.digest());
  return digest.hex();
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
  for (const ManifestFile& file : manifest.files) {
    std::error_code error;
    fs::path path = feeds_dir / file.name;
    if (!fs::is_regular_file(fs::symlink_status(path, error)) || fs::file_size(path, error) != file.size || error) {
      return false;
    }
  }
  return true;
}

std::optional<LastInputs> read_last_inputs(const fs::path& state_dir) {
  std::optional<LastInputs> last;
  read_state_file(state_dir / kFileName, [&](const nlohmann::json& json) {
    LastInputs read;
    read.tallies.generation = bounded_integer(json, "generation", 0, kMaxCount);
    read.tallies.until = TimePoint(std::chrono::seconds(bounded_integer(json, "until", 0, 253402300799)));
    read.inputs = json.at("inputs").get<std::string>();
    read.manifest_sha256 = json.at("manifest_sha256").get<std::string>();
    if (!is_hex_digest(read.inputs) || !is_hex_digest(read.manifest_sha256)) {
      throw std::invalid_argument("inputs and manifest_sha256 must be SHA-256 digests in hex");
    }
    last = std::move(read);
  });
  return last;
}

void write_last_inputs(const fs::path& state_dir, const LastInputs& last) {
  write_state_file(state_dir / kFileName,
                   {{"generation", last.tallies.generation},
                    {"until", last.tallies.until.time_since_epoch().count()},
                    {"inputs", last.inputs},
                    {"manifest_sha256", last.manifest_sha256}});
}

void forget_last_inputs(const fs::path& state_dir) {
  std::error_code ignored;
  fs::remove(state_dir / kFileName, ignored);
}

}  // namespace crowdfeed
