#include "feeds/manifest.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "feeds/layout.h"
#include "util/error.h"
#include "util/log.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/state_file.h"
#include "util/text.h"

namespace crowdfeed {

const ManifestFile* Manifest::find(std::string_view name) const {
  for (const auto& file : files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

TimePoint Manifest::version() const {
  TimePoint newest = hour;
  for (const auto& file : files) newest = std::max(newest, file.last_modified);
  return newest;
}

std::string render_manifest(const Manifest& manifest) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& file : manifest.files) {
    nlohmann::ordered_json entry = {{"name", file.name},
                                    {"feed", file.feed},
                                    {"format", file.format},
                                    {"size", file.size},
                                    {"entries", file.entries},
                                    {"sha256", file.sha256},
                                    {"by_hash", by_hash_name(file.sha256)},
                                    {"last_modified", format_iso8601(file.last_modified)},
                                    {"version", format_version(file.last_modified)}};
    if (file.since) entry["since"] = format_iso8601(*file.since);
    files.push_back(std::move(entry));
  }
  nlohmann::ordered_json json = {{"generated", format_iso8601(manifest.generated)},
                                 {"hour", format_iso8601(manifest.hour)},
                                 {"version", format_version(manifest.version())}};
  if (manifest.signing) {
    auto key = [](const PublishedKey& key) {
      return nlohmann::ordered_json{{"key_id", key.key_id}, {"public_key", key.public_key}};
    };
    nlohmann::ordered_json signing = {{"format", "minisign"},
                                      {"key_id", manifest.signing->key.key_id},
                                      {"public_key", manifest.signing->key.public_key},
                                      {"every_file", manifest.signing->every_file},
                                      {"announced_keys", nlohmann::ordered_json::array()}};
    for (const auto& announced : manifest.signing->announced) signing["announced_keys"].push_back(key(announced));
    json["signing"] = std::move(signing);
  }
  if (manifest.gzip) json["gzip"] = gzip_level_name(*manifest.gzip);
  json["files"] = std::move(files);
  return json.dump(2) + "\n";
}

bool is_signed(const Manifest& manifest, std::string_view name) {
  if (!manifest.signing) return false;
  return manifest.signing->every_file || name == kChecksumsName || name == kManifestName;
}

std::vector<SignedFile> signed_files(const Manifest& manifest) {
  std::vector<SignedFile> signed_ones;
  if (!manifest.signing) return signed_ones;
  auto add = [&](std::string name) {
    std::string signature = signature_name(name);
    signed_ones.push_back({std::move(name), std::move(signature)});
  };
  if (manifest.signing->every_file) {
    for (const auto& file : manifest.files) add(file.name);
  }
  add(std::string(kChecksumsName));
  add(std::string(kManifestName));
  return signed_ones;
}

std::string render_sha256sums(const Manifest& manifest) {
  std::string text;
  for (const auto& file : manifest.files) text += fmt::format("{}  {}\n", file.sha256, file.name);
  return text;
}

namespace {

constexpr std::size_t kMaxManifestBytes = std::size_t{64} << 20;

TimePoint time_field(const nlohmann::json& json, const char* key) {
  auto time = parse_time(json.at(key).get<std::string>());
  if (!time) throw DamagedFileError(fmt::format("{} is not a time", key));
  return *time;
}

}  // namespace

Manifest parse_manifest(std::string_view text) {
  auto json = nlohmann::json::parse(text);
  Manifest manifest;
  manifest.generated = time_field(json, "generated");
  manifest.hour = time_field(json, "hour");
  for (const auto& file : json.at("files")) {
    ManifestFile entry{file.at("name").get<std::string>(),
                       file.at("feed").get<std::string>(),
                       file.at("format").get<std::string>(),
                       file.at("size").get<std::uint64_t>(),
                       bounded_integer(file, "entries", 0, kMaxCount),
                       file.at("sha256").get<std::string>(),
                       time_field(file, "last_modified"),
                       std::nullopt};
    if (file.contains("since")) entry.since = time_field(file, "since");
    if (std::string problem = relative_name_problem(entry.name); !problem.empty()) {
      throw DamagedFileError(fmt::format("the file name {} {}", quote_text(entry.name), problem));
    }
    if (!is_sha256_hex(entry.sha256)) throw DamagedFileError(fmt::format("{}: no SHA-256", quote_text(entry.name)));
    manifest.files.push_back(std::move(entry));
  }
  if (json.contains("signing")) {
    const auto& signing = json.at("signing");
    auto key = [](const nlohmann::json& key) {
      return PublishedKey{key.at("key_id").get<std::string>(), key.at("public_key").get<std::string>()};
    };
    manifest.signing = ManifestSigning{key(signing), signing.at("every_file").get<bool>(), {}};
    for (const auto& announced : signing.at("announced_keys")) manifest.signing->announced.push_back(key(announced));
  }
  if (json.contains("gzip")) {
    // A level this version does not know counts as another level.
    for (GzipLevel level : {GzipLevel::kFast, GzipLevel::kSmall}) {
      if (json.at("gzip").get<std::string>() == gzip_level_name(level)) manifest.gzip = level;
    }
  }
  return manifest;
}

std::optional<Manifest> read_manifest(const std::filesystem::path& path) {
  try {
    std::optional<std::string> text = read_regular_file(path, kMaxManifestBytes);
    if (!text) return std::nullopt;
    Manifest manifest = parse_manifest(*text);
    // Versions only grow: a manifest from the future would hold them there
    // for good. It is not one this job wrote, and is not trusted.
    TimePoint latest = now_utc() + std::chrono::days(1);
    if (manifest.generated > latest || manifest.version() > latest) {
      throw DamagedFileError(fmt::format("it is dated {}, later than this machine's clock allows",
                                         format_iso8601(std::max(manifest.generated, manifest.version()))));
    }
    return manifest;
  } catch (const std::exception& error) {
    log::warning("ignoring the unreadable previous manifest {}: {}", path.string(), error.what());
    return std::nullopt;
  }
}

}  // namespace crowdfeed
