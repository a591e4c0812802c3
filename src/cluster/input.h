// Threat reports as cluster reads them: each report's id and name, and the
// indicators it names, each normalised by crowdfeed's own normalisers so
// that "EVIL.com." and "evil.com" are one indicator. A URL names its host.
// Indicators of kinds crowdfeed does not know (an e-mail address, a CIDR
// range, a CVE) and values its normalisers refuse are counted, by kind and
// reason, never silently dropped.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/functional/function_ref.h>
#include <absl/strings/string_view.h>

#include <cstdint>
#include <map>
#include <memory>
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
  std::string_view value;  // normalised, kept by the ClusterInput
  IndicatorType type = IndicatorType::kDomain;
};

// Strings stored once, end to end in large blocks, that stay where they
// are for the arena's life: millions of short values without an
// allocation each.
class StringArena {
 public:
  std::string_view store(std::string_view text);

 private:
  static constexpr std::size_t kBlock = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t left_ = 0;
  char* next_ = nullptr;
};

// The indicators of reports, each value stored once.
struct InternedIndicators {
  StringArena values;
  std::vector<ClusterIndicator> indicators;
  // Keys in `values`. Debian builds Abseil with a string_view of its own,
  // which its hash function takes; std::string_view would fall back to
  // std::hash, twice as slow.
  absl::flat_hash_map<absl::string_view, std::uint32_t> index;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;  // (report, indicator)
};

// Reading is two stages on two threads: the caller's thread parses and
// normalises, a second one looks each value up among those already seen
// (add_indicator hands it over in batches). Call finish() once everything
// is added, before indicators() and links().
class ClusterInput {
 public:
  // `batch`: indicators handed to the second thread at a time (the thread
  // starts with the first full batch).
  explicit ClusterInput(std::size_t batch = 8192);
  ~ClusterInput();
  ClusterInput(const ClusterInput&) = delete;  // indicators point into its arena
  ClusterInput& operator=(const ClusterInput&) = delete;
  ClusterInput(ClusterInput&&) noexcept;
  ClusterInput& operator=(ClusterInput&&) noexcept;

  // Adds a report (once per id; a later name replaces an empty one) and
  // returns its index.
  std::uint32_t add_report(std::string_view id, std::string_view name);

  // Adds an indicator that report `report` names, as the source states it:
  // `source_type` is the source's own name for its kind (OTX's "hostname",
  // "FileHash-SHA256", "URL"; crowdfeed's "domain", "ipv4"; empty: told
  // from the value's shape). `position` says where it was read, for the
  // report of refused values; it is called only for those.
  void add_indicator(std::uint32_t report, std::string_view value, std::string_view source_type,
                     absl::FunctionRef<std::string()> position);
  void add_indicator(std::uint32_t report, std::string_view value, std::string_view source_type,
                     std::string_view position) {
    add_indicator(report, value, source_type, [position] { return std::string(position); });
  }

  // Waits until every indicator added is stored.
  void finish();

  const std::vector<ClusterReport>& reports() const { return reports_; }
  const std::vector<ClusterIndicator>& indicators() const { return finished().indicators; }
  // Each (report, indicator) pair as read: a report may name one twice.
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& links() const { return finished().links; }

  std::uint64_t occurrences = 0;                     // indicators read, of any kind
  std::map<std::string, std::uint64_t> unsupported;  // by the source's kind
  std::uint64_t refused = 0;                         // values a normaliser refused
  std::vector<std::string> refused_examples;         // "POSITION: VALUE ...", the first 20

  // Indicators on their way to the second thread, their values end to end.
  struct Pending {
    struct Item {
      std::uint32_t report;
      IndicatorType type;
      std::uint32_t end;  // of its value in `values`
    };
    std::vector<Item> items;
    std::string values;
  };

 private:
  const InternedIndicators& finished() const;

  std::vector<ClusterReport> reports_;
  std::unordered_map<std::string, std::uint32_t> report_index_;
  std::uint32_t last_report_ = 0;  // add_report's answer for the same id again, without a lookup

  std::size_t batch_;
  Pending pending_;  // the batch being filled
  std::unique_ptr<InternedIndicators> interned_;
  class Interning;
  std::unique_ptr<Interning> interning_;  // the second thread, while it runs
};

// The indicator kind a source's type name stands for: nullopt for kinds
// crowdfeed does not know. "url" and "uri" map to kUrl.
enum class SourceKind { kIndicator, kUrl, kDetect, kUnsupported };
SourceKind source_kind(std::string_view source_type, IndicatorType& type);

}  // namespace crowdfeed
