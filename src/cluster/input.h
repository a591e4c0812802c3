// Threat reports as cluster reads them: each report's id and name, and the
// indicators it names, each normalised by crowdfeed's own normalisers so
// that "EVIL.com." and "evil.com" are one indicator. A URL names its host.
// Indicators of kinds crowdfeed does not know (an e-mail address, a CIDR
// range, a CVE) and values its normalisers refuse are counted, by kind and
// reason, never silently dropped.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indicator/indicator.h"

namespace crowdfeed {

struct ClusterReport {
  std::string id;
  std::string name;
};

struct ClusterIndicator {
  std::string value;  // normalised
  IndicatorType type = IndicatorType::kDomain;
};

class ClusterInput {
 public:
  // Adds a report (once per id; a later name replaces an empty one) and
  // returns its index.
  std::uint32_t add_report(std::string_view id, std::string_view name);

  // Adds an indicator that report `report` names, as the source states it:
  // `source_type` is the source's own name for its kind (OTX's "hostname",
  // "FileHash-SHA256", "URL"; crowdfeed's "domain", "ipv4"; empty: told
  // from the value's shape). `position` names where it was read, for the
  // report of refused values.
  void add_indicator(std::uint32_t report, std::string_view value, std::string_view source_type,
                     std::string_view position);

  const std::vector<ClusterReport>& reports() const { return reports_; }
  const std::vector<ClusterIndicator>& indicators() const { return indicators_; }
  // Each (report, indicator) pair once.
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& links() const { return links_; }

  std::uint64_t occurrences = 0;                     // indicators read, of any kind
  std::map<std::string, std::uint64_t> unsupported;  // by the source's kind
  std::uint64_t refused = 0;                         // values a normaliser refused
  std::vector<std::string> refused_examples;         // "POSITION: VALUE ...", the first 20

 private:
  std::vector<ClusterReport> reports_;
  std::unordered_map<std::string, std::uint32_t> report_index_;
  std::vector<ClusterIndicator> indicators_;
  std::unordered_map<std::string, std::uint32_t> indicator_index_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links_;
};

// The indicator kind a source's type name stands for: nullopt for kinds
// crowdfeed does not know. "url" and "uri" map to kUrl.
enum class SourceKind { kIndicator, kUrl, kDetect, kUnsupported };
SourceKind source_kind(std::string_view source_type, IndicatorType& type);

}  // namespace crowdfeed
