#include "util/state_file.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/log.h"
#include "util/safe_path.h"

namespace crowdfeed {

namespace fs = std::filesystem;

namespace {

// Far beyond any real state file (a destination catching up on a year of
// archive lists some 100,000 names).
constexpr std::size_t kMaxStateFileBytes = std::size_t{256} << 20;

}  // namespace

bool read_state_file(const fs::path& path, const std::function<void(const nlohmann::json&)>& read) {
  std::string problem;
  try {
    std::optional<std::string> text = read_regular_file(path, kMaxStateFileBytes);
    if (!text) return false;
    read(nlohmann::json::parse(*text));
    return true;
  } catch (const std::exception& error) {
    problem = error.what();
  }
  fs::path aside = path;
  aside += ".damaged";
  std::error_code error;
  fs::rename(path, aside, error);
  log::warning("state file {} is damaged ({}); {} and starting it again", path.string(), problem,
               error ? fmt::format("could not set it aside: {}", error.message())
                     : fmt::format("set it aside as {}", aside.string()));
  return false;
}

void write_state_file(const fs::path& path, const nlohmann::json& json) {
  fs::create_directories(path.parent_path());
  write_file_atomically(path, json.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", kPrivateFile);
}

std::int64_t bounded_integer(const nlohmann::json& json, const char* key, std::int64_t min, std::int64_t max) {
  const nlohmann::json& value = json.at(key);
  if (!value.is_number_integer()) throw DamagedFileError(fmt::format("{} is not an integer", key));
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    throw DamagedFileError(fmt::format("{} is out of range", key));
  }
  auto number = value.get<std::int64_t>();
  if (number < min || number > max) {
    throw DamagedFileError(fmt::format("{} = {} is out of range [{}, {}]", key, number, min, max));
  }
  return number;
}

}  // namespace crowdfeed
