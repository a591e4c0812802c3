#include <fmt/format.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <string>

#include "cluster/record_stream.h"
#include "cluster/report_reader.h"
#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One OTX pulse: its id, name and indicators. A pulse without an id or
// without an indicators array is a bad record.
void add_pulse(const json& pulse, const std::string& position, ClusterInput& input, ReadProblems& problems) {
  if (!pulse.is_object()) {
    problems.add(fmt::format("{}: a pulse is a JSON object, not {}", position, pulse.type_name()));
    return;
  }
  auto id = pulse.find("id");
  std::string id_text = id == pulse.end() ? std::string()
                        : id->is_string() ? id->get<std::string>()
                        : id->is_number() ? id->dump()
                                          : std::string();
  if (id_text.empty()) {
    problems.add(fmt::format("{}: the pulse has no \"id\"", position));
    return;
  }
  auto indicators = pulse.find("indicators");
  if (indicators == pulse.end() || !indicators->is_array()) {
    problems.add(fmt::format("{}: pulse {} has no \"indicators\" array", position, quote_text(id_text)));
    return;
  }
  auto name = pulse.find("name");
  std::uint32_t report =
      input.add_report(id_text, name != pulse.end() && name->is_string() ? name->get<std::string>() : id_text);
  std::size_t index = 0;
  for (const json& indicator : *indicators) {
    auto where = [&, index = index++] {
      return fmt::format("{} (pulse {}, indicator {})", position, quote_text(id_text), index);
    };
    auto value = indicator.is_object() ? indicator.find("indicator") : indicator.end();
    auto type = indicator.is_object() ? indicator.find("type") : indicator.end();
    if (!indicator.is_object() || value == indicator.end() || !value->is_string() || type == indicator.end() ||
        !type->is_string()) {
      problems.add(fmt::format("{}: an indicator is {{\"type\": ..., \"indicator\": ...}} with two strings", where()));
      continue;
    }
    input.add_indicator(report, value->get_ref<const std::string&>(), type->get_ref<const std::string&>(), where);
  }
}

void read_otx(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
              std::size_t max_record_bytes) {
  // JSON Lines (one pulse a line) or one JSON document: told from whether
  // the first line is a whole JSON value.
  std::string first;
  std::streampos start = in.tellg();
  std::getline(in, first);
  bool lines = json::accept(first) && in.peek() != std::char_traits<char>::eof();
  in.clear();
  in.seekg(start);
  if (!lines) {
    RecordStream stream(file, {{"results"}}, {"pulse"}, problems, max_record_bytes,
                        [&](const json& pulse, const std::string& position, std::size_t) {
                          add_pulse(pulse, position, input, problems);
                        });
    json::sax_parse(in, &stream);
    return;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line == "\r") continue;
    std::string position = fmt::format("{}:{}", file.string(), number);
    json pulse = json::parse(line, nullptr, false);
    if (pulse.is_discarded()) {
      problems.add(fmt::format("{}: not a JSON object", position));
      continue;
    }
    add_pulse(pulse, position, input, problems);
  }
  if (in.bad()) throw Error(fmt::format("cannot read {}", file.string()));
}

class OtxReader : public ReportReader {
 public:
  std::string_view name() const override { return "otx"; }
  std::vector<std::string_view> markers() const override { return {"\"indicators\"", "\"results\""}; }
  void read(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
            std::size_t max_record_bytes) const override {
    read_otx(file, in, input, problems, max_record_bytes);
  }
};

}  // namespace

const ReportReader& otx_report_reader() {
  static const OtxReader reader;
  return reader;
}

}  // namespace crowdfeed
