// Readers of published threat reports, each streaming its file into a
// ClusterInput: a bad record is reported with its file and position and
// skipped; a file that cannot be read at all is an Error.
//   csv: rows "report,indicator[,type]" (a header row naming them is optional)
//   otx: AlienVault OTX pulses as its API returns them: {"results": [...]}, a
//        JSON array of pulses, one pulse, or JSON Lines (one pulse a line);
//        each pulse with "id", "name" and "indicators" of {"type", "indicator"}
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "cluster/input.h"

namespace crowdfeed {

enum class ReportFormat { kOtx, kCsv };

// "otx", "csv" or "auto" (by the file's extension: .csv is csv, else otx).
std::optional<ReportFormat> parse_report_format(std::string_view name, const std::filesystem::path& file);

// Problems with records, "FILE:POSITION: reason".
struct ReadProblems {
  std::uint64_t count = 0;
  std::vector<std::string> first;  // the first 20
  void add(std::string problem);
};

void read_reports(const std::filesystem::path& file, ReportFormat format, ClusterInput& input, ReadProblems& problems);

// The same from a stream that `file` names in messages (it must allow one
// seek back to its start).
void read_reports(std::istream& in, const std::filesystem::path& file, ReportFormat format, ClusterInput& input,
                  ReadProblems& problems);

}  // namespace crowdfeed
