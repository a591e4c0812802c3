#include "feeds/misp.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <nlohmann/json.hpp>

#include "feeds/header.h"
#include "util/error.h"
#include "util/uuid.h"

namespace crowdfeed {
namespace {

std::string deployment_namespace(const FeedSettings& settings) {
  return uuid_v5(kMispNamespace, settings.homepage);
}

std::string md5_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_md5(), nullptr) != 1) {
    throw Error("cannot compute MD5");
  }
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// Unix seconds as MISP's JSON has them: a decimal string.
std::string misp_seconds(TimePoint time) {
  return std::to_string(time.time_since_epoch().count());
}

}  // namespace

std::string misp_event_uuid(const FeedSettings& settings, std::string_view feed) {
  return uuid_v5(deployment_namespace(settings), fmt::format("event/{}", feed));
}

std::string misp_org_uuid(const FeedSettings& settings) {
  return uuid_v5(deployment_namespace(settings), fmt::format("organisation/{}", settings.title));
}

std::string misp_attribute_uuid(const FeedSettings& settings, std::string_view feed, std::string_view value) {
  return MispAttributeUuids(settings, feed)(value);
}

MispAttributeUuids::MispAttributeUuids(const FeedSettings& settings, std::string_view feed)
    : names_(deployment_namespace(settings)), prefix_(fmt::format("attribute/{}/", feed)) {}

std::string MispAttributeUuids::operator()(std::string_view value) const {
  thread_local std::string name;
  name.assign(prefix_).append(value);
  return names_(name);
}

std::string misp_licence_text(const FeedSettings& settings) {
  return fmt::format("License: {} ({}). {} {}", settings.licence_name, settings.licence_url, settings.terms,
                     settings.homepage);
}

std::string misp_event_info(const FeedSettings& settings, const Feed& feed) {
  // The header's title: "crowdfeed malicious domains".
  return feed_header(settings, {}, feed, TimePoint{}, "")[0].value;
}

std::string_view misp_type(IndicatorType type) {
  switch (type) {
    case IndicatorType::kDomain:
      return "domain";
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6:
      return "ip-dst";
    case IndicatorType::kMd5:
      return "md5";
    case IndicatorType::kSha1:
      return "sha1";
    case IndicatorType::kSha256:
      return "sha256";
  }
  return {};
}

std::string_view misp_category(IndicatorType type) {
  return group_of(type) == IndicatorGroup::kHash ? "Payload delivery" : "Network activity";
}

std::string render_misp_manifest(const FeedSettings& settings, const std::vector<const Feed*>& feeds,
                                 const std::vector<ManifestFile>& published) {
  nlohmann::ordered_json manifest = nlohmann::ordered_json::object();
  for (const Feed* feed : feeds) {
    std::string uuid = misp_event_uuid(settings, feed->name);
    std::string file = fmt::format("misp/{}.json", uuid);
    auto found =
        std::find_if(published.begin(), published.end(), [&](const ManifestFile& each) { return each.name == file; });
    if (found == published.end()) throw Error(fmt::format("the MISP event of {} was not published", feed->name));
    manifest[uuid] = {
        {"info", misp_event_info(settings, *feed)},
        {"date", format_iso8601(found->last_modified).substr(0, 10)},
        {"timestamp", misp_seconds(found->last_modified)},
        {"threat_level_id", feed->verdict == Verdict::kMalicious ? "2" : "4"},
        {"analysis", "1"},
        {"Orgc", {{"name", settings.title}, {"uuid", misp_org_uuid(settings)}}},
        {"Tag", nlohmann::ordered_json::array({{{"name", "tlp:clear"}, {"colour", "#ffffff"}}})},
    };
  }
  return manifest.dump(1) + "\n";
}

std::string render_misp_hashes(const FeedSettings& settings, const std::vector<const Feed*>& feeds) {
  std::string text;
  for (const Feed* feed : feeds) {
    std::string uuid = misp_event_uuid(settings, feed->name);
    for (const FeedEntry& entry : feed->entries) text += fmt::format("{},{}\n", md5_hex(entry.value), uuid);
    text += fmt::format("{},{}\n", md5_hex(misp_licence_text(settings)), uuid);
  }
  return text;
}

std::string render_misp_feed_definitions(const FeedSettings& settings, const std::vector<const Feed*>& misp_feeds,
                                         const std::vector<const Feed*>& all_feeds) {
  std::string base = settings.public_url;
  if (!base.empty() && base.back() != '/') base += '/';
  const std::string rules = R"({"tags":{"OR":[],"NOT":[]},"orgs":{"OR":[],"NOT":[]},"url_params":""})";
  auto definition = [&](std::string name, std::string url, std::string_view source_format, std::string feed_settings,
                        bool not_for_ids) {
    return nlohmann::ordered_json{{"Feed",
                                   {{"name", std::move(name)},
                                    {"provider", settings.title},
                                    {"url", std::move(url)},
                                    {"rules", rules},
                                    {"enabled", true},
                                    {"distribution", "3"},
                                    {"sharing_group_id", "0"},
                                    {"tag_id", "0"},
                                    {"default", false},
                                    {"source_format", source_format},
                                    {"fixed_event", true},
                                    {"delta_merge", true},
                                    {"event_id", "0"},
                                    {"publish", false},
                                    {"override_ids", not_for_ids},
                                    {"settings", std::move(feed_settings)},
                                    {"input_source", "network"},
                                    {"delete_local_file", false},
                                    {"lookup_visible", true},
                                    {"headers", ""},
                                    {"caching_enabled", true}}}};
  };
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  if (!misp_feeds.empty()) {
    list.push_back(definition(settings.title, base + "misp", "misp", "{}", false));
  }
  for (const Feed* feed : all_feeds) {
    list.push_back(definition(misp_event_info(settings, *feed), base + feed->name + ".txt", "csv",
                              R"({"csv":{"value":"1","delimiter":","},"common":{"excluderegex":""}})",
                              feed->verdict != Verdict::kMalicious));
  }
  return list.dump(1) + "\n";
}

}  // namespace crowdfeed
