// The JSON files crowdfeed keeps in its state directory (what each
// destination holds, when each by-hash object was listed, what a download
// returned, the last run). A damaged one must not fail every run from then
// on: it is reported, set aside for the operator to look at, and rebuilt.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace crowdfeed {

// Reads the JSON file `path` and hands it to `read`, which throws (any
// exception) when the content is not what it expects: a wrong type, a
// missing key, a value out of its range. Returns false when the file does
// not exist. When it cannot be parsed or `read` throws, logs a warning that
// names the file and the problem, renames it to PATH.damaged (replacing an
// older one) and returns false: the caller starts from an empty state.
bool read_state_file(const std::filesystem::path& path, const std::function<void(const nlohmann::json&)>& read);

// Writes `json` to `path` atomically with mode 0600, creating its folder.
void write_state_file(const std::filesystem::path& path, const nlohmann::json& json);

// The integer `json[key]`, which must lie in [min, max]; throws
// DamagedFileError naming the key otherwise.
std::int64_t bounded_integer(const nlohmann::json& json, const char* key, std::int64_t min, std::int64_t max);

// The largest count crowdfeed stores (votes, runs, files): far beyond any
// real one, far below where adding to it could overflow.
constexpr std::int64_t kMaxCount = std::int64_t{1} << 50;

}  // namespace crowdfeed
