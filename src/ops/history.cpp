#include "ops/history.h"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "feeds/manifest.h"
#include "util/atomic_file.h"
#include "util/decompress.h"
#include "util/error.h"
#include "util/gzip.h"
#include "util/sha256.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCsvHeader = "hour,feed,entries,added,removed";

// The number a directory name spells, or nullopt ("2026", "07").
std::optional<int> number_of(const fs::path& path) {
  std::string name = path.filename().string();
  int value = 0;
  auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (error != std::errc() || end != name.data() + name.size()) return std::nullopt;
  return value;
}

// The numbered subdirectories of `directory`, as (number, path).
std::vector<std::pair<int, fs::path>> numbered_subdirectories(const fs::path& directory) {
  std::vector<std::pair<int, fs::path>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (!entry.is_directory()) continue;
    if (auto number = number_of(entry.path())) found.emplace_back(*number, entry.path());
  }
  return found;
}

// Compresses `source` into `target` atomically.
void gzip_file(const fs::path& source, const fs::path& target) {
  std::ifstream in(source, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {} to archive it", source.string()));
  AtomicFile out(target);
  GzipOutput compressed(out);
  std::string buffer(1 << 16, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    compressed.write(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  compressed.finish();
  out.commit();
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

History::History(fs::path feeds_dir) : archive_dir_(std::move(feeds_dir) / "archive") {}

fs::path History::hour_directory(TimePoint hour) const {
  return archive_dir_ / date::format("%Y/%m/%d/%H", floor_to_hour(hour));
}

std::vector<TimePoint> History::archived_hours() const {
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

std::optional<History::PreviousList> History::list_before(TimePoint hour, const std::string& file_name) const {
  std::vector<TimePoint> hours = archived_hours();
  for (auto it = hours.rbegin(); it != hours.rend(); ++it) {
    if (*it >= hour) continue;
    fs::path path = hour_directory(*it) / (file_name + ".gz");
    if (!fs::exists(path)) continue;
    return PreviousList{*it, plain_feed_domains(decompress_if_compressed(read_file(path)))};
  }
  return std::nullopt;
}

void History::archive(TimePoint hour, const std::vector<std::string>& file_names) const {
  fs::path directory = hour_directory(hour);
  fs::create_directories(directory);
  for (const auto& name : file_names) gzip_file(archive_dir_.parent_path() / name, directory / (name + ".gz"));
}

std::vector<HistoryRow> History::rows() const {
  std::vector<HistoryRow> rows;
  std::ifstream in(csv_path());
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    if (++number == 1 && line == kCsvHeader) continue;
    std::istringstream fields(line);
    std::string hour, feed, entries, added, removed;
    std::getline(fields, hour, ',');
    std::getline(fields, feed, ',');
    std::getline(fields, entries, ',');
    std::getline(fields, added, ',');
    std::getline(fields, removed, ',');
    auto time = parse_time(hour);
    try {
      if (!time || feed.empty()) throw std::invalid_argument("hour or feed");
      rows.push_back({*time, feed, std::stoll(entries), std::stoll(added), std::stoll(removed)});
    } catch (const std::exception&) {
      throw Error(fmt::format("{}:{}: not a history row: {:?}", csv_path().string(), number, line));
    }
  }
  return rows;
}

std::size_t History::record(TimePoint hour, const std::vector<HistoryRow>& new_rows,
                            std::chrono::days retention) const {
  TimePoint oldest = floor_to_hour(hour) - retention;
  std::vector<HistoryRow> kept;
  for (auto& row : rows()) {
    if (row.hour >= oldest && row.hour != floor_to_hour(hour)) kept.push_back(std::move(row));
  }
  kept.insert(kept.end(), new_rows.begin(), new_rows.end());
  std::stable_sort(kept.begin(), kept.end(), [](const HistoryRow& a, const HistoryRow& b) { return a.hour < b.hour; });
  std::string text = std::string(kCsvHeader) + "\n";
  for (const auto& row : kept) {
    text += fmt::format("{},{},{},{},{}\n", format_iso8601(row.hour), row.feed, row.entries, row.added, row.removed);
  }
  fs::create_directories(archive_dir_);
  write_file_atomically(csv_path(), text);

  std::size_t deleted = 0;
  for (TimePoint archived : archived_hours()) {
    if (archived >= oldest) continue;
    fs::path directory = hour_directory(archived);
    fs::remove_all(directory);
    ++deleted;
    // The day, month and year directories go with their last hour.
    std::error_code error;
    for (fs::path parent = directory.parent_path(); parent != archive_dir_; parent = parent.parent_path()) {
      if (!fs::remove(parent, error)) break;  // not empty
    }
  }
  return deleted;
}

std::vector<FeedChanges> changes_since_previous_hour(const Config& config, const FeedSet& feeds, TimePoint hour) {
  hour = floor_to_hour(hour);
  std::optional<Manifest> published = read_manifest(config.feeds_dir / "manifest.json");
  History history(config.feeds_dir);
  std::vector<FeedChanges> changes;
  for (const Feed* feed : {&feeds.malicious, &feeds.non_malicious}) {
    std::string plain = feed->name + ".txt";
    const ManifestFile* listed = published ? published->find(plain) : nullptr;
    // The published list is the previous hour's only while it is what that
    // hour's manifest lists: a run killed half-way may have replaced it.
    std::string text = listed != nullptr && published->hour < hour ? read_file(config.feeds_dir / plain) : "";
    if (listed != nullptr && published->hour < hour && sha256_hex(text) == listed->sha256) {
      changes.push_back(compare_feeds(*feed, plain_feed_domains(text), published->hour));
    } else if (auto archived = history.list_before(hour, plain)) {
      changes.push_back(compare_feeds(*feed, archived->domains, archived->hour));
    } else {
      changes.push_back(compare_feeds(*feed, {}, std::nullopt));
    }
  }
  return changes;
}

std::vector<std::string> archived_file_names(const FeedSettings& settings) {
  std::vector<std::string> names;
  for (const auto& feed : {settings.malicious_name, settings.non_malicious_name}) {
    for (const char* suffix : {".txt", ".added.txt", ".removed.txt"}) names.push_back(feed + suffix);
  }
  names.emplace_back("manifest.json");
  return names;
}

}  // namespace crowdfeed
