// A MISP event per feed, misp/<uuid>.json, for MISP's feed fetcher (see
// feeds/misp.h for the layout and why timestamps are carried forward).
// One attribute a line, each starting {"uuid":"…","timestamp":"…", so the
// event as last published is read back line by line.
#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "feeds/formats.h"
#include "feeds/misp.h"
#include "util/log.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// One attribute line: {"uuid":"U","timestamp":"T",REST
constexpr std::string_view kUuidKey = R"({"uuid":")";
constexpr std::string_view kTimestampKey = R"(","timestamp":")";
constexpr std::size_t kUuidLength = 36;

struct AttributeLine {
  std::string_view uuid;
  std::int64_t timestamp = 0;
  std::string_view rest;  // from the first key after the timestamp to the closing '}'
};

std::optional<AttributeLine> parse_attribute_line(std::string_view line) {
  if (line.ends_with(',')) line.remove_suffix(1);
  if (!line.starts_with(kUuidKey) || line.size() < kUuidKey.size() + kUuidLength + kTimestampKey.size()) {
    return std::nullopt;
  }
  AttributeLine parsed;
  parsed.uuid = line.substr(kUuidKey.size(), kUuidLength);
  std::string_view after = line.substr(kUuidKey.size() + kUuidLength);
  if (!after.starts_with(kTimestampKey)) return std::nullopt;
  after.remove_prefix(kTimestampKey.size());
  auto quote = after.find("\",");
  if (quote == std::string_view::npos) return std::nullopt;
  try {
    parsed.timestamp = std::stoll(std::string(after.substr(0, quote)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  parsed.rest = after.substr(quote + 2);
  return parsed;
}

std::string attribute_line(std::string_view uuid, std::int64_t timestamp, std::string_view rest) {
  return fmt::format(R"({}{}{}{}",{})", kUuidKey, uuid, kTimestampKey, timestamp, rest);
}

// An attribute's content after its timestamp: everything a change of which
// is a change of the attribute.
std::string attribute_rest(const FeedEntry& entry, bool for_ids) {
  // Values are normalised indicators and numbers: nothing to escape.
  std::string seen = fmt::format(R"("last_seen":"{}+00:00")", format_iso8601(entry.last_vote_at).substr(0, 19));
  if (entry.first_vote_at) {
    seen = fmt::format(R"("first_seen":"{}+00:00",{})", format_iso8601(*entry.first_vote_at).substr(0, 19), seen);
  }
  return fmt::format(
      R"("type":"{}","category":"{}","value":"{}","to_ids":{},"deleted":false,"disable_correlation":false,)"
      R"("comment":"{} malicious and {} non-malicious votes, confidence {}",{}}})",
      misp_type(entry.type), misp_category(entry.type), entry.value, for_ids ? "true" : "false", entry.malicious_votes,
      entry.non_malicious_votes, entry.confidence, seen);
}

std::string licence_rest(const FeedSettings& settings) {
  std::string text = misp_licence_text(settings);
  return fmt::format(
      R"("type":"comment","category":"Other","value":{},"to_ids":false,"deleted":false,"disable_correlation":true,)"
      R"("comment":"The licence of this feed"}})",
      nlohmann::json(text).dump());
}

// What the event as last published says of each attribute.
struct Previous {
  std::int64_t timestamp = 0;
  std::size_t rest_hash = 0;
};

class MispFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "misp"; }

  std::string_view syntax() const override { return "MISP feed event"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "MISP: Sync Actions > Feeds > Import feeds from JSON with misp-feeds.json, or add URL/misp as a feed "
           "of format MISP";
  }
  bool accepts(IndicatorGroup group) const override { return any_group(group); }

  std::string file_name(const Feed& feed, const FeedSettings& settings) const override {
    return fmt::format("misp/{}.json", misp_event_uuid(settings, feed.name));
  }

  void write(const FeedDocument& document, Output& out) const override {
    const FeedSettings& settings = document.settings;
    const Feed& feed = document.feed;
    const bool for_ids = feed.verdict == Verdict::kMalicious;
    const std::int64_t version = document.last_modified.time_since_epoch().count();

    // The attributes of this hour: each entry, then the licence.
    std::vector<std::string> uuids;
    uuids.reserve(feed.entries.size() + 1);
    absl::flat_hash_map<std::string, std::size_t> index;
    index.reserve(feed.entries.size() + 1);
    MispAttributeUuids attribute_uuid(settings, feed.name);
    for (const FeedEntry& entry : feed.entries) {
      uuids.push_back(attribute_uuid(entry.value));
      index.emplace(uuids.back(), uuids.size() - 1);
    }
    uuids.push_back(attribute_uuid("licence"));
    index.emplace(uuids.back(), uuids.size() - 1);

    // The event as last published: each attribute's timestamp and content,
    // and the attributes no longer listed, which stay as deleted.
    std::vector<std::optional<Previous>> previous(uuids.size());
    std::vector<std::pair<std::string, std::string>> deleted;  // value -> line
    if (!document.previous.empty()) read_previous(document, index, version, previous, deleted);

    out.write(event_opening(document, version));
    const char* separator = "\n";
    auto emit = [&](std::size_t i, const std::string& rest) {
      std::int64_t timestamp = version;
      if (previous[i] && previous[i]->rest_hash == std::hash<std::string_view>{}(rest)) {
        timestamp = previous[i]->timestamp;
      }
      out.write(separator);
      out.write(attribute_line(uuids[i], timestamp, rest));
      separator = ",\n";
    };
    for (std::size_t i = 0; i < feed.entries.size(); ++i) emit(i, attribute_rest(feed.entries[i], for_ids));
    emit(uuids.size() - 1, licence_rest(settings));
    std::sort(deleted.begin(), deleted.end());
    for (const auto& [value, line] : deleted) {
      out.write(separator);
      out.write(line);
    }
    out.write("\n]}}\n");
  }

 private:
  std::string event_opening(const FeedDocument& document, std::int64_t version) const {
    const FeedSettings& settings = document.settings;
    const Feed& feed = document.feed;
    nlohmann::ordered_json orgc{{"name", settings.title}, {"uuid", misp_org_uuid(settings)}};
    // Everything before the attributes, on one line; published only with
    // attributes to publish (MISP refuses an empty published event).
    return fmt::format(
        R"({{"Event":{{"uuid":"{}","info":{},"date":"{}","threat_level_id":"{}","analysis":"1","timestamp":"{}",)"
        R"("publish_timestamp":"{}","published":{},"Orgc":{},"Tag":[{{"name":"tlp:clear","colour":"#ffffff"}}],)"
        R"("Attribute":[)",
        misp_event_uuid(settings, feed.name), nlohmann::json(misp_event_info(settings, feed)).dump(),
        format_iso8601(document.last_modified).substr(0, 10), feed.verdict == Verdict::kMalicious ? "2" : "4", version,
        version, feed.entries.empty() ? "false" : "true", orgc.dump());
  }

  // Reads the event as last published: the timestamp and content of each
  // attribute still listed (into `previous`, by `index`), and the lines of
  // those no longer listed, as deleted (kept for kMispTombstoneDays after
  // their deletion; `version` dates a new deletion).
  static void read_previous(const FeedDocument& document, const absl::flat_hash_map<std::string, std::size_t>& index,
                            std::int64_t version, std::vector<std::optional<Previous>>& previous,
                            std::vector<std::pair<std::string, std::string>>& deleted) {
    std::ifstream in(document.previous);
    const std::int64_t oldest_kept = version - std::int64_t{kMispTombstoneDays} * 24 * 3600;
    std::string text;
    while (std::getline(in, text)) {
      std::optional<AttributeLine> line = parse_attribute_line(text);
      if (!line) continue;
      if (auto found = index.find(std::string(line->uuid)); found != index.end()) {
        previous[found->second] = Previous{line->timestamp, std::hash<std::string_view>{}(line->rest)};
        continue;
      }
      auto attribute = nlohmann::ordered_json::parse("{" + std::string(line->rest), nullptr, false);
      if (!attribute.is_object() || !attribute.contains("value") || !attribute["value"].is_string()) {
        log::warning("{}: an unreadable attribute line; not carried forward", document.previous.string());
        continue;
      }
      std::int64_t timestamp = line->timestamp;
      if (attribute.value("deleted", false) != true) {
        attribute["to_ids"] = false;
        attribute["deleted"] = true;
        timestamp = version;
      }
      if (timestamp < oldest_kept) continue;
      std::string rest = attribute.dump().substr(1);
      deleted.emplace_back(attribute["value"].get<std::string>(), attribute_line(line->uuid, timestamp, rest));
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_misp_format() {
  return std::make_unique<MispFormat>();
}

}  // namespace crowdfeed
