#include "cluster/read_reports.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

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

// Streams a JSON document of pulses: {"results": [pulse, ...]} (the API's
// pages), [pulse, ...], or one pulse. Only one pulse is held in memory at a
// time, whatever the file's size.
class PulseStream : public json::json_sax_t {
 public:
  PulseStream(const fs::path& file, ClusterInput& input, ReadProblems& problems)
      : file_(file), input_(input), problems_(problems) {}

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
    if (depth_ == 1 && top_is_object_) results_key_ = name == "results";
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
        // The top-level object may be one pulse: built until "results" shows it is a page.
        building_.push_back(std::move(container));
        keys_.emplace_back();
      }
      return true;
    }
    if (depth_ == 2 && results_key_ && !in_results_) {
      // The "results" array itself: what the page held so far is not a pulse.
      building_.clear();
      keys_.clear();
      in_results_ = container.is_array();
      return true;
    }
    if (building_.empty() && ((depth_ == 2 && top_is_array_) || (depth_ == 3 && in_results_))) {
      building_.push_back(std::move(container));
      keys_.emplace_back();
      return true;
    }
    if (!building_.empty()) {
      building_.push_back(std::move(container));
      keys_.push_back(std::move(pending_key_));  // where it goes in its parent
      return true;
    }
    return true;  // skipped: outside any pulse
  }

  bool close() {
    if (!building_.empty()) {
      json done = std::move(building_.back());
      std::string key = std::move(keys_.back());
      building_.pop_back();
      keys_.pop_back();
      if (building_.empty()) {
        emit(done);
      } else {
        insert(key, std::move(done));
      }
    }
    if (depth_ == 2 && in_results_) in_results_ = false;
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

  void emit(const json& pulse) {
    add_pulse(pulse, fmt::format("{}: pulse {}", file_.string(), pulses_++), input_, problems_);
  }

  const fs::path& file_;
  ClusterInput& input_;
  ReadProblems& problems_;
  std::vector<json> building_;     // the pulse being built, and its open containers
  std::vector<std::string> keys_;  // the key of each open container in its parent
  std::string pending_key_;
  std::size_t depth_ = 0;
  std::size_t pulses_ = 0;
  bool top_is_object_ = false;
  bool top_is_array_ = false;
  bool results_key_ = false;
  bool in_results_ = false;
};

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
    PulseStream stream(file, input, problems);
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

std::optional<ReportFormat> parse_report_format(std::string_view name, const fs::path& file) {
  if (name == "otx") return ReportFormat::kOtx;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "auto") return lower_ascii(file.extension().string()) == ".csv" ? ReportFormat::kCsv : ReportFormat::kOtx;
  return std::nullopt;
}

void read_reports(const fs::path& file, ReportFormat format, ClusterInput& input, ReadProblems& problems) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}", file.string()));
  read_reports(in, file, format, input, problems);
}

void read_reports(std::istream& in, const fs::path& file, ReportFormat format, ClusterInput& input,
                  ReadProblems& problems) {
  if (format == ReportFormat::kCsv) {
    read_csv(file, in, input, problems);
  } else {
    read_otx(file, in, input, problems);
  }
}

}  // namespace crowdfeed
