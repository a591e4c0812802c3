#include "cluster/communities.h"

#include <fmt/format.h>
#include <igraph.h>

#include <algorithm>
#include <map>

#include "util/error.h"

namespace crowdfeed {
namespace {

// The seed of igraph's random generator before each cluster: the same
// input always gives the same communities.
constexpr igraph_uint_t kSeed = 20261129;

void check(igraph_error_t code, const char* what) {
  if (code != IGRAPH_SUCCESS) throw Error(fmt::format("igraph: {}: {}", what, igraph_strerror(code)));
}

// igraph's objects, destroyed however the function ends.
struct IntVector {
  igraph_vector_int_t v;
  explicit IntVector(igraph_integer_t size) { check(igraph_vector_int_init(&v, size), "vector"); }
  ~IntVector() { igraph_vector_int_destroy(&v); }
  IntVector(const IntVector&) = delete;
  IntVector& operator=(const IntVector&) = delete;
};
struct RealVector {
  igraph_vector_t v;
  explicit RealVector(igraph_integer_t size) { check(igraph_vector_init(&v, size), "vector"); }
  ~RealVector() { igraph_vector_destroy(&v); }
  RealVector(const RealVector&) = delete;
  RealVector& operator=(const RealVector&) = delete;
};
struct Graph {
  igraph_t g;
  Graph(const IntVector& edges, igraph_integer_t vertices) {
    check(igraph_create(&g, &edges.v, vertices, IGRAPH_UNDIRECTED), "graph");
  }
  ~Graph() { igraph_destroy(&g); }
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
};

// igraph aborts the program on an error unless told otherwise: its errors
// become return codes while this is alive.
class ErrorsReturned {
 public:
  ErrorsReturned() : previous_(igraph_set_error_handler(igraph_error_handler_ignore)) {}
  ~ErrorsReturned() { igraph_set_error_handler(previous_); }
  ErrorsReturned(const ErrorsReturned&) = delete;
  ErrorsReturned& operator=(const ErrorsReturned&) = delete;

 private:
  igraph_error_handler_t* previous_;
};

}  // namespace

std::vector<std::vector<std::uint32_t>> find_communities(std::span<const std::uint32_t> reports,
                                                         std::span<const Overlap> overlaps) {
  std::map<std::uint32_t, igraph_integer_t> vertex;
  for (std::uint32_t report : reports) vertex.emplace(report, static_cast<igraph_integer_t>(vertex.size()));

  ErrorsReturned errors;
  const auto edge_count = static_cast<igraph_integer_t>(overlaps.size());
  IntVector edges(2 * edge_count);
  RealVector weights(edge_count);
  double total = 0;
  for (igraph_integer_t i = 0; i < edge_count; ++i) {
    const Overlap& overlap = overlaps[static_cast<std::size_t>(i)];
    VECTOR(edges.v)[2 * i] = vertex.at(overlap.a);
    VECTOR(edges.v)[2 * i + 1] = vertex.at(overlap.b);
    VECTOR(weights.v)[i] = overlap.shared;
    total += overlap.shared;
  }
  Graph graph(edges, static_cast<igraph_integer_t>(reports.size()));

  // Leiden maximising modularity: each vertex weighs its strength (the
  // weights of its edges), at resolution 1/2m (m: the total weight).
  RealVector strength(0);
  check(igraph_strength(&graph.g, &strength.v, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS, &weights.v), "strength");
  IntVector membership(0);
  igraph_integer_t count = 0;
  check(igraph_rng_seed(igraph_rng_default(), kSeed), "seed");
  check(igraph_community_leiden(&graph.g, &weights.v, &strength.v, 1.0 / (2.0 * total), 0.01, false, -1, &membership.v,
                                &count, nullptr),
        "Leiden");

  std::vector<std::vector<std::uint32_t>> communities(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < reports.size(); ++i) {
    communities[static_cast<std::size_t>(VECTOR(membership.v)[static_cast<igraph_integer_t>(i)])].push_back(reports[i]);
  }
  // Reports keep their order within each community; the communities go
  // largest first, then by the place of their first report.
  std::map<std::uint32_t, std::size_t> place;
  for (std::size_t i = 0; i < reports.size(); ++i) place.emplace(reports[i], i);
  std::erase_if(communities, [](const auto& community) { return community.empty(); });
  std::sort(communities.begin(), communities.end(), [&](const auto& x, const auto& y) {
    if (x.size() != y.size()) return x.size() > y.size();
    return place[x.front()] < place[y.front()];
  });
  return communities;
}

void divide_large_clusters(ClusterResult& result, std::uint32_t above) {
  std::vector<std::size_t> cluster_of;  // per report: 1 + its cluster among the large ones, or 0
  std::vector<std::vector<Overlap>> overlaps;
  std::vector<std::size_t> large;
  for (std::size_t i = 0; i < result.clusters.size(); ++i) {
    if (result.clusters[i].reports.size() <= above) continue;
    large.push_back(i);
    for (std::uint32_t report : result.clusters[i].reports) {
      if (report >= cluster_of.size()) cluster_of.resize(report + 1, 0);
      cluster_of[report] = large.size();
    }
  }
  if (large.empty()) return;
  overlaps.resize(large.size());
  for (const Overlap& overlap : result.overlaps) {
    if (overlap.a < cluster_of.size() && cluster_of[overlap.a] > 0)
      overlaps[cluster_of[overlap.a] - 1].push_back(overlap);
  }
  for (std::size_t k = 0; k < large.size(); ++k) {
    Cluster& cluster = result.clusters[large[k]];
    cluster.communities = find_communities(cluster.reports, overlaps[k]);
  }
}

}  // namespace crowdfeed
