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

// One MISP attribute of `report`: its type and value, a composite type
// such as "domain|ip" naming two indicators ("ip-dst|port" one), and a
// malware sample ("filename|md5") the hash of its file.
void add_attribute(std::uint32_t report, const json& attribute, ClusterInput& input, ReadProblems& problems,
                   absl::FunctionRef<std::string()> at) {
  if (!attribute.is_object() || !attribute.contains("type") || !attribute["type"].is_string() ||
      !attribute.contains("value") || !attribute["value"].is_string()) {
    problems.add(fmt::format("{}: an attribute has a \"type\" and a \"value\", both strings", at()));
    return;
  }
  const auto& type = attribute["type"].get_ref<const std::string&>();
  const auto& value = attribute["value"].get_ref<const std::string&>();
  if (type == "malware-sample") {
    auto bar = value.rfind('|');
    input.add_indicator(report,
                        bar == std::string::npos ? std::string_view(value) : std::string_view(value).substr(bar + 1),
                        "md5", at);
    return;
  }
  if (type.find('|') == std::string::npos) {
    input.add_indicator(report, value, type, at);
    return;
  }
  // Composite: each part of the value has the type of its part of the name.
  std::string_view types = type, values = value;
  for (;;) {
    auto type_end = types.find('|'), value_end = values.find('|');
    std::string_view part_type = types.substr(0, type_end);
    if (part_type != "port" && part_type != "filename") {
      input.add_indicator(report, values.substr(0, value_end), part_type, at);
    }
    if (type_end == std::string_view::npos || value_end == std::string_view::npos) break;
    types.remove_prefix(type_end + 1);
    values.remove_prefix(value_end + 1);
  }
}

// One MISP event: {"Event": {...}} or the event itself, with "uuid" (or
// "id"), "info", and "Attribute"s, also inside its "Object"s.
void add_event(const json& record, const std::string& position, ClusterInput& input, ReadProblems& problems) {
  const json& event = record.is_object() && record.contains("Event") ? record["Event"] : record;
  if (!event.is_object()) {
    problems.add(fmt::format("{}: an event is a JSON object, not {}", position, event.type_name()));
    return;
  }
  std::string id = text_of(event, "uuid");
  if (id.empty()) id = text_of(event, "id");
  if (id.empty()) {
    problems.add(fmt::format("{}: the event has no \"uuid\" or \"id\"", position));
    return;
  }
  std::string name = text_of(event, "info");
  std::uint32_t report = input.add_report(id, name.empty() ? id : name);

  auto add_attributes = [&](const json& attributes, const std::string& where) {
    if (!attributes.is_array()) return;
    std::size_t index = 0;
    for (const json& attribute : attributes) {
      auto at = [&, index = index++] {
        return fmt::format("{} (event {}, {}attribute {})", position, quote_text(id), where, index);
      };
      add_attribute(report, attribute, input, problems, at);
    }
  };
  if (event.contains("Attribute")) add_attributes(event["Attribute"], "");
  if (event.contains("Object") && event["Object"].is_array()) {
    std::size_t index = 0;
    for (const json& object : event["Object"]) {
      if (object.is_object() && object.contains("Attribute")) {
        add_attributes(object["Attribute"], fmt::format("object {}, ", index));
      }
      ++index;
    }
  }
}

// One attribute of a MISP /attributes/restSearch answer: its event, the
// report, is its "Event" ({"uuid", "info"}), else "event_uuid", else
// "event_id".
void add_search_attribute(const json& attribute, const std::string& position, ClusterInput& input,
                          ReadProblems& problems) {
  if (!attribute.is_object()) {
    problems.add(fmt::format("{}: an attribute is a JSON object, not {}", position, attribute.type_name()));
    return;
  }
  std::string id, name;
  if (auto event = attribute.find("Event"); event != attribute.end() && event->is_object()) {
    id = text_of(*event, "uuid");
    if (id.empty()) id = text_of(*event, "id");
    name = text_of(*event, "info");
  }
  if (id.empty()) id = text_of(attribute, "event_uuid");
  if (id.empty()) id = text_of(attribute, "event_id");
  if (id.empty()) {
    problems.add(fmt::format("{}: the attribute names no event (\"Event\", \"event_uuid\" or \"event_id\")", position));
    return;
  }
  std::uint32_t report = input.add_report(id, name);
  add_attribute(report, attribute, input, problems,
                [&] { return fmt::format("{} (event {})", position, quote_text(id)); });
}

}  // namespace

namespace {

// MISP's events ({"response": [...]} of events, an array of them, or one
// event), or the attributes of /attributes/restSearch ({"response":
// {"Attribute": [...]}}), each naming its event.
void read_misp(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
               std::size_t max_record_bytes) {
  RecordStream stream(file, {{"response"}, {"response", "Attribute"}}, {"event", "attribute"}, problems,
                      max_record_bytes, [&](const json& record, const std::string& position, std::size_t path) {
                        if (path == 1) {
                          add_search_attribute(record, position, input, problems);
                        } else {
                          add_event(record, position, input, problems);
                        }
                      });
  json::sax_parse(in, &stream);
}

class MispReader : public ReportReader {
 public:
  std::string_view name() const override { return "misp"; }
  std::vector<std::string_view> markers() const override { return {"\"Event\"", "\"Attribute\""}; }
  void read(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
            std::size_t max_record_bytes) const override {
    read_misp(file, in, input, problems, max_record_bytes);
  }
};

}  // namespace

const ReportReader& misp_report_reader() {
  static const MispReader reader;
  return reader;
}

}  // namespace crowdfeed
