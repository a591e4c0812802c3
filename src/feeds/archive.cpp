#include "feeds/archive.h"

#include <date/date.h>

#include <algorithm>
#include <charconv>

#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "util/decompress.h"
#include "util/log.h"
#include "util/safe_path.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// The number a directory name spells, or nullopt ("2026", "07").
std::optional<int> number_of(const fs::path& path) {
  std::string name = path.filename().string();
  int value = 0;
  auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (error != std::errc() || end != name.data() + name.size()) return std::nullopt;
  return value;
}

// The numbered subdirectories of `directory`, as (number, path). A
// symbolic link is never one: pruning must not follow it out of the archive.
std::vector<std::pair<int, fs::path>> numbered_subdirectories(const fs::path& directory) {
  std::vector<std::pair<int, fs::path>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    auto number = number_of(entry.path());
    if (!number) continue;
    if (entry.is_symlink()) {
      log::warning("ignoring {} in the archive: it is a symbolic link", quote_text(entry.path().string()));
      continue;
    }
    if (entry.is_directory()) found.emplace_back(*number, entry.path());
  }
  return found;
}

// The archive and the feeds directory hold crowdfeed's own files only:
// read without following a link, and with a bound.
constexpr std::size_t kMaxListBytes = std::size_t{4} << 30;

}  // namespace

std::string read_archive_file(const fs::path& path) {
  return read_beneath(path.parent_path(), path.filename().string(), kMaxListBytes);
}

namespace {

// The Last-Modified of `file_name` in the archived manifest of an hour, or
// the hour itself when that cannot be read.
TimePoint archived_last_modified(const fs::path& hour_dir, TimePoint hour, const std::string& file_name) {
  try {
    Manifest manifest = parse_manifest(decompress_if_compressed(read_archive_file(hour_dir / "manifest.json.gz")));
    if (const ManifestFile* file = manifest.find(file_name)) return file->last_modified;
  } catch (const std::exception&) {
    // An archive written by an older release, or damaged: the hour will do.
  }
  return hour;
}

}  // namespace

Archive::Archive(fs::path feeds_dir) : archive_dir_(std::move(feeds_dir) / "archive") {}

fs::path Archive::hour_directory(TimePoint hour) const {
  return archive_dir_.parent_path() / archive_hour_folder(hour);
}

std::vector<TimePoint> Archive::archived_hours() const {
  std::vector<TimePoint> hours;
  for (const auto& [year, year_dir] : numbered_subdirectories(archive_dir_)) {
    for (const auto& [month, month_dir] : numbered_subdirectories(year_dir)) {
      for (const auto& [day, day_dir] : numbered_subdirectories(month_dir)) {
        date::year_month_day ymd{date::year(year), date::month(static_cast<unsigned>(month)),
                                 date::day(static_cast<unsigned>(day))};
        if (!ymd.ok()) continue;
        for (const auto& [hour, hour_dir] : numbered_subdirectories(day_dir)) {
          if (hour >= 0 && hour < 24) hours.push_back(date::sys_days(ymd) + std::chrono::hours(hour));
        }
      }
    }
  }
  std::sort(hours.begin(), hours.end());
  return hours;
}

std::optional<Archive::PreviousList> Archive::list_before(TimePoint hour, const std::string& file_name) const {
  std::vector<TimePoint> hours = archived_hours();
  for (auto it = hours.rbegin(); it != hours.rend(); ++it) {
    if (*it >= hour) continue;
    fs::path directory = hour_directory(*it);
    fs::path path = directory / (file_name + ".gz");
    if (!fs::exists(path)) continue;
    return PreviousList{*it, decompress_if_compressed(read_archive_file(path)),
                        archived_last_modified(directory, *it, file_name)};
  }
  return std::nullopt;
}

// The version an archived hour published: its archived manifest's, or the
// hour itself when that cannot be read (an older release's archive).
TimePoint Archive::archived_version(TimePoint hour) const {
  try {
    return std::max(
        hour, parse_manifest(decompress_if_compressed(read_archive_file(hour_directory(hour) / "manifest.json.gz")))
                  .version());
  } catch (const std::exception&) {
    return hour;
  }
}

std::optional<Archive::ArchivedHour> Archive::newest(TimePoint latest) const {
  std::vector<TimePoint> hours = archived_hours();
  for (auto it = hours.rbegin(); it != hours.rend(); ++it) {
    if (*it <= latest) return ArchivedHour{*it, archived_version(*it)};
  }
  return std::nullopt;
}

std::optional<TimePoint> Archive::newest_version(TimePoint latest) const {
  std::optional<TimePoint> newest;
  for (TimePoint hour : archived_hours()) {
    if (hour > latest) continue;
    TimePoint version = archived_version(hour);
    if (version <= latest) newest = std::max(newest.value_or(version), version);
  }
  return newest;
}

}  // namespace crowdfeed
