#include <algorithm>
#include <catch2/catch.hpp>

#include "cluster/graph.h"

using namespace crowdfeed;

namespace {

struct Row {
  const char* report;
  const char* value;
  const char* type;
};

ClusterInput input_of(const std::vector<Row>& rows) {
  ClusterInput input;
  for (const Row& row : rows) input.add_indicator(input.add_report(row.report, row.report), row.value, row.type, "t");
  return input;
}

std::vector<std::vector<std::string>> cluster_ids(const ClusterInput& input, const ClusterResult& result) {
  std::vector<std::vector<std::string>> clusters;
  for (const Cluster& cluster : result.clusters) {
    clusters.emplace_back();
    for (auto report : cluster.reports) clusters.back().push_back(input.reports()[report].id);
  }
  return clusters;
}

}  // namespace

TEST_CASE("variants of one indicator are one node: case, trailing dot, a URL's host") {
  ClusterInput input = input_of({{"a", "EVIL.example.", "domain"},
                                 {"b", "evil.example", "hostname"},
                                 {"c", "https://evil.example:8443/x?y=1", "URL"},
                                 {"d", "5E884898DA28047151D0E56F8DC6292773603D0D6AABBDD62A11EF721D1542D8", ""},
                                 {"e", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", "sha256"}});
  CHECK(input.indicators().size() == 2);
  ClusterResult result = cluster_reports(input, {}, nullptr, {});
  CHECK(cluster_ids(input, result) == std::vector<std::vector<std::string>>{{"a", "b", "c"}, {"d", "e"}});
}

TEST_CASE("kinds crowdfeed does not know are counted, refused values too") {
  ClusterInput input = input_of({{"a", "x@example.net", "email"},
                                 {"a", "203.0.113.0/24", "CIDR"},
                                 {"a", "CVE-2026-0001", "CVE"},
                                 {"a", "10.1.2.3", "IPv4"},
                                 {"a", "https:///no-host", "URL"}});
  CHECK(input.occurrences == 5);
  CHECK(input.unsupported == std::map<std::string, std::uint64_t>{{"CIDR", 1}, {"CVE", 1}, {"email", 1}});
  CHECK(input.refused == 2);
  CHECK(input.indicators().empty());
}

TEST_CASE("over-correlating and excluded indicators link nothing; min_shared counts what is shared") {
  ClusterInput input = input_of({{"r1", "cdn.example", ""},
                                 {"r2", "cdn.example", ""},
                                 {"r3", "cdn.example", ""},
                                 {"r1", "one.example", ""},
                                 {"r2", "one.example", ""},
                                 {"r2", "two.example", ""},
                                 {"r3", "two.example", ""},
                                 {"r3", "three.example", ""},
                                 {"r4", "three.example", ""}});
  ClusterSettings settings;
  settings.max_reports = 2;
  ClusterResult result = cluster_reports(input, settings, nullptr, {"three.example"});
  CHECK(result.over_correlating.examples == std::vector<std::string>{"cdn.example"});
  CHECK(result.excluded.examples == std::vector<std::string>{"three.example"});
  CHECK(cluster_ids(input, result) == std::vector<std::vector<std::string>>{{"r1", "r2", "r3"}});
  CHECK(result.unlinked_reports == 1);

  // Only r1 and r2 share two indicators once the limit lets cdn.example count.
  settings.max_reports = 100;
  settings.min_shared = 2;
  result = cluster_reports(input, settings, nullptr, {});
  CHECK(cluster_ids(input, result) == std::vector<std::vector<std::string>>{{"r1", "r2", "r3"}});
  REQUIRE(result.overlaps.size() == 2);
  CHECK(result.overlaps[0].shared.size() == 2);  // r1-r2: cdn, one
  CHECK(result.overlaps[1].shared.size() == 2);  // r2-r3: cdn, two
}

TEST_CASE("the same reports in another order give the same clusters and overlaps") {
  std::vector<Row> rows = {{"b", "x.example", ""}, {"a", "x.example", ""}, {"c", "y.example", ""},
                           {"d", "y.example", ""}, {"d", "z.example", ""}, {"e", "z.example", ""}};
  ClusterInput forward = input_of(rows);
  std::reverse(rows.begin(), rows.end());
  ClusterInput backward = input_of(rows);
  ClusterResult one = cluster_reports(forward, {}, nullptr, {});
  ClusterResult two = cluster_reports(backward, {}, nullptr, {});
  CHECK(cluster_ids(forward, one) == cluster_ids(backward, two));
  CHECK(cluster_ids(forward, one) == std::vector<std::vector<std::string>>{{"c", "d", "e"}, {"a", "b"}});
}
