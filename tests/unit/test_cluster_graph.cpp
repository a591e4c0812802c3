#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "cluster/graph.h"
#include "cluster/report_readers.h"
#include "cluster/stix_pattern.h"

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
  input.finish();
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
  ClusteringRules settings;
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
  CHECK(result.overlaps[0].shared == 2);  // r1-r2: cdn, one
  CHECK(result.overlaps[1].shared == 2);  // r2-r3: cdn, two
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

TEST_CASE("with min_shared above one, an indicator links only the pairs that reach it, in each of their clusters") {
  // i.example is named by all four, but links a-b (with j) and c-d (with
  // k) only: a-c share i alone.
  ClusterInput input = input_of({{"a", "i.example", ""},
                                 {"b", "i.example", ""},
                                 {"c", "i.example", ""},
                                 {"d", "i.example", ""},
                                 {"a", "j.example", ""},
                                 {"b", "j.example", ""},
                                 {"c", "k.example", ""},
                                 {"d", "k.example", ""}});
  ClusteringRules settings;
  settings.min_shared = 2;
  ClusterResult result = cluster_reports(input, settings, nullptr, {});
  CHECK(cluster_ids(input, result) == std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}});
  auto values = [&](const std::vector<std::uint32_t>& list) {
    std::vector<std::string> out;
    for (auto index : list) out.emplace_back(input.indicators()[index].value);
    return out;
  };
  CHECK(values(result.clusters[0].indicators) == std::vector<std::string>{"i.example", "j.example"});
  CHECK(values(result.clusters[1].indicators) == std::vector<std::string>{"i.example", "k.example"});
  REQUIRE(result.overlaps.size() == 2);
  CHECK(values(result.shared_indicators(result.overlaps[0])) == std::vector<std::string>{"i.example", "j.example"});
}

TEST_CASE("overlaps and clusters equal those of every pair compared by brute force") {
  // Random exchanges: 40 reports naming 1-6 of 30 indicators.
  for (unsigned seed = 1; seed <= 30; ++seed) {
    std::srand(seed);
    std::vector<std::set<std::string>> named(40);
    ClusterInput input(1 + seed % 7);  // batches of 1 to 7: the interning thread takes part
    for (std::size_t r = 0; r < named.size(); ++r) {
      std::string id = "r" + std::to_string(100 + r);
      std::uint32_t report = input.add_report(id, id);
      int count = 1 + std::rand() % 6;
      for (int k = 0; k < count; ++k) {
        std::string value = "v" + std::to_string(std::rand() % 30) + ".example";
        named[r].insert(value);
        input.add_indicator(report, value, "", "t");
      }
    }
    input.finish();
    ClusteringRules settings;
    settings.max_reports = 3 + seed % 5;
    settings.min_shared = 1 + seed % 3;
    ClusterResult result = cluster_reports(input, settings, nullptr, {});

    std::map<std::string, std::size_t> named_count;
    for (const auto& values : named) {
      for (const auto& value : values) ++named_count[value];
    }
    std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> expected, found;
    for (std::size_t a = 0; a < named.size(); ++a) {
      for (std::size_t b = a + 1; b < named.size(); ++b) {
        std::size_t shared = 0;
        for (const auto& value : named[a])
          shared += named[b].contains(value) && named_count[value] <= settings.max_reports;
        if (shared >= settings.min_shared) expected.emplace_back(a, b, shared);
      }
    }
    for (const Overlap& overlap : result.overlaps) {
      found.emplace_back(overlap.a, overlap.b, overlap.shared);
      CHECK(result.shared_indicators(overlap).size() == overlap.shared);
    }
    CHECK(found == expected);

    // Clusters: the components of the expected overlaps, by a plain search.
    std::vector<int> component(named.size(), -1);
    int components = 0;
    for (std::size_t start = 0; start < named.size(); ++start) {
      if (component[start] >= 0) continue;
      std::vector<std::size_t> stack{start};
      component[start] = components;
      while (!stack.empty()) {
        std::size_t r = stack.back();
        stack.pop_back();
        for (const auto& [a, b, shared] : expected) {
          std::size_t other = a == r ? b : b == r ? a : r;
          if (other != r && component[other] < 0) {
            component[other] = components;
            stack.push_back(other);
          }
        }
      }
      ++components;
    }
    std::size_t clustered = 0;
    for (const Cluster& cluster : result.clusters) {
      for (auto report : cluster.reports) CHECK(component[report] == component[cluster.reports.front()]);
      clustered += cluster.reports.size();
      CHECK(std::count(component.begin(), component.end(), component[cluster.reports.front()]) ==
            static_cast<long>(cluster.reports.size()));
    }
    CHECK(clustered + result.unlinked_reports == named.size());
  }
}

