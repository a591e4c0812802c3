#include "feeds/stix.h"

#include <fmt/format.h>

#include <algorithm>
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
  publisher.names = NameBasedUuids(publisher.namespace_uuid);
  publisher.identity_id = "identity--" + publisher.names("identity/" + settings.title);
  publisher.licence_id = "marking-definition--" + publisher.names("licence/" + licence_statement(settings));
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
  return "indicator--" +
         publisher.names(fmt::format("indicator/{}/{}/{}", verdict_name(verdict), type_name(type), value));
}

void write_stix_preamble(const FeedSettings& settings, const StixPublisher& publisher, Output& out) {
  out.write(
      fmt::format(R"({{"type":"identity","spec_version":"2.1","id":"{}","created":"{}","modified":"{}","name":{},)"
                  R"("identity_class":"organization","contact_information":{}}},)"
                  "\n",
                  publisher.identity_id, kFixedObjectsCreated, kFixedObjectsCreated, json_text(settings.title),
                  json_text(settings.homepage)));
  // The TLP 2.0 CLEAR marking, as OASIS publishes it (STIX's common
  // objects: an extension definition, no creator).
  out.write(fmt::format(
      R"({{"type":"marking-definition","spec_version":"2.1","id":"{}","created":"2022-10-01T00:00:00.000Z",)"
      R"("name":"TLP:CLEAR",)"
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

StixIndicatorWriter::StixIndicatorWriter(const StixPublisher& publisher, const Feed& feed, TimePoint version,
                                         TimePoint valid_until)
    : publisher_(publisher), feed_(feed), version_(version), valid_until_(valid_until) {
  modified_ = fmt::format(R"(","modified":"{}","name":")", stix_time(version));
  valid_until_text_ = stix_time(valid_until);
  description_ = fmt::format(R"(","description":"Voted {} by community voters: )", verdict_name(feed.verdict));
  types_ = fmt::format(R"(","indicator_types":["{}"],"pattern":)",
                       feed.verdict == Verdict::kMalicious ? "malicious-activity" : "benign");
  tail_ = fmt::format(R"(,"labels":[{}],"object_marking_refs":["{}","{}"]}})", json_text(feed.name), kTlpClearId,
                      publisher.licence_id);
}

void StixIndicatorWriter::append(const FeedEntry& entry, std::string& out) const {
  // Every value below is a fixed word, a number, a STIX timestamp, an id or
  // a normalised indicator (letters, digits, '-', '.' and ':'), none of
  // which JSON needs to escape; the pattern is escaped all the same.
  TimePoint first = std::min(entry.first_vote_at.value_or(entry.last_vote_at), version_);
  std::string first_text = stix_time(first);
  const std::string& until = valid_until_ > first ? valid_until_text_ : stix_time(first + std::chrono::seconds(1));
  out.append(R"({"type":"indicator","spec_version":"2.1","id":")");
  out.append(stix_indicator_id(publisher_, feed_.verdict, entry.type, entry.value));
  out.append(R"(","created_by_ref":")").append(publisher_.identity_id).append(R"(","created":")");
  out.append(first_text).append(modified_).append(entry.value).append(description_);
  fmt::format_to(std::back_inserter(out), "{} malicious and {} non-malicious votes counted.", entry.malicious_votes,
                 entry.non_malicious_votes);
  out.append(types_);
  // A normalised value needs no escaping, in the pattern nor in JSON.
  bool plain = std::all_of(entry.value.begin(), entry.value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
  });
  if (plain) {
    out.append("\"").append(stix_pattern(entry.type, entry.value)).append("\"");
  } else {
    out.append(json_text(stix_pattern(entry.type, entry.value)));
  }
  out.append(R"(,"pattern_type":"stix","valid_from":")").append(first_text);
  out.append(R"(","valid_until":")").append(until).append(R"(","confidence":)");
  fmt::format_to(std::back_inserter(out), "{}", entry.confidence);
  out.append(tail_);
}

std::string stix_indicator(const StixPublisher& publisher, const Feed& feed, const FeedEntry& entry, TimePoint version,
                           TimePoint valid_until) {
  std::string object;
  StixIndicatorWriter(publisher, feed, version, valid_until).append(entry, object);
  return object;
}

std::string stix_bundle_opening(const StixPublisher& publisher, std::string_view file_name, TimePoint version) {
  return fmt::format(
      R"({{"type":"bundle","id":"bundle--{}","objects":[)"
      "\n",
      uuid_v5(publisher.namespace_uuid, fmt::format("bundle/{}/{}", file_name, format_version(version))));
}

TimePoint stix_valid_until(const FeedSettings& settings, TimePoint version) {
  return version + kStixRefresh + 2 * std::chrono::hours(expires_hours(settings.update_interval).value_or(1));
}

}  // namespace crowdfeed
