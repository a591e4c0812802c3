// The history of what was published: every hour's plain lists, delta lists
// and manifest under feeds/archive/YYYY/MM/DD/HH/, gzip-compressed, and
// feeds/archive/history.csv with each hour's counts per feed (the index
// page draws its charts from it). Both are pruned after the retention.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "util/time.h"

namespace crowdfeed {

// One feed at one published hour.
struct HistoryRow {
  TimePoint hour{};
  std::string feed;
  std::int64_t entries = 0;
  std::int64_t added = 0;
  std::int64_t removed = 0;
  bool operator==(const HistoryRow&) const = default;
};

class History {
 public:
  explicit History(std::filesystem::path feeds_dir);

  // feeds/archive/YYYY/MM/DD/HH for `hour`.
  std::filesystem::path hour_directory(TimePoint hour) const;

  // The newest archived hour before `hour` that holds `file_name` (gzipped),
  // the text of that plain list and its Last-Modified (from the hour's
  // archived manifest); nullopt when there is none.
  struct PreviousList {
    TimePoint hour;
    std::string text;
    TimePoint last_modified;
  };
  std::optional<PreviousList> list_before(TimePoint hour, const std::string& file_name) const;

  // The newest archived hour no later than `latest`, and the version it
  // published (its archived manifest's, or the hour itself when that
  // cannot be read); nullopt for an empty archive.
  struct ArchivedHour {
    TimePoint hour;
    TimePoint version;
  };
  std::optional<ArchivedHour> newest(TimePoint latest) const;
  // The newest version any archived hour no later than `latest` published
  // (a run forced to an earlier hour archives a newer version there): reads
  // every archived manifest, for when the live one is lost.
  std::optional<TimePoint> newest_version(TimePoint latest) const;

  // Copies `file_names` from the feeds directory into the hour's directory,
  // each as FILE.gz, atomically. A rerun in the same hour replaces them.
  // For the names in `compressed`, the feeds directory holds a current
  // FILE.gz, which is linked instead of compressing FILE again.
  void archive(TimePoint hour, const std::vector<std::string>& file_names,
               const std::set<std::string>& compressed = {}) const;

  // The rows of history.csv; empty when it does not exist yet. A damaged
  // row is reported and skipped.
  std::vector<HistoryRow> rows() const;

  // Replaces the rows of `hour` with `rows`, and drops rows (and archived
  // hours) older than `retention` before `hour` or the wall clock `now`,
  // whichever is earlier; never `hour` itself. Returns the number of
  // archived hours deleted.
  std::size_t record(TimePoint hour, const std::vector<HistoryRow>& rows, std::chrono::days retention,
                     TimePoint now) const;

  std::filesystem::path csv_path() const { return archive_dir_ / "history.csv"; }

 private:
  std::vector<TimePoint> archived_hours() const;
  TimePoint archived_version(TimePoint hour) const;

  std::filesystem::path archive_dir_;
};

// The rows of a history.csv text (`origin` names it in warnings); damaged
// rows are reported and skipped.
std::vector<HistoryRow> parse_history_csv(std::string_view text, const std::string& origin);

// history.csv's text for `rows`.
std::string render_history_csv(const std::vector<HistoryRow>& rows);

// The files of an hour that the archive keeps.
std::vector<std::string> archived_file_names(const FeedSettings& settings);

}  // namespace crowdfeed
