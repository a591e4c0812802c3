#include "cluster/outputs.h"

#include <fmt/format.h>

#include <algorithm>
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

// The same inside a Graphviz quoted string.
std::string dot_text(std::string_view text) {
  std::string quoted;
  for (char c : printable(text, 200)) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted;
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

// What every graph file draws: every report (a lone one is a node of its
// own, cluster 0), the indicators that link two reports or more, the
// overlaps between reports and the links from reports to those indicators.
struct GraphView {
  const ClusterInput& input;
  const ClusterResult& result;
  std::vector<std::size_t> cluster_of;                          // per report; 0: none
  std::map<std::uint32_t, std::vector<std::uint32_t>> linking;  // indicator -> the reports it links

  GraphView(const ClusterInput& in, const ClusterResult& out)
      : input(in), result(out), cluster_of(in.reports().size(), 0) {
    for (std::size_t i = 0; i < out.clusters.size(); ++i) {
      for (std::uint32_t report : out.clusters[i].reports) cluster_of[report] = i + 1;
    }
    for (const Overlap& overlap : out.overlaps) {
      for (std::uint32_t indicator : overlap.shared) {
        auto& list = linking[indicator];
        list.push_back(overlap.a);
        list.push_back(overlap.b);
      }
    }
    for (auto& [indicator, list] : linking) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
  }
  std::string label(std::uint32_t report) const {
    const ClusterReport& r = input.reports()[report];
    return r.name.empty() ? r.id : r.name;
  }
};

void write_graphml(const fs::path& path, const GraphView& view) {
  const auto& reports = view.input.reports();
  const auto& indicators = view.input.indicators();
  AtomicFile out(path);
  out.write(
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
    out.write(
        fmt::format("<node id=\"r{}\"><data key=\"kind\">report</data><data key=\"label\">{}</data><data "
                    "key=\"report\">{}</data><data key=\"cluster\">{}</data></node>\n",
                    report, xml_text(view.label(report)), xml_text(reports[report].id), view.cluster_of[report]));
  }
  for (const auto& [indicator, list] : view.linking) {
    out.write(fmt::format("<node id=\"i{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data></node>\n",
                          indicator, type_name(indicators[indicator].type), indicators[indicator].value));
  }
  for (const Overlap& overlap : view.result.overlaps) {
    out.write(
        fmt::format("<edge source=\"r{}\" target=\"r{}\"><data key=\"relation\">overlap</data><data "
                    "key=\"weight\">{}</data></edge>\n",
                    overlap.a, overlap.b, overlap.shared.size()));
  }
  for (const auto& [indicator, list] : view.linking) {
    for (std::uint32_t report : list) {
      out.write(fmt::format("<edge source=\"r{}\" target=\"i{}\"><data key=\"relation\">names</data></edge>\n", report,
                            indicator));
    }
  }
  out.write("</graph>\n</graphml>\n");
  out.commit();
}

// GEXF 1.2, Gephi's own format: the same nodes and edges.
void write_gexf(const fs::path& path, const GraphView& view) {
  const auto& reports = view.input.reports();
  const auto& indicators = view.input.indicators();
  AtomicFile out(path);
  out.write(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n"
      "<graph defaultedgetype=\"undirected\" mode=\"static\">\n"
      "<attributes class=\"node\">\n"
      "<attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n"
      "<attribute id=\"report\" title=\"report\" type=\"string\"/>\n"
      "<attribute id=\"cluster\" title=\"cluster\" type=\"integer\"/>\n"
      "</attributes>\n"
      "<attributes class=\"edge\">\n"
      "<attribute id=\"relation\" title=\"relation\" type=\"string\"/>\n"
      "</attributes>\n"
      "<nodes>\n");
  for (std::uint32_t report = 0; report < reports.size(); ++report) {
    out.write(fmt::format(
        "<node id=\"r{}\" label=\"{}\"><attvalues><attvalue for=\"kind\" value=\"report\"/><attvalue for=\"report\" "
        "value=\"{}\"/><attvalue for=\"cluster\" value=\"{}\"/></attvalues></node>\n",
        report, xml_text(view.label(report)), xml_text(reports[report].id), view.cluster_of[report]));
  }
  for (const auto& [indicator, list] : view.linking) {
    out.write(fmt::format(
        "<node id=\"i{}\" label=\"{}\"><attvalues><attvalue for=\"kind\" value=\"{}\"/></attvalues></node>\n",
        indicator, indicators[indicator].value, type_name(indicators[indicator].type)));
  }
  out.write("</nodes>\n<edges>\n");
  std::size_t edge = 0;
  for (const Overlap& overlap : view.result.overlaps) {
    out.write(
        fmt::format("<edge id=\"{}\" source=\"r{}\" target=\"r{}\" weight=\"{}\"><attvalues><attvalue for=\"relation\" "
                    "value=\"overlap\"/></attvalues></edge>\n",
                    edge++, overlap.a, overlap.b, overlap.shared.size()));
  }
  for (const auto& [indicator, list] : view.linking) {
    for (std::uint32_t report : list) {
      out.write(
          fmt::format("<edge id=\"{}\" source=\"r{}\" target=\"i{}\"><attvalues><attvalue for=\"relation\" "
                      "value=\"names\"/></attvalues></edge>\n",
                      edge++, report, indicator));
    }
  }
  out.write("</edges>\n</graph>\n</gexf>\n");
  out.commit();
}

// Graphviz DOT of the clusters: each clustered report (a box) with the
// indicators that link it (ellipses), grouped by cluster. Lone reports are
// left out of the drawing.
void write_dot(const fs::path& path, const GraphView& view) {
  const auto& indicators = view.input.indicators();
  AtomicFile out(path);
  out.write(
      "graph clusters {\n"
      "  graph [overlap=false, splines=true, fontname=\"sans-serif\"];\n"
      "  node [fontname=\"sans-serif\", fontsize=10, style=filled];\n");
  for (std::size_t i = 0; i < view.result.clusters.size(); ++i) {
    out.write(fmt::format("  subgraph cluster_{} {{\n    label=\"cluster {}\";\n", i + 1, i + 1));
    for (std::uint32_t report : view.result.clusters[i].reports) {
      out.write(fmt::format("    r{} [label=\"{}\", shape=box, fillcolor=\"#dde7f3\"];\n", report,
                            dot_text(view.label(report))));
    }
    for (std::uint32_t indicator : view.result.clusters[i].indicators) {
      out.write(fmt::format("    i{} [label=\"{}\", shape=ellipse, fillcolor=\"#f6d5d3\"];\n", indicator,
                            indicators[indicator].value));
    }
    out.write("  }\n");
  }
  for (const auto& [indicator, list] : view.linking) {
    for (std::uint32_t report : list) out.write(fmt::format("  r{} -- i{};\n", report, indicator));
  }
  out.write("}\n");
  out.commit();
}

// Maltego's table import: one row a report-indicator link, with the entity
// type of each column, so that the import needs no transform or plug-in.
std::string_view maltego_entity(IndicatorType type) {
  switch (type) {
    case IndicatorType::kDomain:
      return "maltego.Domain";
    case IndicatorType::kIpv4:
      return "maltego.IPv4Address";
    case IndicatorType::kIpv6:
      return "maltego.IPv6Address";
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256:
      return "maltego.Hash";
  }
  return "maltego.Phrase";
}

void write_maltego(const fs::path& path, const GraphView& view) {
  const auto& reports = view.input.reports();
  const auto& indicators = view.input.indicators();
  AtomicFile out(path);
  out.write("report,report_entity,report_name,indicator,indicator_entity,cluster\n");
  for (const auto& [indicator, list] : view.linking) {
    for (std::uint32_t report : list) {
      out.write(fmt::format("{},maltego.Phrase,{},{},{},{}\n", csv_field(printable(reports[report].id, 1000)),
                            csv_field(printable(view.label(report), 1000)), indicators[indicator].value,
                            maltego_entity(indicators[indicator].type), view.cluster_of[report]));
    }
  }
  out.commit();
}

}  // namespace

void write_cluster_outputs(const fs::path& directory, const ClusterInput& input, const ClusterResult& result) {
  create_public_directories(directory);
  const auto& reports = input.reports();
  const auto& indicators = input.indicators();
  auto report_id = [&](std::uint32_t index) { return printable(reports[index].id, 1000); };
  auto indicator_value = [&](std::uint32_t index) { return indicators[index].value; };

  std::string clusters = "cluster,size,reports,indicators\n";
  for (std::size_t i = 0; i < result.clusters.size(); ++i) {
    const Cluster& cluster = result.clusters[i];
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

  GraphView view(input, result);
  write_graphml(directory / "graph.graphml", view);
  write_gexf(directory / "graph.gexf", view);
  write_dot(directory / "graph.dot", view);
  write_maltego(directory / "maltego.csv", view);
}

}  // namespace crowdfeed
