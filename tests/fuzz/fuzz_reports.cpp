// The threat-report readers of `crowdfeed cluster`, OTX JSON (streamed
// through the SAX reader, or JSON Lines), CSV, MISP events, STIX bundles,
// or the detection of "auto" (the first byte chooses, modulo 5):
// whatever the input, every indicator kept is clean for its type, every
// link names a report and an indicator that exist, and a malformed file is
// an Error, never a crash.
#include <sstream>

#include "cluster/report_readers.h"
#include "fuzz_common.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  if (size == 0) return 0;
  static const char* const kFormats[] = {"otx", "csv", "misp", "stix", "auto"};
  const ReportReader* format = find_report_reader(kFormats[data[0] % std::size(kFormats)]);
  std::istringstream in(std::string(fuzz::as_text(data + 1, size - 1)));
  ClusterInput input(3);  // small batches: the interning thread runs on short inputs too
  ReadProblems problems;
  try {
    read_reports(in, "fuzz", format, input, problems);
  } catch (const Error&) {
    // Not valid JSON at all: an error for the whole file, allowed.
  }
  input.finish();
  for (const auto& indicator : input.indicators()) {
    if (!fuzz::is_clean_indicator(indicator.value, indicator.type)) {
      fuzz::violated("an unclean indicator kept", indicator.value);
    }
  }
  for (const auto& [report, indicator] : input.links()) {
    if (report >= input.reports().size() || indicator >= input.indicators().size()) {
      fuzz::violated("a link to nothing");
    }
  }
  if (problems.first.size() > 20 || problems.first.size() > problems.count) fuzz::violated("problems miscounted");
  return 0;
}
