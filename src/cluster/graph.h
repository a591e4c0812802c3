// From reports and the indicators they name to clusters: noise removal (the
// whitelist of each indicator's type, indicators named by more than
// max_reports reports, an exclusion list), the overlaps (two reports that
// share at least min_shared indicators, weighted by how many), and the
// clusters, the connected components of the reports linked by overlaps.
// Deterministic: reports, overlaps and clusters come in a fixed order.
// An indicator that one report names links nothing: noise removal looks at
// (and counts) the indicators named by two reports or more.
//
// Memory grows with the links read and the overlaps found, never with the
// pairs of reports: the overlaps of one report are counted at a time, and
// what two reports share is looked up when it is written.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "cluster/input.h"
#include "config/settings.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

// The link rules of one clustering run ([cluster] gives them).
struct ClusteringRules {
  std::uint32_t max_reports = 100;       // an indicator in more reports than this links none (MISP's default)
  std::uint32_t min_shared = 1;          // indicators two reports must share to be linked
  std::uint32_t communities_above = 50;  // a cluster of more reports than this is divided into communities
};

// What noise removal took out, each step with its count and the first
// examples (normalised values).
struct NoiseStep {
  std::uint64_t indicators = 0;
  std::vector<std::string> examples;  // the first 10
};

struct Overlap {
  std::uint32_t a = 0, b = 0;  // report indices, a before b in report order
  std::uint32_t shared = 0;    // how many linking indicators they share
};

struct Cluster {
  std::vector<std::uint32_t> reports;     // report indices, sorted by report id
  std::vector<std::uint32_t> indicators;  // the shared indicators that link them, sorted by value
  // A large cluster's communities (see cluster/communities.h), each a list
  // of its reports; empty for a cluster below the size that divides.
  std::vector<std::vector<std::uint32_t>> communities;
};

// Lists of indices, one a key, in one array (compressed sparse rows).
class IndexLists {
 public:
  std::span<const std::uint32_t> operator[](std::size_t key) const {
    return {items_.data() + start_[key], items_.data() + start_[key + 1]};
  }
  std::size_t size() const { return start_.empty() ? 0 : start_.size() - 1; }
  std::size_t total() const { return items_.size(); }

 private:
  friend class IndexListsBuilder;
  std::vector<std::size_t> start_;
  std::vector<std::uint32_t> items_;
};

struct ClusterResult {
  NoiseStep whitelisted;
  NoiseStep over_correlating;
  NoiseStep excluded;
  std::vector<bool> kept;  // per indicator: named by two reports or more, and not noise
  std::vector<Overlap> overlaps;
  std::vector<Cluster> clusters;  // of two reports or more, the largest first
  std::uint64_t unlinked_reports = 0;

  IndexLists kept_by_report;  // per report: the kept indicators it names, sorted by value
  IndexLists linked_by;       // per indicator: the reports it links to another (in an overlap), in report order

  // The indicators the two reports of an overlap share, sorted by value.
  std::vector<std::uint32_t> shared_indicators(const Overlap& overlap) const;

  std::vector<std::uint32_t> indicator_rank;  // per indicator named twice or more: its place in value order
};

// `excluded`: normalised values the analyst excludes. `whitelist` may be null.
ClusterResult cluster_reports(const ClusterInput& input, const ClusteringRules& settings, const Whitelist* whitelist,
                              const std::set<std::string, std::less<>>& excluded);

// Throws UsageError naming the key when a [cluster] setting is unusable.
void validate(const ClusterSettings& cluster);

}  // namespace crowdfeed
