#include "cluster/read_reports.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "util/csv_line.h"
#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kProblemsKept = 20;

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

// Streams a JSON document of records, holding one record in memory at a
// time whatever the file's size. The records are the elements of a
// top-level array, or of the array under `stream_key` in a top-level
// object (OTX's {"results": [...]}, MISP's {"response": [...]}, STIX's
// {"objects": [...]}); a top-level object without that array is itself
// the one record.
class RecordStream : public json::json_sax_t {
 public:
  using Emit = std::function<void(const json& record, const std::string& position)>;
  RecordStream(const fs::path& file, std::string stream_key, std::string noun, Emit emit)
      : file_(file), stream_key_(std::move(stream_key)), noun_(std::move(noun)), emit_(std::move(emit)) {}

  bool null() override { return value(json()); }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(v); }
  bool number_float(number_float_t v, const string_t&) override { return value(v); }
  bool string(string_t& v) override { return value(std::move(v)); }
  bool binary(binary_t&) override { return value(json()); }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    if (depth_ == 1 && top_is_object_) stream_key_seen_ = name == stream_key_;
    if (!building_.empty()) pending_key_ = std::move(name);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    throw Error(fmt::format("{}: not valid JSON at byte {}: {}", file_.string(), position, error.what()));
  }

 private:
  bool open(json container) {
    ++depth_;
    if (depth_ == 1) {
      top_is_object_ = container.is_object();
      top_is_array_ = container.is_array();
      if (top_is_object_) {
        // The top-level object may be the one record: built until the
        // stream key shows it holds them.
        building_.push_back(std::move(container));
        keys_.emplace_back();
      }
      return true;
    }
    if (depth_ == 2 && stream_key_seen_ && !in_stream_) {
      // The array of records itself: what the object held so far is not a record.
      building_.clear();
      keys_.clear();
      in_stream_ = container.is_array();
      return true;
    }
    if (building_.empty() && ((depth_ == 2 && top_is_array_) || (depth_ == 3 && in_stream_))) {
      building_.push_back(std::move(container));
      keys_.emplace_back();
      return true;
    }
    if (!building_.empty()) {
      building_.push_back(std::move(container));
      keys_.push_back(std::move(pending_key_));  // where it goes in its parent
      return true;
    }
    return true;  // skipped: outside any record
  }

  bool close() {
    if (!building_.empty()) {
      json done = std::move(building_.back());
      std::string key = std::move(keys_.back());
      building_.pop_back();
      keys_.pop_back();
      if (building_.empty()) {
        emit_(done, fmt::format("{}: {} {}", file_.string(), noun_, records_++));
      } else {
        insert(key, std::move(done));
      }
    }
    if (depth_ == 2 && in_stream_) in_stream_ = false;
    --depth_;
    return true;
  }

  bool value(json v) {
    if (!building_.empty()) insert(pending_key_, std::move(v));
    return true;
  }

  void insert(const std::string& key, json v) {
    json& parent = building_.back();
    if (parent.is_object()) {
      parent[key] = std::move(v);
    } else {
      parent.push_back(std::move(v));
    }
  }

  const fs::path& file_;
  std::string stream_key_;
  std::string noun_;
  Emit emit_;
  std::vector<json> building_;     // the record being built, and its open containers
  std::vector<std::string> keys_;  // the key of each open container in its parent
  std::string pending_key_;
  std::size_t depth_ = 0;
  std::size_t records_ = 0;
  bool top_is_object_ = false;
  bool top_is_array_ = false;
  bool stream_key_seen_ = false;
  bool in_stream_ = false;
};

// A string member of a JSON object, or empty.
std::string text_of(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end()) return {};
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number()) return found->dump();
  return {};
}

// One MISP event: {"Event": {...}} or the event itself, with "uuid" (or
// "id"), "info", and "Attribute"s, also inside its "Object"s. A composite
// type such as "domain|ip" names two indicators, "ip-dst|port" one.
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
      if (!attribute.is_object() || !attribute.contains("type") || !attribute["type"].is_string() ||
          !attribute.contains("value") || !attribute["value"].is_string()) {
        problems.add(fmt::format("{}: an attribute has a \"type\" and a \"value\", both strings", at()));
        continue;
      }
      const auto& type = attribute["type"].get_ref<const std::string&>();
      const auto& value = attribute["value"].get_ref<const std::string&>();
      auto bar = type.find('|');
      if (bar == std::string::npos) {
        input.add_indicator(report, value, type, at);
        continue;
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

}  // namespace

