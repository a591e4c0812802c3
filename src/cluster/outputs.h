// What `crowdfeed cluster` writes into its output folder, each file
// replaced atomically:
//   clusters.csv   cluster,size,reports,indicators (';'-separated lists)
//   overlaps.csv   report_a,report_b,shared,indicators
//   graph.graphml  reports and the indicators that link them as typed nodes,
//   graph.gexf     "overlap" edges (weighted) and "names" edges, for Gephi,
//                  yEd and Cytoscape
//   graph.dot      the clusters for Graphviz (dot -Tsvg graph.dot)
//   maltego.csv    one row a report-indicator link with its entity types,
//                  for Maltego's table import
#pragma once

#include <filesystem>

#include "cluster/graph.h"
#include "cluster/input.h"

namespace crowdfeed {

void write_cluster_outputs(const std::filesystem::path& directory, const ClusterInput& input,
                           const ClusterResult& result);

}  // namespace crowdfeed
