#include "cluster/read_reports.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
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
// top-level array, or of an array at one of `stream_paths` in a top-level
// object (OTX's {"results": [...]}, MISP's {"response": [...]} and
// {"response": {"Attribute": [...]}}, STIX's {"objects": [...]}); a
// top-level object without such an array is itself the one record.
//
// A record costs memory many times its size once parsed: one nested deeper
// than kMaxRecordDepth, or whose estimated memory passes `max_record_bytes`
// (its text, and what nlohmann::json spends on each value, member and
// container), is skipped and reported, never built whole.
class RecordStream : public json::json_sax_t {
 public:
  // `path` is the index in `stream_paths` of the array the record came
  // from (0 for a top-level array or object).
  using Emit = std::function<void(const json& record, const std::string& position, std::size_t path)>;
  // `nouns` name the records of each stream path in messages.
  RecordStream(const fs::path& file, std::vector<std::vector<std::string>> stream_paths,
               std::vector<std::string> nouns, ReadProblems& problems, std::size_t max_record_bytes, Emit emit)
      : max_record_bytes_(max_record_bytes),
        file_(file),
        stream_paths_(std::move(stream_paths)),
        nouns_(std::move(nouns)),
        problems_(problems),
        emit_(std::move(emit)) {}

  bool null() override { return value(json(), kValueCost); }
  bool boolean(bool v) override { return value(v, kValueCost); }
  bool number_integer(number_integer_t v) override { return value(v, kValueCost); }
  bool number_unsigned(number_unsigned_t v) override { return value(v, kValueCost); }
  bool number_float(number_float_t v, const string_t&) override { return value(v, kValueCost); }
  bool string(string_t& v) override {
    std::size_t cost = kValueCost + kStringCost + v.size();
    return value(std::move(v), cost);
  }
  bool binary(binary_t&) override { return value(json(), kValueCost); }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    pending_key_ = std::move(name);
    if (!building_.empty() && !skipping()) charge(kMemberCost + pending_key_.size());
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    throw Error(fmt::format("{}: not valid JSON at byte {}: {}", file_.string(), position, error.what()));
  }

 private:
  static constexpr std::size_t kMaxRecordDepth = 32;
  // What nlohmann::json spends, about: a value; a string beside its text;
  // an object's member (a map node) beside its key; a container.
  static constexpr std::size_t kValueCost = 16;
  static constexpr std::size_t kStringCost = 32;
  static constexpr std::size_t kMemberCost = 80;
  static constexpr std::size_t kContainerCost = 48;
  // The stream paths are at most this deep: keys deeper are not kept.
  static constexpr std::size_t kMaxPathDepth = 4;

  bool skipping() const { return skip_from_ != 0; }

  bool open(json container) {
    ++depth_;
    // The key path from the top to this container, as deep as a stream
    // path can be.
    if (depth_ <= kMaxPathDepth) {
      path_.resize(depth_ - 1);
      if (depth_ > 1) path_.back() = pending_key_;
    }
    if (depth_ == 1) {
      top_is_array_ = container.is_array();
      if (top_is_array_) {
        stream_depth_ = 1;
        stream_path_ = 0;
        return true;
      }
      // The top-level object may be the one record: built until a stream
      // array shows it holds them.
      start_record(std::move(container));
      return true;
    }
    if (container.is_array() && stream_depth_ == 0 && depth_ <= kMaxPathDepth) {
      std::vector<std::string> keys(path_.begin(), path_.end());
      auto found = std::find(stream_paths_.begin(), stream_paths_.end(), keys);
      if (found != stream_paths_.end()) {
        // The array of records itself: what the object held so far is not a record.
        building_.clear();
        keys_.clear();
        skip_from_ = 0;
        stream_depth_ = depth_;
        stream_path_ = static_cast<std::size_t>(found - stream_paths_.begin());
        return true;
      }
    }
    if (building_.empty() && !skipping() && stream_depth_ != 0 && depth_ == stream_depth_ + 1) {
      start_record(std::move(container));
      return true;
    }
    if (skipping() || building_.empty()) return true;  // passed over
    if (depth_ - record_depth_ >= kMaxRecordDepth) {
      return skip(fmt::format("nested deeper than {} levels", kMaxRecordDepth));
    }
    if (!charge(kValueCost + kContainerCost)) return true;
    building_.push_back(std::move(container));
    keys_.push_back(pending_key_);  // where it goes in its parent
    return true;
  }

  bool close() {
    if (skipping() && depth_ == skip_from_) {
      skip_from_ = 0;
      problems_.add(
          fmt::format("{}: {} {}: {}; skipped", file_.string(), nouns_[stream_path_], records_++, skip_reason_));
    } else if (!skipping() && !building_.empty()) {
      json done = std::move(building_.back());
      std::string key = std::move(keys_.back());
      building_.pop_back();
      keys_.pop_back();
      if (building_.empty()) {
        emit_(done, fmt::format("{}: {} {}", file_.string(), nouns_[stream_path_], records_++), stream_path_);
      } else {
        insert(key, std::move(done));
      }
    }
    if (depth_ == stream_depth_ && depth_ > 1) stream_depth_ = 0;
    --depth_;
    return true;
  }

  void start_record(json container) {
    building_.push_back(std::move(container));
    keys_.emplace_back();
    record_depth_ = depth_;
    record_cost_ = 0;
  }

  // Drops the record being built and passes over the rest of it.
  bool skip(std::string reason) {
    skip_from_ = record_depth_;
    skip_reason_ = std::move(reason);
    building_.clear();
    keys_.clear();
    return true;
  }

  bool value(json v, std::size_t cost) {
    if (skipping() || building_.empty()) return true;
    if (!charge(cost)) return true;
    insert(pending_key_, std::move(v));
    return true;
  }

  // Adds to the record's estimated memory; past the limit, the record is
  // skipped (and false says so).
  bool charge(std::size_t cost) {
    record_cost_ += cost;
    if (record_cost_ <= max_record_bytes_) return true;
    skip(fmt::format("larger than {} MiB once read (cluster.max_record_mib)", max_record_bytes_ >> 20));
    return false;
  }

  void insert(const std::string& key, json v) {
    json& parent = building_.back();
    if (parent.is_object()) {
      parent[key] = std::move(v);
    } else {
      parent.push_back(std::move(v));
    }
  }

  std::size_t max_record_bytes_;
  const fs::path& file_;
  std::vector<std::vector<std::string>> stream_paths_;
  std::vector<std::string> nouns_;
  ReadProblems& problems_;
  Emit emit_;
  std::vector<json> building_;     // the record being built, and its open containers
  std::vector<std::string> keys_;  // the key of each open container in its parent
  std::vector<std::string> path_;  // the key of each open container, from the top
  std::string pending_key_;
  std::size_t depth_ = 0;
  std::size_t records_ = 0;
  std::size_t stream_depth_ = 0;  // the depth of the array of records, 0 outside one
  std::size_t stream_path_ = 0;
  std::size_t record_depth_ = 0;  // the depth of the record being built
  std::size_t record_cost_ = 0;
  std::size_t skip_from_ = 0;  // the depth of a record being skipped, 0 when none is
  std::string skip_reason_;
  bool top_is_array_ = false;
};

