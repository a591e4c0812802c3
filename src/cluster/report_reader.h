// One input format of `crowdfeed cluster`: a reader that streams a file of
// published threat reports into a ClusterInput. A bad record is reported
// with its file and position and skipped; a file that cannot be read at all
// is an Error. Each format is one file (reader_csv.cpp, reader_otx.cpp,
// reader_misp.cpp, reader_stix.cpp) and one line of the table in
// report_readers.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/input.h"

namespace crowdfeed {

// Problems with records, "FILE:POSITION: reason".
struct ReadProblems {
  std::uint64_t count = 0;
  std::vector<std::string> first;  // the first 20
  void add(const std::string& problem);
};

// A JSON record (a pulse, an event, a STIX object) larger than this once
// parsed (an estimate of its memory, about four times its text for a
// typical event) is skipped and reported rather than built: 256 MiB by
// default, cluster.max_record_mib.
inline constexpr std::size_t kDefaultMaxRecordBytes = std::size_t{256} << 20;

class ReportReader {
 public:
  virtual ~ReportReader() = default;

  // The name --format takes, e.g. "misp".
  virtual std::string_view name() const = 0;

  // For --format auto: file extensions (lower case, with the dot) that
  // name this format, and JSON keys (quoted) that only this format has.
  virtual std::vector<std::string_view> extensions() const { return {}; }
  virtual std::vector<std::string_view> markers() const { return {}; }

  // Reads `in`, which `file` names in messages (it may be read from its
  // start once more, after one seek back).
  virtual void read(const std::filesystem::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
                    std::size_t max_record_bytes) const = 0;
};

// Each reader, defined in its own file.
const ReportReader& csv_report_reader();
const ReportReader& otx_report_reader();
const ReportReader& misp_report_reader();
const ReportReader& stix_report_reader();

}  // namespace crowdfeed
