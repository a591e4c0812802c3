#include <catch2/catch.hpp>
#include <sstream>

#include "cluster/report_readers.h"

using namespace crowdfeed;

namespace {

std::string detected(const std::string& text, const std::string& file = "reports.json") {
  std::istringstream in(text);
  const ReportReader& reader = detect_report_reader(in, file);
  // The stream is left where it was: a reader reads it from the start.
  CHECK(in.tellg() == 0);
  return std::string(reader.name());
}

}  // namespace

TEST_CASE("every reader is found by its name, and only those") {
  for (const char* name : {"otx", "misp", "stix", "csv"}) {
    const ReportReader* reader = find_report_reader(name);
    REQUIRE(reader != nullptr);
    CHECK(reader->name() == name);
  }
  CHECK(find_report_reader("auto") == nullptr);
  CHECK(find_report_reader("STIX") == nullptr);
  CHECK(report_reader_names() == "auto, otx, misp, stix, csv");
}

TEST_CASE("auto-detection: the extension first, then the first key only one format has, else OTX") {
  CHECK(detected(R"({"Event": {}})", "events.CSV") == "csv");
  CHECK(detected(R"({"response": [{"Event": {"info": "x"}}]})") == "misp");
  CHECK(detected(R"({"response": {"Attribute": []}})") == "misp");
  CHECK(detected(R"({"type": "bundle", "spec_version": "2.1", "objects": []})") == "stix");
  CHECK(detected(R"({"results": [{"indicators": []}]})") == "otx");
  // Whichever marker comes first decides: a pulse that quotes "Event" later.
  CHECK(detected(R"({"indicators": [{"description": "see \"Event\""}]})") == "otx");
  CHECK(detected(R"({"objects": [], "note": "results"})") == "stix");
  CHECK(detected("") == "otx");
  CHECK(detected("not json at all") == "otx");
}
