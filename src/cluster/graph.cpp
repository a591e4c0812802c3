#include "cluster/graph.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace crowdfeed {
namespace {

constexpr std::size_t kExamples = 10;

void count(NoiseStep& step, const std::string& value) {
  if (++step.indicators <= kExamples) step.examples.push_back(value);
}

// Union-find over report indices, for the connected components.
class Components {
 public:
  explicit Components(std::size_t size) : parent_(size) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::uint32_t find(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::uint32_t> parent_;
};

}  // namespace

ClusterResult cluster_reports(const ClusterInput& input, const ClusterSettings& settings, const Whitelist* whitelist,
                              const std::set<std::string>& excluded) {
  const auto& reports = input.reports();
  const auto& indicators = input.indicators();
  ClusterResult result;

  // Reports and indicators in a fixed order (by id, by value), whatever the
  // order they were read in.
  std::vector<std::uint32_t> report_rank(reports.size());
  {
    std::vector<std::uint32_t> order(reports.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto x, auto y) { return reports[x].id < reports[y].id; });
    for (std::uint32_t rank = 0; rank < order.size(); ++rank) report_rank[order[rank]] = rank;
  }
  auto report_less = [&](std::uint32_t x, std::uint32_t y) { return report_rank[x] < report_rank[y]; };
  auto indicator_less = [&](std::uint32_t x, std::uint32_t y) { return indicators[x].value < indicators[y].value; };

  // The reports that name each indicator, each once.
  std::vector<std::vector<std::uint32_t>> named_by(indicators.size());
  for (const auto& [report, indicator] : input.links()) named_by[indicator].push_back(report);
  for (auto& list : named_by) {
    std::sort(list.begin(), list.end(), report_less);
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }

  // Noise removal, in indicator order so that the examples are stable.
  std::vector<std::uint32_t> by_value(indicators.size());
  std::iota(by_value.begin(), by_value.end(), 0);
  std::sort(by_value.begin(), by_value.end(), indicator_less);
  result.kept.assign(indicators.size(), false);
  for (std::uint32_t index : by_value) {
    const ClusterIndicator& indicator = indicators[index];
    if (excluded.contains(indicator.value)) {
      count(result.excluded, indicator.value);
    } else if (whitelist != nullptr && whitelist->match(indicator.value, indicator.type)) {
      count(result.whitelisted, indicator.value);
    } else if (named_by[index].size() > settings.max_reports) {
      count(result.over_correlating, indicator.value);
    } else {
      result.kept[index] = true;
    }
  }

  // Every pair of reports that share a kept indicator, with what they share.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::uint32_t>> shared;
  for (std::uint32_t index : by_value) {
    if (!result.kept[index]) continue;
    const auto& list = named_by[index];
    for (std::size_t i = 0; i < list.size(); ++i) {
      for (std::size_t j = i + 1; j < list.size(); ++j) shared[{list[i], list[j]}].push_back(index);
    }
  }
  Components components(reports.size());
  for (auto& [pair, values] : shared) {
    if (values.size() < settings.min_shared) continue;
    components.join(pair.first, pair.second);
    result.overlaps.push_back({pair.first, pair.second, std::move(values)});
  }
  std::sort(result.overlaps.begin(), result.overlaps.end(), [&](const Overlap& x, const Overlap& y) {
    return std::pair(report_rank[x.a], report_rank[x.b]) < std::pair(report_rank[y.a], report_rank[y.b]);
  });

  // The components of two reports or more, each with the indicators its
  // overlaps share.
  std::map<std::uint32_t, Cluster> by_root;
  for (const Overlap& overlap : result.overlaps) {
    Cluster& cluster = by_root[components.find(overlap.a)];
    cluster.indicators.insert(cluster.indicators.end(), overlap.shared.begin(), overlap.shared.end());
  }
  for (std::uint32_t report = 0; report < reports.size(); ++report) {
    auto found = by_root.find(components.find(report));
    if (found == by_root.end()) {
      ++result.unlinked_reports;
    } else {
      found->second.reports.push_back(report);
    }
  }
  for (auto& [root, cluster] : by_root) {
    std::sort(cluster.reports.begin(), cluster.reports.end(), report_less);
    std::sort(cluster.indicators.begin(), cluster.indicators.end(), indicator_less);
    cluster.indicators.erase(std::unique(cluster.indicators.begin(), cluster.indicators.end()),
                             cluster.indicators.end());
    result.clusters.push_back(std::move(cluster));
  }
  // The largest first; equal sizes by their first report.
  std::sort(result.clusters.begin(), result.clusters.end(), [&](const Cluster& x, const Cluster& y) {
    if (x.reports.size() != y.reports.size()) return x.reports.size() > y.reports.size();
    return report_rank[x.reports.front()] < report_rank[y.reports.front()];
  });
  return result;
}

}  // namespace crowdfeed
