#include "feeds/stix_delta.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "feeds/stix.h"
#include "util/log.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// The indicator objects of `ids` (id -> its object, once found) that the
// bundle at `path` holds. A bundle crowdfeed wrote has one object a line,
// so only the lines of wanted ids are parsed.
void find_indicators(const fs::path& path, absl::flat_hash_map<std::string, nlohmann::ordered_json>& wanted,
                     std::size_t& missing) {
  std::ifstream in(path);
  std::string line;
  constexpr std::string_view kIdKey = "\"id\":\"";
  while (missing > 0 && std::getline(in, line)) {
    if (!line.starts_with(R"({"type":"indicator")")) continue;
    auto start = line.find(kIdKey);
    if (start == std::string::npos) continue;
    start += kIdKey.size();
    auto end = line.find('"', start);
    if (end == std::string::npos) continue;
    auto found = wanted.find(line.substr(start, end - start));
    if (found == wanted.end() || !found->second.is_null()) continue;
    if (line.ends_with(',')) line.pop_back();
    auto object = nlohmann::ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) {
      log::warning("{}: an unreadable indicator line; revoking {} without it", path.string(), found->first);
      continue;
    }
    found->second = std::move(object);
    --missing;
  }
}

}  // namespace

std::string stix_delta_name(std::string_view feed) {
  return fmt::format("{}.delta.stix.json", feed);
}

namespace {

// The entry of `feed` whose value is `value`; nullptr when there is none.
const FeedEntry* find_entry(const Feed& feed, std::string_view value) {
  auto entry = std::lower_bound(feed.entries.begin(), feed.entries.end(), value,
                                [](const FeedEntry& each, std::string_view wanted) { return each.value < wanted; });
  return entry != feed.entries.end() && entry->value == value ? &*entry : nullptr;
}

// The indicators `path` (the previous delta bundle) revoked since
// `oldest`, as lines, but for those in `skip` (revoked again now) and
// those `feed` lists again.
std::vector<std::string> revoked_since(const fs::path& path, TimePoint oldest, const Feed& feed,
                                       const absl::flat_hash_map<std::string, nlohmann::ordered_json>& skip) {
  std::vector<std::string> kept;
  std::ifstream in(path);
  const std::string oldest_text = stix_time(oldest);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(R"({"type":"indicator")") || line.find(R"("revoked":true)") == std::string::npos) continue;
    if (line.ends_with(',')) line.pop_back();
    auto object = nlohmann::ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object() || !object["id"].is_string() || !object["name"].is_string() ||
        !object["modified"].is_string()) {
      continue;
    }
    const std::string& value = object["name"].get_ref<const std::string&>();
    bool listed = find_entry(feed, value) != nullptr;
    if (listed || skip.contains(object["id"].get<std::string>()) ||
        object["modified"].get_ref<const std::string&>() < oldest_text) {
      continue;
    }
    kept.push_back(std::move(line));
  }
  return kept;
}

}  // namespace

void write_stix_delta(const FeedSettings& settings, const Feed& feed, const FeedChanges& changes,
                      const fs::path& previous_delta, const fs::path& previous_bundle, TimePoint version, Output& out) {
  StixPublisher publisher = stix_publisher(settings);
  TimePoint valid_until = stix_valid_until(settings, version);
  out.write(stix_bundle_opening(publisher, stix_delta_name(feed.name), version));
  write_stix_preamble(settings, publisher, out);
  StixIndicatorWriter indicators(publisher, feed, version, valid_until);
  std::string line;
  for (const std::string& value : changes.added) {
    const FeedEntry* entry = find_entry(feed, value);
    if (entry == nullptr) continue;  // not in this feed (cannot happen)
    line.assign(",\n");
    indicators.append(*entry, line);
    out.write(line);
  }
  absl::flat_hash_map<std::string, nlohmann::ordered_json> revoked;
  std::vector<std::pair<std::string, IndicatorType>> ids;
  for (const std::string& value : changes.removed) {
    IndicatorType type = detect_indicator_type(value);
    ids.emplace_back(stix_indicator_id(publisher, feed.verdict, type, value), type);
    revoked.emplace(ids.back().first, nullptr);
  }
  std::size_t missing = revoked.size();
  for (const fs::path* path : {&previous_delta, &previous_bundle}) {
    if (missing > 0 && !path->empty()) find_indicators(*path, revoked, missing);
  }
  TimePoint since = changes.since.value_or(version);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    nlohmann::ordered_json& object = revoked[ids[i].first];
    if (object.is_null()) {
      // Never published in STIX: what a consumer needs to retire it.
      FeedEntry unknown{changes.removed[i], 0, 0, since, since, ids[i].second, 0};
      object = nlohmann::ordered_json::parse(stix_indicator(publisher, feed, unknown, version, valid_until));
    }
    object["modified"] = stix_time(version);
    object["revoked"] = true;
    line.assign(",\n").append(object.dump());
    out.write(line);
  }
  // Earlier hours' revocations stay a week, as published, for consumers
  // who did not fetch every hour.
  if (!previous_delta.empty()) {
    for (const std::string& kept : revoked_since(previous_delta, version - kStixRevokedKept, feed, revoked)) {
      line.assign(",\n").append(kept);
      out.write(line);
    }
  }
  out.write("\n]}\n");
}

}  // namespace crowdfeed
