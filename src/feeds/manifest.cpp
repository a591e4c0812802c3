#include "feeds/manifest.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "feeds/by_hash.h"
#include "util/log.h"

namespace crowdfeed {

const ManifestFile* Manifest::find(std::string_view name) const {
  for (const auto& file : files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

std::string render_manifest(const Manifest& manifest) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& file : manifest.files) {
    files.push_back({{"name", file.name},
                     {"feed", file.feed},
                     {"format", file.format},
                     {"size", file.size},
                     {"entries", file.entries},
                     {"sha256", file.sha256},
                     {"by_hash", by_hash_name(file.sha256)},
                     {"last_modified", format_iso8601(file.last_modified)}});
  }
  nlohmann::ordered_json json = {{"generated", format_iso8601(manifest.generated)},
                                 {"hour", format_iso8601(manifest.hour)},
                                 {"files", std::move(files)}};
  return json.dump(2) + "\n";
}

std::string render_sha256sums(const Manifest& manifest) {
  std::string text;
  for (const auto& file : manifest.files) text += fmt::format("{}  {}\n", file.sha256, file.name);
  return text;
}

std::optional<Manifest> read_manifest(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    auto json = nlohmann::json::parse(in);
    Manifest manifest;
    manifest.generated = parse_time(json.at("generated").get<std::string>()).value();
    manifest.hour = parse_time(json.at("hour").get<std::string>()).value();
    for (const auto& file : json.at("files")) {
      manifest.files.push_back({file.at("name").get<std::string>(), file.at("feed").get<std::string>(),
                                file.at("format").get<std::string>(), file.at("size").get<std::uint64_t>(),
                                file.at("entries").get<std::int64_t>(), file.at("sha256").get<std::string>(),
                                parse_time(file.at("last_modified").get<std::string>()).value()});
    }
    return manifest;
  } catch (const std::exception& error) {
    log::warning("ignoring the unreadable previous manifest {}: {}", path.string(), error.what());
    return std::nullopt;
  }
}

}  // namespace crowdfeed
