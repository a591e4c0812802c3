#include "ops/history.h"

#include <date/date.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/settings.h"
#include "util/atomic_file.h"
#include "util/decompress.h"
#include "util/error.h"
#include "util/gzip.h"
#include "util/log.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/state_file.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCsvHeader = "hour,feed,entries,added,removed";

// Compresses `source` into `target` atomically, reading it without
// following a link.
void gzip_file(const fs::path& source, const fs::path& target, GzipLevel level) {
  FileDescriptor in = open_beneath(source.parent_path(), source.filename().string());
  AtomicFile out(target);
  GzipOutput compressed(out, level);
  std::string buffer(1 << 16, '\0');
  for (ssize_t got; (got = ::read(in.get(), buffer.data(), buffer.size())) != 0;) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(fmt::format("cannot read {} to archive it", source.string()));
    compressed.write(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  compressed.finish();
  out.commit();
}

}  // namespace

History::History(fs::path feeds_dir, GzipLevel level) : Archive(std::move(feeds_dir)), level_(level) {}

void History::archive(TimePoint hour, const std::vector<std::string>& file_names,
                      const std::set<std::string>& compressed) const {
  fs::path directory = hour_directory(hour);
  create_public_directories(directory);
  const fs::path feeds_dir = archive_dir_.parent_path();
  // A rerun in the same hour: what the hour's archived manifest lists with
  // the digest the live manifest gives it is archived already. The archived
  // manifest goes first and comes back last, so it never vouches for a copy
  // that a killed run left half-replaced.
  std::optional<Manifest> archived, live;
  try {
    if (fs::exists(directory / "manifest.json.gz")) {
      archived = parse_manifest(decompress_if_compressed(read_archive_file(directory / "manifest.json.gz")));
    }
    live = read_manifest(feeds_dir / "manifest.json");
  } catch (const std::exception&) {
    archived.reset();  // archived again, whole
  }
  auto archived_already = [&](const std::string& name) {
    const ManifestFile* before = archived ? archived->find(name) : nullptr;
    const ManifestFile* now = live ? live->find(name) : nullptr;
    return before != nullptr && now != nullptr && before->sha256 == now->sha256 &&
           fs::is_regular_file(fs::symlink_status(directory / (name + ".gz")));
  };
  std::vector<std::string> to_archive;
  for (const auto& name : file_names) {
    if (name != "manifest.json" && !archived_already(name)) to_archive.push_back(name);
  }
  // The manifest's signature, after the manifest, so that `crowdfeed verify
  // --archive HOUR` can check the archived hour; none when signing is off.
  auto keep_signature = [&] {
    const fs::path signature = feeds_dir / "manifest.json.minisig";
    std::error_code missing;
    if (fs::is_regular_file(fs::symlink_status(signature, missing))) {
      write_file_atomically(directory / "manifest.json.minisig", read_archive_file(signature), kPublicFile);
    } else {
      fs::remove(directory / "manifest.json.minisig", missing);
    }
  };
  if (to_archive.empty() && archived && live && render_manifest(*archived) == render_manifest(*live)) {
    keep_signature();
    return;
  }
  std::error_code ignored;
  // The signature goes with the manifest it signs, and comes back after it.
  fs::remove(directory / "manifest.json.minisig", ignored);
  fs::remove(directory / "manifest.json.gz", ignored);
  if (std::find(file_names.begin(), file_names.end(), "manifest.json") != file_names.end()) {
    to_archive.emplace_back("manifest.json");
  }
  for (const auto& name : to_archive) {
    fs::path target = directory / (name + ".gz");
    if (!compressed.contains(name)) {
      gzip_file(feeds_dir / name, target, level_);
      continue;
    }
    // The published .gz copy holds the same bytes gzip_file would write: a
    // link to it costs nothing, where compressing again took most of an
    // unchanged hour's run.
    struct stat source_info {
    }, target_info{};
    fs::path source = feeds_dir / (name + ".gz");
    if (::lstat(source.c_str(), &source_info) == 0 && ::lstat(target.c_str(), &target_info) == 0 &&
        source_info.st_ino == target_info.st_ino && source_info.st_dev == target_info.st_dev) {
      continue;
    }
    relink_durably(source, target);
  }
  keep_signature();
}

