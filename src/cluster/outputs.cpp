#include "cluster/outputs.h"

#include <fmt/format.h>

#include <map>

#include "util/atomic_file.h"
#include "util/csv_line.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// Text from a report (a name, an id) as XML character data: printable (no
// control character XML 1.0 forbids), with the special characters escaped.
std::string xml_text(std::string_view text) {
  return escape_markup(printable(text, 1000));
}

template <typename Range, typename Name>
std::string joined(const Range& items, Name name) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ';';
    text += name(item);
  }
  return text;
}

}  // namespace

void write_cluster_outputs(const fs::path& directory, const ClusterInput& input, const ClusterResult& result) {
  create_public_directories(directory);
  const auto& reports = input.reports();
  const auto& indicators = input.indicators();
  auto report_id = [&](std::uint32_t index) { return printable(reports[index].id, 1000); };
  auto indicator_value = [&](std::uint32_t index) { return indicators[index].value; };

  std::string clusters = "cluster,size,reports,indicators\n";
  std::map<std::uint32_t, std::size_t> cluster_of;  // report index -> cluster number
  for (std::size_t i = 0; i < result.clusters.size(); ++i) {
    const Cluster& cluster = result.clusters[i];
    for (std::uint32_t report : cluster.reports) cluster_of[report] = i + 1;
    clusters +=
        fmt::format("{},{},{},{}\n", i + 1, cluster.reports.size(), csv_field(joined(cluster.reports, report_id)),
                    csv_field(joined(cluster.indicators, indicator_value)));
  }
  write_file_atomically(directory / "clusters.csv", clusters);

  AtomicFile overlaps(directory / "overlaps.csv");
  overlaps.write("report_a,report_b,shared,indicators\n");
  for (const Overlap& overlap : result.overlaps) {
    overlaps.write(fmt::format("{},{},{},{}\n", csv_field(report_id(overlap.a)), csv_field(report_id(overlap.b)),
                               overlap.shared.size(), csv_field(joined(overlap.shared, indicator_value))));
  }
  overlaps.commit();

  // Every report (a lone one is a node of its own) and the indicators that
  // link two reports or more.
  AtomicFile graph(directory / "graph.graphml");
  graph.write(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
      "<key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
      "<key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
      "<key id=\"report\" for=\"node\" attr.name=\"report\" attr.type=\"string\"/>\n"
      "<key id=\"cluster\" for=\"node\" attr.name=\"cluster\" attr.type=\"int\"/>\n"
      "<key id=\"relation\" for=\"edge\" attr.name=\"relation\" attr.type=\"string\"/>\n"
      "<key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"int\"/>\n"
      "<graph id=\"clusters\" edgedefault=\"undirected\">\n");
  for (std::uint32_t report = 0; report < reports.size(); ++report) {
    auto cluster = cluster_of.find(report);
    graph.write(
        fmt::format("<node id=\"r{}\"><data key=\"kind\">report</data><data key=\"label\">{}</data><data "
                    "key=\"report\">{}</data><data key=\"cluster\">{}</data></node>\n",
                    report, xml_text(reports[report].name.empty() ? reports[report].id : reports[report].name),
                    xml_text(reports[report].id), cluster == cluster_of.end() ? 0 : cluster->second));
  }
  std::map<std::uint32_t, std::vector<std::uint32_t>> linking;  // indicator -> the reports it links
  for (const Overlap& overlap : result.overlaps) {
    for (std::uint32_t indicator : overlap.shared) {
      auto& list = linking[indicator];
      list.push_back(overlap.a);
      list.push_back(overlap.b);
    }
  }
  for (auto& [indicator, list] : linking) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    graph.write(fmt::format("<node id=\"i{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data></node>\n",
                            indicator, type_name(indicators[indicator].type), indicators[indicator].value));
  }
  for (const Overlap& overlap : result.overlaps) {
    graph.write(
        fmt::format("<edge source=\"r{}\" target=\"r{}\"><data key=\"relation\">overlap</data><data "
                    "key=\"weight\">{}</data></edge>\n",
                    overlap.a, overlap.b, overlap.shared.size()));
  }
  for (const auto& [indicator, list] : linking) {
    for (std::uint32_t report : list) {
      graph.write(fmt::format("<edge source=\"r{}\" target=\"i{}\"><data key=\"relation\">names</data></edge>\n",
                              report, indicator));
    }
  }
  graph.write("</graph>\n</graphml>\n");
  graph.commit();
}

}  // namespace crowdfeed
