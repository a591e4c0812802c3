#include "cluster/graph.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

#include "cluster/communities.h"
#include "util/error.h"

namespace crowdfeed {

// Builds IndexLists in two passes over the same data: count() each item's
// key, allocate(), then add() each item.
class IndexListsBuilder {
 public:
  explicit IndexListsBuilder(std::size_t keys) { lists_.start_.assign(keys + 1, 0); }
  void count(std::size_t key) { ++lists_.start_[key + 1]; }
  void allocate() {
    std::partial_sum(lists_.start_.begin(), lists_.start_.end(), lists_.start_.begin());
    lists_.items_.resize(lists_.start_.back());
    next_.assign(lists_.start_.begin(), lists_.start_.end() - 1);
  }
  void add(std::size_t key, std::uint32_t item) { lists_.items_[next_[key]++] = item; }
  // Sorts each list and drops repeated items, closing the gaps.
  template <typename Less>
  void sort_unique_each(Less less) {
    auto& items = lists_.items_;
    auto& start = lists_.start_;
    std::size_t kept = 0;
    for (std::size_t key = 0; key + 1 < start.size(); ++key) {
      auto first = items.begin() + static_cast<std::ptrdiff_t>(start[key]);
      auto last = items.begin() + static_cast<std::ptrdiff_t>(start[key + 1]);
      std::sort(first, last, less);
      last = std::unique(first, last);
      start[key] = kept;
      kept = static_cast<std::size_t>(std::copy(first, last, items.begin() + static_cast<std::ptrdiff_t>(kept)) -
                                      items.begin());
    }
    start.back() = kept;
    items.resize(kept);
  }
  IndexLists finish() { return std::move(lists_); }

 private:
  IndexLists lists_;
  std::vector<std::size_t> next_;
};

namespace {

constexpr std::size_t kExamples = 10;

void count(NoiseStep& step, std::string_view value) {
  if (++step.indicators <= kExamples) step.examples.emplace_back(value);
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

// The places of `items` in the order `less` gives them.
template <typename Less>
std::vector<std::uint32_t> ranks(std::size_t size, Less less) {
  std::vector<std::uint32_t> order(size);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), less);
  std::vector<std::uint32_t> rank(size);
  for (std::uint32_t place = 0; place < size; ++place) rank[order[place]] = place;
  return rank;
}

}  // namespace

std::vector<std::uint32_t> ClusterResult::shared_indicators(const Overlap& overlap) const {
  std::vector<std::uint32_t> shared;
  auto a = kept_by_report[overlap.a];
  auto b = kept_by_report[overlap.b];
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared),
                        [&](std::uint32_t x, std::uint32_t y) { return indicator_rank[x] < indicator_rank[y]; });
  return shared;
}

