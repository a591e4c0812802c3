// The JSON streaming the report readers share: records (a pulse, an
// event, a STIX object) are cut out of a document one at a time, at the
// top level or under given paths, and each is handed over whole; a record
// too deep or too large is skipped and reported, never built.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cluster/report_reader.h"
#include "util/error.h"

namespace crowdfeed {

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
class RecordStream : public nlohmann::json::json_sax_t {
 public:
  using json = nlohmann::json;

  // `path` is the index in `stream_paths` of the array the record came
  // from (0 for a top-level array or object).
  using Emit = std::function<void(const json& record, const std::string& position, std::size_t path)>;
  // `nouns` name the records of each stream path in messages.
  RecordStream(const std::filesystem::path& file, std::vector<std::vector<std::string>> stream_paths,
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
  const std::filesystem::path& file_;
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

// A string member of a JSON object (a number as its text), or empty.
std::string text_of(const nlohmann::json& object, const char* key);

}  // namespace crowdfeed