std::optional<std::vector<StixValue>> read_stix_pattern(std::string_view pattern) {
  static const std::pair<std::string_view, std::string_view> kStixPaths[] = {
      {"domain-name:value", "domain"},  {"ipv4-addr:value", "ipv4"},
      {"ipv6-addr:value", "ipv6"},      {"url:value", "url"},
      {"file:hashes.MD5", "md5"},       {"file:hashes.'MD5'", "md5"},
      {"file:hashes.'SHA-1'", "sha1"},  {"file:hashes.SHA1", "sha1"},
      {"file:hashes.'SHA1'", "sha1"},   {"file:hashes.'SHA-256'", "sha256"},
      {"file:hashes.SHA256", "sha256"}, {"file:hashes.'SHA256'", "sha256"},
  };
  auto skip_space = [&] {
    while (!pattern.empty() && (pattern.front() == ' ' || pattern.front() == '\t')) pattern.remove_prefix(1);
  };
  skip_space();
  if (!pattern.starts_with('[')) return std::nullopt;
  pattern.remove_prefix(1);
  std::vector<StixValue> values;
  for (;;) {
    skip_space();
    auto equals = pattern.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    std::string_view path = pattern.substr(0, equals);
    while (!path.empty() && path.back() == ' ') path.remove_suffix(1);
    auto known = std::find_if(std::begin(kStixPaths), std::end(kStixPaths),
                              [&](const auto& entry) { return entry.first == path; });
    if (known == std::end(kStixPaths)) return std::nullopt;
    pattern.remove_prefix(equals + 1);
    skip_space();
    if (!pattern.starts_with('\'')) return std::nullopt;
    pattern.remove_prefix(1);
    std::string value;
    for (;;) {  // a string literal: \' and \\ escaped
      if (pattern.empty()) return std::nullopt;
      char c = pattern.front();
      pattern.remove_prefix(1);
      if (c == '\'') break;
      if (c == '\\') {
        if (pattern.empty() || (pattern.front() != '\'' && pattern.front() != '\\')) return std::nullopt;
        c = pattern.front();
        pattern.remove_prefix(1);
      }
      value += c;
    }
    values.push_back({std::string(known->second), std::move(value)});
    skip_space();
    if (pattern.starts_with("OR ")) {
      pattern.remove_prefix(3);
      continue;
    }
    if (!pattern.starts_with(']')) return std::nullopt;
    pattern.remove_prefix(1);
    skip_space();
    return pattern.empty() ? std::optional(std::move(values)) : std::nullopt;
  }
}

namespace {

// A STIX 2.1 bundle, streamed object by object: indicators (and the cyber
// observables a report may name directly) are kept by id as the values
// they name; reports by id with their object_refs. Reports are added at
// the end, when every object they refer to has been seen.
class StixBundle {
 public:
  StixBundle(ClusterInput& input, ReadProblems& problems) : input_(input), problems_(problems) {}

  void add(const json& object, const std::string& position) {
    if (!object.is_object()) {
      problems_.add(fmt::format("{}: a STIX object is a JSON object, not {}", position, object.type_name()));
      return;
    }
    std::string type = text_of(object, "type");
    std::string id = text_of(object, "id");
    if (type.empty() || id.empty()) {
      problems_.add(fmt::format("{}: the object has no \"type\" or \"id\"", position));
      return;
    }
    std::string where = fmt::format("{} ({})", position, quote_text(id));
    if (type == "report") {
      std::vector<std::string> refs;
      auto found = object.find("object_refs");
      if (found != object.end() && found->is_array()) {
        for (const json& ref : *found) {
          if (ref.is_string()) refs.push_back(ref.get<std::string>());
        }
      }
      std::string name = text_of(object, "name");
      reports_.push_back({id, name.empty() ? id : name, std::move(refs), where});
    } else if (type == "indicator") {
      std::string pattern_type = text_of(object, "pattern_type");
      std::string pattern = text_of(object, "pattern");
      if (!pattern_type.empty() && pattern_type != "stix") {
        ++input_.unsupported[fmt::format("{} pattern", printable(pattern_type, 40))];
        named_[id] = {};
        return;
      }
      auto values = read_stix_pattern(pattern);
      if (!values) {
        ++input_.unsupported["STIX pattern not read"];
        named_[id] = {};
        return;
      }
      named_[id] = {std::move(*values), where};
    } else if (type == "domain-name" || type == "ipv4-addr" || type == "ipv6-addr" || type == "url") {
      std::string kind = type == "domain-name" ? "domain"
                         : type == "ipv4-addr" ? "ipv4"
                         : type == "ipv6-addr" ? "ipv6"
                                               : "url";
      named_[id] = {{{kind, text_of(object, "value")}}, where};
    } else if (type == "file") {
      Named file{{}, where};
      auto hashes = object.find("hashes");
      if (hashes != object.end() && hashes->is_object()) {
        for (const auto& [algorithm, hash] : hashes->items()) {
          std::string kind = algorithm == "MD5"       ? "md5"
                             : algorithm == "SHA-1"   ? "sha1"
                             : algorithm == "SHA-256" ? "sha256"
                                                      : "";
          if (!kind.empty() && hash.is_string()) file.values.push_back({kind, hash.get<std::string>()});
        }
      }
      named_[id] = std::move(file);
    }
  }

