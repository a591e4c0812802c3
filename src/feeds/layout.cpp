#include "feeds/layout.h"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace crowdfeed {

std::string archive_hour_folder(TimePoint hour) {
  return fmt::format("{}/{}", kArchiveFolder, date::format("%Y/%m/%d/%H", floor_to_hour(hour)));
}

std::string reserved_feed_name_problem(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // Compared without case: a destination on a case-insensitive file system
  // would mix them up too.
  for (std::string_view reserved : {kManifestName, kChecksumsName, kExcludedName, kIndexPageName}) {
    std::string_view stem = reserved.substr(0, reserved.find('.'));
    std::string lower_stem(stem);
    std::transform(lower_stem.begin(), lower_stem.end(), lower_stem.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == lower_stem || lower.starts_with(lower_stem + ".")) {
      return fmt::format("would collide with the feeds directory's {}", reserved);
    }
  }
  // The feed set's own files: misp-feeds.json, crowdfeed-suricata.tar.gz,
  // crowdfeed-iprep-categories.txt (feeds/feed_set_files.h).
  for (std::string_view stem : {"misp-feeds", "crowdfeed-suricata", "crowdfeed-iprep-categories"}) {
    if (lower == stem || lower.starts_with(std::string(stem) + ".")) {
      return fmt::format("would collide with the feed set's file {}.*", stem);
    }
  }
  for (std::string_view folder : {std::string_view("archive"), std::string_view("by-hash"), std::string_view("misp")}) {
    if (lower == folder || lower.starts_with(std::string(folder) + ".")) {
      return fmt::format("would collide with the feeds directory's {}/ folder", folder);
    }
  }
  for (std::string_view delta : {".added", ".removed", ".delta"}) {
    if (lower.ends_with(delta) || lower.find(std::string(delta) + ".") != std::string::npos) {
      return fmt::format("would collide with another feed's {} delta file", delta);
    }
  }
  return {};
}

namespace {
constexpr std::string_view kByHashPrefix = "by-hash/SHA256/";
}  // namespace

std::string by_hash_name(std::string_view sha256) {
  return fmt::format("{}{}", kByHashPrefix, sha256);
}

bool is_by_hash_name(std::string_view name) {
  if (!name.starts_with(kByHashPrefix)) return false;
  std::string_view hex = name.substr(kByHashPrefix.size());
  return hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace crowdfeed