// A string member of a JSON object, or empty.
std::string text_of(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end()) return {};
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number()) return found->dump();
  return {};
}

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
    input.add_indicator(report, bar == std::string::npos ? std::string_view(value) : std::string_view(value).substr(bar + 1),
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

// The indicator type an object path names ("domain-name:value" a domain,
// "file:hashes.'SHA-256'" a SHA-256), "" for an address whose family the
// value tells, nullopt for a path that names no indicator. Hash names are
// read as python-stix2 reads them, whatever their case or hyphens
// ("MD5", "md5", 'SHA-256', SHA256): producers spell them every way.
std::optional<std::string> stix_path_type(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kPaths[] = {
      {"domain-name:value", "domain"},        {"ipv4-addr:value", "ipv4"},          {"ipv6-addr:value", "ipv6"},
      {"url:value", "url"},                   {"network-traffic:dst_ref.value", ""}, {"network-traffic:src_ref.value", ""},
  };
  for (const auto& [known, type] : kPaths) {
    if (path == known) return std::string(type);
  }
  constexpr std::string_view kHashes = "file:hashes.";
  if (!path.starts_with(kHashes)) return std::nullopt;
  std::string algorithm;
  for (char c : path.substr(kHashes.size())) {
    if (c != '-' && c != '\'') algorithm += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (algorithm == "MD5") return "md5";
  if (algorithm == "SHA1") return "sha1";
  if (algorithm == "SHA256") return "sha256";
  return std::nullopt;
}

// The tokens of a STIX pattern: brackets, parentheses, commas, string
// literals (with their b/h/t prefix), and words (paths, operators,
// keywords, numbers).
struct StixToken {
  enum class Kind { kOpen, kClose, kOpenGroup, kCloseGroup, kComma, kString, kWord } kind;
  std::string text;  // a string literal unescaped, a word as written
};

std::optional<std::vector<StixToken>> stix_tokens(std::string_view pattern) {
  std::vector<StixToken> tokens;
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_-:.*!=<>").find(c) != std::string_view::npos;
  };
  while (!pattern.empty()) {
    char c = pattern.front();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pattern.remove_prefix(1);
    } else if (c == '[' || c == ']' || c == '(' || c == ')' || c == ',') {
      tokens.push_back({c == '['   ? StixToken::Kind::kOpen
                        : c == ']' ? StixToken::Kind::kClose
                        : c == '(' ? StixToken::Kind::kOpenGroup
                        : c == ')' ? StixToken::Kind::kCloseGroup
                                   : StixToken::Kind::kComma,
                        std::string(1, c)});
      pattern.remove_prefix(1);
    } else if (c == '\'' || ((c == 'b' || c == 'h' || c == 't') && pattern.size() > 1 && pattern[1] == '\'')) {
      bool plain = c == '\'';
      pattern.remove_prefix(plain ? 1 : 2);
      std::string value;
      for (;;) {  // a string literal: \' and \\ escaped
        if (pattern.empty()) return std::nullopt;
        char next = pattern.front();
        pattern.remove_prefix(1);
        if (next == '\'') break;
        if (next == '\\') {
          if (pattern.empty() || (pattern.front() != '\'' && pattern.front() != '\\')) return std::nullopt;
          next = pattern.front();
          pattern.remove_prefix(1);
        }
        value += next;
      }
      tokens.push_back({plain ? StixToken::Kind::kString : StixToken::Kind::kWord, std::move(value)});
    } else if (is_word(c)) {
      // A word; a path's quoted step ("hashes.'SHA-256'") and list index
      // ("sections[*]") belong to it.
      std::string word;
      while (!pattern.empty()) {
        char next = pattern.front();
        if (is_word(next)) {
          word += next;
          pattern.remove_prefix(1);
        } else if (next == '\'' && !word.empty() && word.back() == '.') {
          auto close = pattern.find('\'', 1);
          if (close == std::string_view::npos) return std::nullopt;
          word.append(pattern.substr(0, close + 1));
          pattern.remove_prefix(close + 1);
        } else if (next == '[' && !word.empty() && word.find(':') != std::string::npos) {
          auto close = pattern.find(']');
          if (close == std::string_view::npos) return std::nullopt;
          word.append(pattern.substr(0, close + 1));
          pattern.remove_prefix(close + 1);
        } else {
          break;
        }
      }
      // "a='x'" has no space around the operator: split it off.
      if (auto op = word.find_first_of("!=<>"); op != std::string::npos && op > 0 && word.find(':') < op) {
        tokens.push_back({StixToken::Kind::kWord, word.substr(0, op)});
        word.erase(0, op);
      }
      tokens.push_back({StixToken::Kind::kWord, std::move(word)});
    } else {
      return std::nullopt;
    }
  }
  return tokens;
}

}  // namespace

