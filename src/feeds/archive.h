// The archive of what was published, read side: every hour's plain
// lists, delta lists and manifest under feeds/archive/YYYY/MM/DD/HH/,
// gzip-compressed. The deltas compare against its previous lists; ops/
// history writes it and prunes it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/time.h"

namespace crowdfeed {

class Archive {
 public:
  explicit Archive(std::filesystem::path feeds_dir);

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

  // Every archived hour, oldest first.
  std::vector<TimePoint> archived_hours() const;

 protected:
  TimePoint archived_version(TimePoint hour) const;
  std::filesystem::path archive_dir_;
};

// The text of a file of the archive or the feeds directory (crowdfeed's own
// files): read without following a link, and with a bound.
std::string read_archive_file(const std::filesystem::path& path);

}  // namespace crowdfeed