ClusterResult cluster_reports(const ClusterInput& input, const ClusteringRules& settings, const Whitelist* whitelist,
                              const std::set<std::string, std::less<>>& excluded) {
  const auto& reports = input.reports();
  const auto& indicators = input.indicators();
  ClusterResult result;

  // Reports in a fixed order (by id), whatever the order they were read in.
  const std::vector<std::uint32_t> report_rank =
      ranks(reports.size(), [&](auto x, auto y) { return reports[x].id < reports[y].id; });
  auto report_less = [&](std::uint32_t x, std::uint32_t y) { return report_rank[x] < report_rank[y]; };
  std::vector<std::uint32_t> by_report_rank(reports.size());
  for (std::uint32_t report = 0; report < reports.size(); ++report) by_report_rank[report_rank[report]] = report;

  // The reports that name each indicator, each once, in report order.
  IndexLists named_by;
  {
    IndexListsBuilder builder(indicators.size());
    for (const auto& link : input.links()) builder.count(link.second);
    builder.allocate();
    for (const auto& [report, indicator] : input.links()) builder.add(indicator, report);
    builder.sort_unique_each(report_less);
    named_by = builder.finish();
  }

  // Only an indicator that two reports name or more can link: most are
  // named once, and noise removal and the ordering by value skip them.
  std::vector<std::uint32_t> by_value;
  for (std::uint32_t index = 0; index < indicators.size(); ++index) {
    if (named_by[index].size() >= 2) by_value.push_back(index);
  }
  std::sort(by_value.begin(), by_value.end(),
            [&](auto x, auto y) { return indicators[x].value < indicators[y].value; });
  result.indicator_rank.assign(indicators.size(), std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t rank = 0; rank < by_value.size(); ++rank) result.indicator_rank[by_value[rank]] = rank;

  // Noise removal, in indicator order so that the examples are stable.
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
  {
    IndexListsBuilder builder(reports.size());
    for (std::uint32_t index : by_value) {
      if (!result.kept[index]) continue;
      for (std::uint32_t report : named_by[index]) builder.count(report);
    }
    builder.allocate();
    for (std::uint32_t index : by_value) {
      if (!result.kept[index]) continue;
      for (std::uint32_t report : named_by[index]) builder.add(report, index);
    }
    result.kept_by_report = builder.finish();
  }

  // The overlaps of one report at a time with the reports after it: how
  // many kept indicators it shares with each (a sparse row of counts).
  // `linking` marks, per entry of named_by, a report linked to another
  // through that indicator.
  std::vector<std::uint32_t> together(reports.size(), 0);
  std::vector<std::uint32_t> partners;
  std::vector<bool> linking(named_by.total(), false);
  const std::uint32_t* named_base = indicators.empty() ? nullptr : named_by[0].data();
  Components components(reports.size());
  for (std::uint32_t a : by_report_rank) {
    auto after = [&](std::span<const std::uint32_t> list) {
      return std::upper_bound(list.begin(), list.end(), a, report_less);
    };
    partners.clear();
    for (std::uint32_t index : result.kept_by_report[a]) {
      auto list = named_by[index];
      for (auto b = after(list); b != list.end(); ++b) {
        if (together[*b]++ == 0) partners.push_back(*b);
      }
    }
    std::sort(partners.begin(), partners.end(), report_less);
    bool linked = false;
    for (std::uint32_t b : partners) {
      if (together[b] < settings.min_shared) continue;
      result.overlaps.push_back({a, b, together[b]});
      components.join(a, b);
      linked = true;
    }
    if (linked) {
      for (std::uint32_t index : result.kept_by_report[a]) {
        auto list = named_by[index];
        bool links_a = false;
        for (auto b = after(list); b != list.end(); ++b) {
          if (together[*b] < settings.min_shared) continue;
          linking[static_cast<std::size_t>(&*b - named_base)] = true;
          links_a = true;
        }
        if (links_a) linking[static_cast<std::size_t>(&*(after(list) - 1) - named_base)] = true;
      }
    }
    for (std::uint32_t b : partners) together[b] = 0;
  }
  {
    IndexListsBuilder builder(indicators.size());
    auto linked = [&](const std::uint32_t& report) { return linking[static_cast<std::size_t>(&report - named_base)]; };
    for (std::uint32_t index = 0; index < indicators.size(); ++index) {
      for (const std::uint32_t& report : named_by[index]) {
        if (linked(report)) builder.count(index);
      }
    }
    builder.allocate();
    for (std::uint32_t index = 0; index < indicators.size(); ++index) {
      for (const std::uint32_t& report : named_by[index]) {
        if (linked(report)) builder.add(index, report);
      }
    }
    result.linked_by = builder.finish();
  }

  // The components of two reports or more, each with the indicators that
  // link its reports.
  std::map<std::uint32_t, Cluster> by_root;
  for (std::uint32_t index : by_value) {
    for (std::uint32_t report : result.linked_by[index]) {
      auto& cluster_indicators = by_root[components.find(report)].indicators;
      if (cluster_indicators.empty() || cluster_indicators.back() != index) cluster_indicators.push_back(index);
    }
  }
  for (std::uint32_t report : by_report_rank) {
    auto found = by_root.find(components.find(report));
    if (found == by_root.end()) {
      ++result.unlinked_reports;
    } else {
      found->second.reports.push_back(report);
    }
  }
  for (auto& [root, cluster] : by_root) result.clusters.push_back(std::move(cluster));
  // The largest first; equal sizes by their first report.
  std::sort(result.clusters.begin(), result.clusters.end(), [&](const Cluster& x, const Cluster& y) {
    if (x.reports.size() != y.reports.size()) return x.reports.size() > y.reports.size();
    return report_rank[x.reports.front()] < report_rank[y.reports.front()];
  });
  divide_large_clusters(result, settings.communities_above);
  return result;
}

void validate(const ClusterSettings& cluster) {
  if (cluster.max_reports < 2) throw UsageError("cluster.max_reports must be at least 2");
  if (cluster.min_shared < 1) throw UsageError("cluster.min_shared must be at least 1");
  if (cluster.communities_above < 2) throw UsageError("cluster.communities_above must be at least 2");
  if (cluster.max_record_mib < 1 || cluster.max_record_mib > 65536) {
    throw UsageError("cluster.max_record_mib must be from 1 to 65536");
  }
}

}  // namespace crowdfeed