TEST_CASE("a large cluster of two campaigns joined by one shared value is divided into the two (Leiden)") {
  // Two groups of six reports, each report naming its group's five
  // indicators; one value names by a report of each joins them.
  std::vector<Row> rows;
  std::vector<std::string> names;
  for (int group = 0; group < 2; ++group) {
    for (int r = 0; r < 6; ++r) {
      for (int v = 0; v < 5; ++v) {
        names.push_back(fmt::format("g{}-r{}", group, r));
        names.push_back(fmt::format("v{}.group{}.example", v, group));
      }
    }
  }
  names.push_back("g0-r0");
  names.push_back("bridge.example");
  names.push_back("g1-r5");
  names.push_back("bridge.example");
  for (std::size_t i = 0; i < names.size(); i += 2) rows.push_back({names[i].c_str(), names[i + 1].c_str(), ""});

  ClusterInput input = input_of(rows);
  ClusteringRules settings;
  settings.communities_above = 10;
  ClusterResult result = cluster_reports(input, settings, nullptr, {});
  REQUIRE(result.clusters.size() == 1);
  REQUIRE(result.clusters[0].communities.size() == 2);
  auto ids = [&](const std::vector<std::uint32_t>& reports) {
    std::vector<std::string> out;
    for (auto report : reports) out.push_back(input.reports()[report].id);
    return out;
  };
  CHECK(ids(result.clusters[0].communities[0]) ==
        std::vector<std::string>{"g0-r0", "g0-r1", "g0-r2", "g0-r3", "g0-r4", "g0-r5"});
  CHECK(ids(result.clusters[0].communities[1]) ==
        std::vector<std::string>{"g1-r0", "g1-r1", "g1-r2", "g1-r3", "g1-r4", "g1-r5"});

  // A cluster at the limit is left whole; the same input divides the same way.
  settings.communities_above = 12;
  CHECK(cluster_reports(input, settings, nullptr, {}).clusters[0].communities.empty());
  settings.communities_above = 10;
  CHECK(cluster_reports(input, settings, nullptr, {}).clusters[0].communities == result.clusters[0].communities);
}

TEST_CASE("STIX patterns: every equality on a path that names an indicator is read, nothing else") {
  using V = std::vector<StixValue>;
  CHECK(read_stix_pattern("[domain-name:value = 'evil.example']") == V{{"domain", "evil.example"}});
  CHECK(read_stix_pattern("[ipv4-addr:value='192.0.2.1' OR url:value = 'http://x.example/a b']") ==
        V{{"ipv4", "192.0.2.1"}, {"url", "http://x.example/a b"}});
  CHECK(read_stix_pattern(R"([file:hashes.'SHA-256' = 'AB'] )") == V{{"sha256", "AB"}});
  CHECK(read_stix_pattern(R"([domain-name:value = 'it\'s\\here'])") == V{{"domain", "it's\\here"}});
  // Several observations, AND, qualifiers: each value is one the report names.
  CHECK(read_stix_pattern("[domain-name:value = 'a'] AND [domain-name:value = 'b']") ==
        V{{"domain", "a"}, {"domain", "b"}});
  CHECK(read_stix_pattern("[domain-name:value = 'a' AND ipv4-addr:value = '192.0.2.1']") ==
        V{{"domain", "a"}, {"ipv4", "192.0.2.1"}});
  CHECK(read_stix_pattern("[domain-name:value = 'a'] WITHIN 300 SECONDS") == V{{"domain", "a"}});
  CHECK(read_stix_pattern("([domain-name:value = 'a.com'] AND [ipv4-addr:value = '192.0.2.1']) FOLLOWEDBY "
                          "[url:value = 'http://b.example/']") ==
        V{{"domain", "a.com"}, {"ipv4", "192.0.2.1"}, {"url", "http://b.example/"}});
  // MISP's exports: a file object's name and hashes, an address of a flow.
  CHECK(read_stix_pattern("[file:name = 'oui' AND file:hashes.MD5 = '8764605c6f388c89096b534d33565802' AND "
                          "(file:content_ref.payload_bin = 'eA==' AND file:content_ref.x_misp_filename = 'oui')]") ==
        V{{"md5", "8764605c6f388c89096b534d33565802"}});
  CHECK(read_stix_pattern("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = "
                          "'5.6.7.8']") == V{{"", "5.6.7.8"}});
  // Hash names in every spelling the specification's examples and producers use.
  for (auto path : {"file:hashes.md5", "file:hashes.MD5", "file:hashes.'MD5'", "file:hashes.'md5'"}) {
    CHECK(read_stix_pattern(fmt::format("[{} = 'x']", path)) == V{{"md5", "x"}});
  }
  for (auto path : {"file:hashes.'SHA-1'", "file:hashes.SHA1", "file:hashes.sha1", "file:hashes.'sha-1'"}) {
    CHECK(read_stix_pattern(fmt::format("[{} = 'x']", path)) == V{{"sha1", "x"}});
  }
  for (auto path : {"file:hashes.'SHA-256'", "file:hashes.SHA256", "file:hashes.sha256", "file:hashes.'Sha-256'"}) {
    CHECK(read_stix_pattern(fmt::format("[{} = 'x']", path)) == V{{"sha256", "x"}});
  }
  // What names no indicator, and what is not a pattern.
  CHECK_FALSE(read_stix_pattern("[domain-name:value LIKE '%.example']"));
  CHECK_FALSE(read_stix_pattern("[domain-name:value != 'a']"));
  CHECK_FALSE(read_stix_pattern("[domain-name:value NOT = 'a']"));
  CHECK_FALSE(read_stix_pattern("[email-addr:value = 'x@example.net']"));
  CHECK_FALSE(read_stix_pattern("[file:hashes.'SHA-512' = 'x']"));
  CHECK_FALSE(read_stix_pattern("[domain-name:value = 'unclosed]"));
  CHECK_FALSE(read_stix_pattern("[domain-name:value = 'bad\\escape']"));
  CHECK_FALSE(read_stix_pattern("domain-name:value = 'a'"));
  CHECK_FALSE(read_stix_pattern("[domain-name:value = 'a'"));
  CHECK_FALSE(read_stix_pattern("[[domain-name:value = 'a']]"));
  CHECK_FALSE(read_stix_pattern("[(domain-name:value = 'a']"));
  CHECK_FALSE(read_stix_pattern("([domain-name:value = 'a']"));
  CHECK_FALSE(read_stix_pattern("(domain-name:value = 'a')"));
}
