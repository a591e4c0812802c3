#include "cluster/report_readers.h"

#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <vector>

#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kProblemsKept = 20;

// Every input format: one line each. The first is what "auto" falls back
// to when a file shows no format's markers.
const std::vector<std::reference_wrapper<const ReportReader>>& readers() {
  static const std::vector<std::reference_wrapper<const ReportReader>> kReaders = {
      otx_report_reader(),
      misp_report_reader(),
      stix_report_reader(),
      csv_report_reader(),
  };
  return kReaders;
}

}  // namespace

void ReadProblems::add(const std::string& problem) {
  if (++count <= kProblemsKept) first.push_back(safe_message(problem));
}

const ReportReader* find_report_reader(std::string_view name) {
  for (const ReportReader& reader : readers()) {
    if (reader.name() == name) return &reader;
  }
  return nullptr;
}

std::string report_reader_names() {
  std::string names = "auto";
  for (const ReportReader& reader : readers()) names += fmt::format(", {}", reader.name());
  return names;
}

const ReportReader& detect_report_reader(std::istream& in, const fs::path& file) {
  const std::string extension = lower_ascii(file.extension().string());
  for (const ReportReader& reader : readers()) {
    for (std::string_view known : reader.extensions()) {
      if (extension == known) return reader;
    }
  }
  // The first of the keys that only one format has, in the first 64 KiB.
  std::string head(std::size_t{64} * 1024, '\0');
  std::streampos start = in.tellg();
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  in.clear();
  in.seekg(start);
  std::size_t first = std::string::npos;
  const ReportReader* detected = &readers().front().get();
  for (const ReportReader& reader : readers()) {
    for (std::string_view marker : reader.markers()) {
      std::size_t at = head.find(marker);
      if (at < first) {
        first = at;
        detected = &reader;
      }
    }
  }
  return *detected;
}

void read_reports(const fs::path& file, const ReportReader* reader, ClusterInput& input, ReadProblems& problems,
                  std::size_t max_record_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}", file.string()));
  read_reports(in, file, reader, input, problems, max_record_bytes);
}

void read_reports(std::istream& in, const fs::path& file, const ReportReader* reader, ClusterInput& input,
                  ReadProblems& problems, std::size_t max_record_bytes) {
  if (reader == nullptr) reader = &detect_report_reader(in, file);
  reader->read(file, in, input, problems, max_record_bytes);
}

}  // namespace crowdfeed
