#include "feeds/stix.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "feeds/header.h"
#include "util/uuid.h"

namespace crowdfeed {
namespace {

// The time the fixed objects (identity, licence marking) say they were
// created: they change only with the settings they are made of, and then
// they get another id.
constexpr std::string_view kFixedObjectsCreated = "2024-01-01T00:00:00.000Z";

std::string json_text(std::string_view text) {
  return nlohmann::json(std::string(text)).dump();
}

std::string licence_statement(const FeedSettings& settings) {
  return fmt::format("License: {} ({}). {}", settings.licence_name, settings.licence_url, settings.terms);
}

}  // namespace

StixPublisher stix_publisher(const FeedSettings& settings) {
  StixPublisher publisher;
  publisher.namespace_uuid = uuid_v5(kStixNamespace, settings.homepage);
  publisher.identity_id = "identity--" + uuid_v5(publisher.namespace_uuid, "identity/" + settings.title);
  publisher.licence_id =
      "marking-definition--" + uuid_v5(publisher.namespace_uuid, "licence/" + licence_statement(settings));
  publisher.homepage = settings.homepage;
  return publisher;
}

std::string stix_time(TimePoint time) {
  std::string text = format_iso8601(time);  // "...:00Z"
  text.insert(text.size() - 1, ".000");
  return text;
}

std::string stix_pattern(IndicatorType type, std::string_view value) {
  // A STIX string literal escapes '\' and '\''. Normalised indicators hold
  // neither; escaped all the same, so no value can end the literal.
  std::string literal;
  for (char c : value) {
    if (c == '\\' || c == '\'') literal += '\\';
    literal += c;
  }
  switch (type) {
    case IndicatorType::kDomain:
      return fmt::format("[domain-name:value = '{}']", literal);
    case IndicatorType::kIpv4:
      return fmt::format("[ipv4-addr:value = '{}']", literal);
    case IndicatorType::kIpv6:
      return fmt::format("[ipv6-addr:value = '{}']", literal);
    case IndicatorType::kMd5:
      return fmt::format("[file:hashes.MD5 = '{}']", literal);
    case IndicatorType::kSha1:
      return fmt::format("[file:hashes.'SHA-1' = '{}']", literal);
    case IndicatorType::kSha256:
      return fmt::format("[file:hashes.'SHA-256' = '{}']", literal);
  }
  return {};
}

std::string stix_indicator_id(const StixPublisher& publisher, Verdict verdict, IndicatorType type,
                              std::string_view value) {
  return "indicator--" + uuid_v5(publisher.namespace_uuid,
                                 fmt::format("indicator/{}/{}/{}", verdict_name(verdict), type_name(type), value));
}

void write_stix_preamble(const FeedSettings& settings, const StixPublisher& publisher, Output& out) {
  out.write(
      fmt::format(R"({{"type":"identity","spec_version":"2.1","id":"{}","created":"{}","modified":"{}","name":{},)"
                  R"("identity_class":"organization","contact_information":{}}},)"
                  "\n",
                  publisher.identity_id, kFixedObjectsCreated, kFixedObjectsCreated, json_text(settings.title),
                  json_text(settings.homepage)));
  // The TLP 2.0 CLEAR marking as STIX defines it (with FIRST's identity as
  // its creator and its extension definition).
  out.write(fmt::format(
      R"({{"type":"marking-definition","spec_version":"2.1","id":"{}","created":"2022-10-01T00:00:00.000Z",)"
      R"("created_by_ref":"identity--e828b379-4e03-4974-9ac4-e53a884c97c1","name":"TLP:CLEAR",)"
      R"("extensions":{{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":)"
      R"({{"extension_type":"property-extension","tlp_2_0":"clear"}}}}}},)"
      "\n",
      kTlpClearId));
  out.write(fmt::format(
      R"({{"type":"marking-definition","spec_version":"2.1","id":"{}","created":"{}","created_by_ref":"{}",)"
      R"("name":{},"definition_type":"statement","definition":{{"statement":{}}}}})",
      publisher.licence_id, kFixedObjectsCreated, publisher.identity_id, json_text(settings.licence_name),
      json_text(licence_statement(settings))));
}

std::string stix_indicator(const StixPublisher& publisher, const Feed& feed, const FeedEntry& entry, TimePoint version,
                           TimePoint valid_until) {
  // Every value below is a fixed word, a number, a STIX timestamp, an id or
  // a normalised indicator (letters, digits, '-', '.' and ':'), none of
  // which JSON needs to escape; the homepage is escaped.
  TimePoint first = std::min(entry.first_vote_at.value_or(entry.last_vote_at), version);
  if (valid_until <= first) valid_until = first + std::chrono::seconds(1);
  bool malicious = feed.verdict == Verdict::kMalicious;
  return fmt::format(
      R"({{"type":"indicator","spec_version":"2.1","id":"{}","created_by_ref":"{}","created":"{}","modified":"{}",)"
      R"("name":"{}","description":"Voted {} by community voters: {} malicious and {} non-malicious votes counted.",)"
      R"("indicator_types":["{}"],"pattern":{},"pattern_type":"stix","pattern_version":"2.1","valid_from":"{}",)"
      R"("valid_until":"{}","confidence":{},"labels":["{}"],)"
      R"("external_references":[{{"source_name":"crowdfeed","url":{}}}],"object_marking_refs":["{}","{}"]}})",
      stix_indicator_id(publisher, feed.verdict, entry.type, entry.value), publisher.identity_id, stix_time(first),
      stix_time(version), entry.value, verdict_name(feed.verdict), entry.malicious_votes, entry.non_malicious_votes,
      malicious ? "malicious-activity" : "benign", json_text(stix_pattern(entry.type, entry.value)), stix_time(first),
      stix_time(valid_until), entry.confidence, feed.name, json_text(publisher.homepage), kTlpClearId,
      publisher.licence_id);
}

std::string stix_bundle_opening(const StixPublisher& publisher, std::string_view file_name, TimePoint version) {
  return fmt::format(
      R"({{"type":"bundle","id":"bundle--{}","objects":[)"
      "\n",
      uuid_v5(publisher.namespace_uuid, fmt::format("bundle/{}/{}", file_name, format_version(version))));
}

TimePoint stix_valid_until(const FeedSettings& settings, TimePoint version) {
  return version + std::chrono::hours(expires_hours(settings.update_interval).value_or(1));
}

}  // namespace crowdfeed