  void finish() {
    for (const auto& report : reports_) {
      std::uint32_t index = input_.add_report(report.id, report.name);
      for (const auto& ref : report.refs) {
        auto found = named_.find(ref);
        if (found == named_.end()) {
          if (is_named_type(ref)) {
            problems_.add(
                fmt::format("{}: refers to {}, which the bundle does not hold", report.where, quote_text(ref)));
          }
          continue;
        }
        for (const auto& [type, value] : found->second.values) {
          input_.add_indicator(index, value, type, [&] { return found->second.where; });
        }
      }
    }
  }

 private:
  // An id of a kind of object that names indicators ("indicator--...",
  // "domain-name--...").
  static bool is_named_type(std::string_view ref) {
    for (std::string_view type : {"indicator--", "domain-name--", "ipv4-addr--", "ipv6-addr--", "url--", "file--"}) {
      if (ref.starts_with(type)) return true;
    }
    return false;
  }
  struct Named {
    std::vector<StixValue> values;
    std::string where;
  };
  struct Report {
    std::string id, name;
    std::vector<std::string> refs;
    std::string where;
  };
  ClusterInput& input_;
  ReadProblems& problems_;
  std::unordered_map<std::string, Named> named_;
  std::vector<Report> reports_;
};

void read_misp(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems) {
  RecordStream stream(file, "response", "event", [&](const json& event, const std::string& position) {
    add_event(event, position, input, problems);
  });
  json::sax_parse(in, &stream);
}

void read_stix(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems) {
  StixBundle bundle(input, problems);
  RecordStream stream(file, "objects", "object",
                      [&](const json& object, const std::string& position) { bundle.add(object, position); });
  json::sax_parse(in, &stream);
  bundle.finish();
}

void read_otx(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems) {
  // JSON Lines (one pulse a line) or one JSON document: told from whether
  // the first line is a whole JSON value.
  std::string first;
  std::streampos start = in.tellg();
  std::getline(in, first);
  bool lines = json::accept(first) && in.peek() != std::char_traits<char>::eof();
  in.clear();
  in.seekg(start);
  if (!lines) {
    RecordStream stream(file, "results", "pulse", [&](const json& pulse, const std::string& position) {
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

}  // namespace

void ReadProblems::add(std::string problem) {
  if (++count <= kProblemsKept) first.push_back(safe_message(problem));
}

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  static const std::pair<std::string_view, ReportFormat> kNames[] = {{"auto", ReportFormat::kAuto},
                                                                     {"otx", ReportFormat::kOtx},
                                                                     {"misp", ReportFormat::kMisp},
                                                                     {"stix", ReportFormat::kStix},
                                                                     {"csv", ReportFormat::kCsv}};
  for (const auto& [known, format] : kNames) {
    if (name == known) return format;
  }
  return std::nullopt;
}

ReportFormat detect_report_format(std::istream& in, const fs::path& file) {
  if (lower_ascii(file.extension().string()) == ".csv") return ReportFormat::kCsv;
  // The first of the keys that only one format has, in the first 64 KiB.
  std::string head(64 * 1024, '\0');
  std::streampos start = in.tellg();
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  in.clear();
  in.seekg(start);
  static const std::pair<std::string_view, ReportFormat> kMarkers[] = {
      {"\"Event\"", ReportFormat::kMisp},        {"\"Attribute\"", ReportFormat::kMisp},
      {"\"spec_version\"", ReportFormat::kStix}, {"\"objects\"", ReportFormat::kStix},
      {"\"indicators\"", ReportFormat::kOtx},    {"\"results\"", ReportFormat::kOtx}};
  std::size_t first = std::string::npos;
  ReportFormat format = ReportFormat::kOtx;
  for (const auto& [marker, marked] : kMarkers) {
    std::size_t at = head.find(marker);
    if (at < first) {
      first = at;
      format = marked;
    }
  }
  return format;
}

void read_reports(const fs::path& file, ReportFormat format, ClusterInput& input, ReadProblems& problems) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}", file.string()));
  read_reports(in, file, format, input, problems);
}

void read_reports(std::istream& in, const fs::path& file, ReportFormat format, ClusterInput& input,
                  ReadProblems& problems) {
  if (format == ReportFormat::kAuto) format = detect_report_format(in, file);
  switch (format) {
    case ReportFormat::kCsv:
      return read_csv(file, in, input, problems);
    case ReportFormat::kMisp:
      return read_misp(file, in, input, problems);
    case ReportFormat::kStix:
      return read_stix(file, in, input, problems);
    case ReportFormat::kAuto:
    case ReportFormat::kOtx:
      return read_otx(file, in, input, problems);
  }
}

}  // namespace crowdfeed