std::vector<HistoryRow> History::rows() const {
  std::optional<std::string> text;
  try {
    text = read_regular_file(csv_path(), std::size_t{4} << 30);
  } catch (const Error& error) {
    // Not a file crowdfeed wrote: the next record() replaces it.
    log::warning("{}; starting the history again", error.what());
  }
  return text ? parse_history_csv(*text, csv_path().string()) : std::vector<HistoryRow>{};
}

std::vector<HistoryRow> parse_history_csv(std::string_view text, const std::string& origin) {
  std::vector<HistoryRow> rows;
  std::istringstream in{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    if (++number == 1 && line == kCsvHeader) continue;
    std::istringstream fields(line);
    std::string hour, feed, entries, added, removed, rest;
    std::getline(fields, hour, ',');
    std::getline(fields, feed, ',');
    std::getline(fields, entries, ',');
    std::getline(fields, added, ',');
    std::getline(fields, removed, ',');
    std::getline(fields, rest);
    auto time = parse_time(hour);
    auto count = [](const std::string& field) -> std::int64_t {
      std::int64_t value = -1;
      auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
      if (error != std::errc() || end != field.data() + field.size() || value > kMaxCount) return -1;
      return value;
    };
    HistoryRow row{time.value_or(TimePoint{}), feed, count(entries), count(added), count(removed)};
    // The feed names crowdfeed writes: letters, digits, '.', '_' and '-'.
    bool feed_ok = !feed.empty() && feed.find_first_not_of(
                                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789._-") == std::string::npos;
    if (!time || !feed_ok || !rest.empty() || row.entries < 0 || row.added < 0 || row.removed < 0) {
      // One damaged row must not stop every later run: it is skipped.
      log::warning("{}:{}: skipping a damaged history row: {}", origin, number, quote_text(line));
      continue;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string render_history_csv(const std::vector<HistoryRow>& rows) {
  std::string text = std::string(kCsvHeader) + "\n";
  for (const auto& row : rows) {
    text += fmt::format("{},{},{},{},{}\n", format_iso8601(row.hour), row.feed, row.entries, row.added, row.removed);
  }
  return text;
}

std::size_t History::record(TimePoint hour, const std::vector<HistoryRow>& new_rows, std::chrono::days retention,
                            TimePoint now) const {
  // Pruning never runs ahead of the wall clock, and never takes the hour
  // just recorded.
  TimePoint oldest = floor_to_hour(std::min(hour, now)) - retention;
  std::vector<HistoryRow> kept;
  for (auto& row : rows()) {
    if (row.hour >= oldest && row.hour != floor_to_hour(hour)) kept.push_back(std::move(row));
  }
  kept.insert(kept.end(), new_rows.begin(), new_rows.end());
  std::stable_sort(kept.begin(), kept.end(), [](const HistoryRow& a, const HistoryRow& b) { return a.hour < b.hour; });
  create_public_directories(archive_dir_);
  write_file_atomically(csv_path(), render_history_csv(kept));

  std::size_t deleted = 0;
  for (TimePoint archived : archived_hours()) {
    if (archived >= oldest || archived == floor_to_hour(hour)) continue;
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

std::vector<std::string> archived_file_names(const FeedSettings& settings) {
  std::vector<std::string> names;
  for (const FeedSpec& feed : feed_set(settings)) {
    for (const char* suffix : {".txt", ".added.txt", ".removed.txt"}) names.push_back(feed.name + suffix);
  }
  names.emplace_back("manifest.json");
  return names;
}

}  // namespace crowdfeed
