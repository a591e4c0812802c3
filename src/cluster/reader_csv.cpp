#include <fmt/format.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <string>

#include "cluster/record_stream.h"
#include "cluster/report_reader.h"
#include "util/csv_line.h"
#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void read_csv(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems) {
  CsvLineParser parser;
  std::vector<std::string> fields;
  std::string line;
  std::string error;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.starts_with('#')) continue;
    if (!parser.split(line, fields, error)) {
      problems.add(fmt::format("{}:{}: {}", file.string(), number, error));
      continue;
    }
    if (number == 1 && !fields.empty() && lower_ascii(fields[0]) == "report") continue;  // the header row
    if (fields.size() < 2 || fields.size() > 3) {
      problems.add(fmt::format("{}:{}: expected report,indicator[,type], found {} fields", file.string(), number,
                               fields.size()));
      continue;
    }
    if (fields[0].empty()) {
      problems.add(fmt::format("{}:{}: the report is empty", file.string(), number));
      continue;
    }
    std::uint32_t report = input.add_report(fields[0], fields[0]);
    input.add_indicator(report, fields[1], fields.size() == 3 ? fields[2] : std::string_view(),
                        [&] { return fmt::format("{}:{}", file.string(), number); });
  }
  if (in.bad()) throw Error(fmt::format("cannot read {}", file.string()));
}

class CsvReader : public ReportReader {
 public:
  std::string_view name() const override { return "csv"; }
  std::vector<std::string_view> extensions() const override { return {".csv"}; }
  void read(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
            std::size_t max_record_bytes) const override {
    read_csv(file, in, input, problems);
    (void)max_record_bytes;
  }
};

}  // namespace

const ReportReader& csv_report_reader() {
  static const CsvReader reader;
  return reader;
}

}  // namespace crowdfeed
