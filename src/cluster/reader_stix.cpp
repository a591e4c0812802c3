#include <fmt/format.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <string>

#include "cluster/record_stream.h"
#include "cluster/report_reader.h"
#include "cluster/stix_pattern.h"
#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

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
    // A report; MISP exports an event it has not published as a grouping.
    if (type == "report" || type == "grouping") {
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
          auto kind = stix_path_type(fmt::format("file:hashes.{}", algorithm));
          if (kind && hash.is_string()) file.values.push_back({*kind, hash.get<std::string>()});
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

void read_stix(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
               std::size_t max_record_bytes) {
  StixBundle bundle(input, problems);
  RecordStream stream(
      file, {{"objects"}}, {"object"}, problems, max_record_bytes,
      [&](const json& object, const std::string& position, std::size_t) { bundle.add(object, position); });
  json::sax_parse(in, &stream);
  bundle.finish();
}

class StixReader : public ReportReader {
 public:
  std::string_view name() const override { return "stix"; }
  std::vector<std::string_view> markers() const override { return {"\"spec_version\"", "\"objects\""}; }
  void read(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
            std::size_t max_record_bytes) const override {
    read_stix(file, in, input, problems, max_record_bytes);
  }
};

}  // namespace

const ReportReader& stix_report_reader() {
  static const StixReader reader;
  return reader;
}

}  // namespace crowdfeed
