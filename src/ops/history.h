// The history of what was published: the archive (feeds/archive, read by
// feeds/archive) as each run writes it, and
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

#include "config/settings.h"
#include "feeds/archive.h"
#include "util/gzip.h"
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

// The archive with its writing side: what each run archives, and
// history.csv with each hour's counts.
class History : public Archive {
 public:
  // `level`: how the files without a published .gz copy are compressed.
  explicit History(std::filesystem::path feeds_dir, GzipLevel level = GzipLevel::kFast);

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
  GzipLevel level_;
};

// The rows of a history.csv text (`origin` names it in warnings); damaged
// rows are reported and skipped.
std::vector<HistoryRow> parse_history_csv(std::string_view text, const std::string& origin);

// history.csv's text for `rows`.
std::string render_history_csv(const std::vector<HistoryRow>& rows);

// The files of an hour that the archive keeps.
std::vector<std::string> archived_file_names(const FeedSettings& settings);

}  // namespace crowdfeed
