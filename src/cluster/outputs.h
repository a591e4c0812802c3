// What `crowdfeed cluster` writes into its output folder, each file
// replaced atomically:
//   clusters.csv   cluster,size,reports,indicators (';'-separated lists)
//   communities.csv cluster,community,size,reports: the large clusters divided
//   overlaps.csv   report_a,report_b,shared,indicators
//   graph.graphml  reports and the indicators that link them as typed nodes,
//   graph.gexf     "overlap" edges (weighted) and "names" edges, for Gephi,
//                  yEd and Cytoscape
//   graph.dot      the clusters for Graphviz (dot -Tsvg graph.dot)
//   maltego.csv    one row a report-indicator link with its entity types,
//                  for Maltego's table import
//   graph.dot draws the largest clusters only (kDrawnClusters), so that a
//   large exchange still gives a readable drawing.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cluster/graph.h"
#include "cluster/input.h"

namespace crowdfeed {

// What a run found, as label and value lines: the command prints them and
// the HTML report shows them.
using ClusterSummary = std::vector<std::pair<std::string, std::string>>;
ClusterSummary summarise_clusters(const ClusterInput& input, std::uint64_t bad_records, const ClusteringRules& settings,
                                  const ClusterResult& result);

// Writes every file above; then, when Graphviz's dot is installed,
// graph.svg and graph.png (the largest clusters), and report.html (the
// summary, the cluster table and the drawing; static, no script).
void write_cluster_outputs(const std::filesystem::path& directory, const ClusterInput& input,
                           const ClusterResult& result, const ClusterSummary& summary);

// A report that names an indicator and is in a cluster, as the last run
// wrote it (from maltego.csv, one row a link of a clustered report to an
// indicator that links it).
struct ClusteredReport {
  std::string id;
  std::string name;
  std::string cluster;
};

// The clustered reports that name `indicator` (normalised), read from the
// output folder `directory`. Throws Error when the folder holds no
// maltego.csv or it is not what cluster writes.
std::vector<ClusteredReport> reports_naming(const std::filesystem::path& directory, std::string_view indicator);

// Every link of maltego.csv in `directory`: an indicator (normalised) and
// a clustered report that names it. Throws as reports_naming does.
void for_each_clustered_link(const std::filesystem::path& directory,
                             const std::function<void(const std::string& indicator, ClusteredReport&& report)>& visit);

}  // namespace crowdfeed
