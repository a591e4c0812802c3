// From reports and the indicators they name to clusters: noise removal (the
// whitelist of each indicator's type, indicators named by more than
// max_reports reports, an exclusion list), the overlaps (two reports that
// share at least min_shared indicators, weighted by how many), and the
// clusters, the connected components of the reports linked by overlaps.
// Deterministic: reports, overlaps and clusters come in a fixed order.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "cluster/input.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

struct ClusterSettings {
  std::uint32_t max_reports = 100;  // an indicator in more reports than this links none (MISP's default)
  std::uint32_t min_shared = 1;     // indicators two reports must share to be linked
};

// What noise removal took out, each step with its count and the first
// examples (normalised values).
struct NoiseStep {
  std::uint64_t indicators = 0;
  std::vector<std::string> examples;  // the first 10
};

struct Overlap {
  std::uint32_t a = 0, b = 0;         // report indices, a < b in report order
  std::vector<std::uint32_t> shared;  // indicator indices, in indicator order
};

struct Cluster {
  std::vector<std::uint32_t> reports;     // report indices, sorted by report id
  std::vector<std::uint32_t> indicators;  // the shared indicators that link them, sorted by value
};

struct ClusterResult {
  NoiseStep whitelisted;
  NoiseStep over_correlating;
  NoiseStep excluded;
  std::vector<bool> kept;  // per indicator: still linking after noise removal
  std::vector<Overlap> overlaps;
  std::vector<Cluster> clusters;  // of two reports or more, the largest first
  std::uint64_t unlinked_reports = 0;
};

// `excluded`: normalised values the analyst excludes. `whitelist` may be null.
ClusterResult cluster_reports(const ClusterInput& input, const ClusterSettings& settings, const Whitelist* whitelist,
                              const std::set<std::string>& excluded);

}  // namespace crowdfeed
