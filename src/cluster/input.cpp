#include "cluster/input.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "util/text.h"
#include "util/url.h"

namespace crowdfeed {
namespace {

constexpr std::size_t kRefusedExamples = 20;

}  // namespace

SourceKind source_kind(std::string_view source_type, IndicatorType& type) {
  std::string name = lower_ascii(source_type);
  if (name.empty()) return SourceKind::kDetect;
  if (name == "url" || name == "uri") return SourceKind::kUrl;
  // OTX's names, MISP's attribute types, then crowdfeed's own.
  static const std::pair<std::string_view, IndicatorType> kNames[] = {
      {"domain", IndicatorType::kDomain},
      {"hostname", IndicatorType::kDomain},
      {"ipv4", IndicatorType::kIpv4},
      {"ipv6", IndicatorType::kIpv6},
      {"filehash-md5", IndicatorType::kMd5},
      {"filehash-sha1", IndicatorType::kSha1},
      {"filehash-sha256", IndicatorType::kSha256},
      {"md5", IndicatorType::kMd5},
      {"sha1", IndicatorType::kSha1},
      {"sha256", IndicatorType::kSha256},
      {"ip-dst", IndicatorType::kIpv4},
      {"ip-src", IndicatorType::kIpv4},
  };
  for (const auto& [known, known_type] : kNames) {
    if (name == known) {
      type = known_type;
      // MISP's ip-dst and ip-src hold either family: told from the value.
      return name.starts_with("ip-") ? SourceKind::kDetect : SourceKind::kIndicator;
    }
  }
  return SourceKind::kUnsupported;
}

std::uint32_t ClusterInput::add_report(std::string_view id, std::string_view name) {
  auto [found, inserted] = report_index_.try_emplace(std::string(id), static_cast<std::uint32_t>(reports_.size()));
  if (inserted) {
    reports_.push_back({std::string(id), std::string(name)});
  } else if (reports_[found->second].name.empty()) {
    reports_[found->second].name = name;
  }
  return found->second;
}

void ClusterInput::add_indicator(std::uint32_t report, std::string_view value, std::string_view source_type,
                                 std::string_view position) {
  ++occurrences;
  IndicatorType type = IndicatorType::kDomain;
  SourceKind kind = source_kind(source_type, type);
  if (kind == SourceKind::kUnsupported) {
    ++unsupported[std::string(source_type)];
    return;
  }
  std::string host;
  if (kind == SourceKind::kUrl) {
    host = url_host(value, true);
    value = host;
    kind = SourceKind::kDetect;
  }
  NormalisedIndicator normalised =
      normalise_indicator(value, kind == SourceKind::kIndicator ? std::optional(type) : std::nullopt);
  if (!normalised.ok()) {
    if (++refused <= kRefusedExamples) {
      refused_examples.push_back(fmt::format("{}: {} {}", position, quote_text(value), normalised.problem));
    }
    return;
  }
  auto [found, inserted] =
      indicator_index_.try_emplace(normalised.value, static_cast<std::uint32_t>(indicators_.size()));
  if (inserted) indicators_.push_back({std::move(normalised.value), normalised.type});
  links_.emplace_back(report, found->second);
}

}  // namespace crowdfeed
