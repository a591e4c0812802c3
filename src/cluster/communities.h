// Communities inside a large cluster. A connected component of hundreds of
// reports is often a few campaigns joined by a handful of overlaps; the
// Leiden algorithm (igraph's, maximising modularity over the overlaps
// weighted by the indicators they share) divides it into the groups that
// are linked more within than between. Deterministic: igraph's random
// generator is seeded the same way for every cluster.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cluster/graph.h"

namespace crowdfeed {

// The communities of one cluster: `reports` (report indices, in report
// order) and the overlaps between them. Each community lists reports in the
// order of `reports`; the largest come first, equal sizes by first report.
std::vector<std::vector<std::uint32_t>> find_communities(std::span<const std::uint32_t> reports,
                                                         std::span<const Overlap> overlaps);

// Divides every cluster of more than `above` reports of `result` into its
// communities (Cluster::communities).
void divide_large_clusters(ClusterResult& result, std::uint32_t above);

}  // namespace crowdfeed