std::optional<std::vector<StixValue>> read_stix_pattern(std::string_view pattern) {
  auto tokens = stix_tokens(pattern);
  if (!tokens || tokens->empty() ||
      (tokens->front().kind != StixToken::Kind::kOpen && tokens->front().kind != StixToken::Kind::kOpenGroup)) {
    return std::nullopt;
  }
  std::vector<StixValue> values;
  // Parentheses group observations ("([a] AND [b]) OR [c]") and, inside
  // one, comparisons: each observation closes as many as it opened.
  int observations = 0, groups = 0, groups_at_open = 0;
  for (std::size_t i = 0; i < tokens->size(); ++i) {
    const StixToken& token = (*tokens)[i];
    switch (token.kind) {
      case StixToken::Kind::kOpen:
        if (observations++ > 0) return std::nullopt;  // observations do not nest
        groups_at_open = groups;
        break;
      case StixToken::Kind::kClose:
        if (--observations < 0 || groups != groups_at_open) return std::nullopt;
        break;
      case StixToken::Kind::kOpenGroup:
        ++groups;
        break;
      case StixToken::Kind::kCloseGroup:
        if (--groups < 0) return std::nullopt;
        break;
      default:
        break;
    }
    // PATH = 'VALUE', inside an observation and not negated: a value the
    // report names. Other comparisons (!=, LIKE, MATCHES, IN, NOT ...)
    // name none, and are passed over.
    if (token.kind == StixToken::Kind::kWord && observations == 1 && i + 2 < tokens->size() &&
        (*tokens)[i + 1].kind == StixToken::Kind::kWord && (*tokens)[i + 1].text == "=" &&
        (*tokens)[i + 2].kind == StixToken::Kind::kString && (i == 0 || (*tokens)[i - 1].text != "NOT")) {
      if (auto type = stix_path_type(token.text)) values.push_back({*type, (*tokens)[i + 2].text});
    }
  }
  if (observations != 0 || groups != 0 || values.empty()) return std::nullopt;
  return values;
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

// MISP's events ({"response": [...]} of events, an array of them, or one
// event), or the attributes of /attributes/restSearch ({"response":
// {"Attribute": [...]}}), each naming its event.
void read_misp(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
               std::size_t max_record_bytes) {
  RecordStream stream(file, {{"response"}, {"response", "Attribute"}}, {"event", "attribute"}, problems,
                      max_record_bytes,
                      [&](const json& record, const std::string& position, std::size_t path) {
                        if (path == 1) {
                          add_search_attribute(record, position, input, problems);
                        } else {
                          add_event(record, position, input, problems);
                        }
                      });
  json::sax_parse(in, &stream);
}

void read_stix(const fs::path& file, std::istream& in, ClusterInput& input, ReadProblems& problems,
               std::size_t max_record_bytes) {
  StixBundle bundle(input, problems);
  RecordStream stream(file, {{"objects"}}, {"object"}, problems, max_record_bytes,
                      [&](const json& object, const std::string& position, std::size_t) {
                        bundle.add(object, position);
                      });
  json::sax_parse(in, &stream);
  bundle.finish();
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

void read_reports(const fs::path& file, ReportFormat format, ClusterInput& input, ReadProblems& problems,
                  std::size_t max_record_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}", file.string()));
  read_reports(in, file, format, input, problems, max_record_bytes);
}

void read_reports(std::istream& in, const fs::path& file, ReportFormat format, ClusterInput& input,
                  ReadProblems& problems, std::size_t max_record_bytes) {
  if (format == ReportFormat::kAuto) format = detect_report_format(in, file);
  switch (format) {
    case ReportFormat::kCsv:
      return read_csv(file, in, input, problems);
    case ReportFormat::kMisp:
      return read_misp(file, in, input, problems, max_record_bytes);
    case ReportFormat::kStix:
      return read_stix(file, in, input, problems, max_record_bytes);
    case ReportFormat::kAuto:
    case ReportFormat::kOtx:
      return read_otx(file, in, input, problems, max_record_bytes);
  }
}

}  // namespace crowdfeed
