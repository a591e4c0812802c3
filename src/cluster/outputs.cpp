#include "cluster/outputs.h"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <future>
#include <map>
#include <optional>

#include "util/atomic_file.h"
#include "util/csv_line.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// What graph.dot (and so the drawing) shows: the largest clusters, up to
// 25 of them and 400 nodes in all. A cluster too large for that (a giant
// component of thousands of reports) is left to the GraphML: Graphviz would
// take hours to lay it out, and nobody could read it.
constexpr std::size_t kDrawnClusters = 25;
constexpr std::size_t kDrawnNodes = 400;

constexpr std::string_view kMaltegoHeader = "report,report_entity,report_name,indicator,indicator_entity,cluster";

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
  std::vector<std::size_t> cluster_of;    // per report; 0: none
  std::vector<std::size_t> community_of;  // per report: its community in its cluster, from 1; 0: none
  std::vector<std::uint32_t> linking;     // the indicators that link reports

  std::vector<bool> drawn;  // per cluster: on the drawing
  std::size_t drawn_count = 0;

  GraphView(const ClusterInput& in, const ClusterResult& out)
      : input(in),
        result(out),
        cluster_of(in.reports().size(), 0),
        community_of(in.reports().size(), 0),
        drawn(out.clusters.size(), false) {
    std::size_t nodes_left = kDrawnNodes;
    for (std::size_t i = 0; i < out.clusters.size(); ++i) {
      for (std::uint32_t report : out.clusters[i].reports) cluster_of[report] = i + 1;
      for (std::size_t k = 0; k < out.clusters[i].communities.size(); ++k) {
        for (std::uint32_t report : out.clusters[i].communities[k]) community_of[report] = k + 1;
      }
      std::size_t nodes = out.clusters[i].reports.size() + out.clusters[i].indicators.size();
      if (drawn_count < kDrawnClusters && nodes <= nodes_left) {
        drawn[i] = true;
        ++drawn_count;
        nodes_left -= nodes;
      }
    }
    for (std::uint32_t indicator = 0; indicator < out.linked_by.size(); ++indicator) {
      if (!out.linked_by[indicator].empty()) linking.push_back(indicator);
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
      "<key id=\"community\" for=\"node\" attr.name=\"community\" attr.type=\"int\"/>\n"
      "<key id=\"relation\" for=\"edge\" attr.name=\"relation\" attr.type=\"string\"/>\n"
      "<key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"int\"/>\n"
      "<graph id=\"clusters\" edgedefault=\"undirected\">\n");
  for (std::uint32_t report = 0; report < reports.size(); ++report) {
    out.write(
        fmt::format("<node id=\"r{}\"><data key=\"kind\">report</data><data key=\"label\">{}</data><data "
                    "key=\"report\">{}</data><data key=\"cluster\">{}</data><data key=\"community\">{}</data></node>\n",
                    report, xml_text(view.label(report)), xml_text(reports[report].id), view.cluster_of[report],
                    view.community_of[report]));
  }
  for (std::uint32_t indicator : view.linking) {
    out.write(fmt::format("<node id=\"i{}\"><data key=\"kind\">{}</data><data key=\"label\">{}</data></node>\n",
                          indicator, type_name(indicators[indicator].type), indicators[indicator].value));
  }
  for (const Overlap& overlap : view.result.overlaps) {
    out.write(
        fmt::format("<edge source=\"r{}\" target=\"r{}\"><data key=\"relation\">overlap</data><data "
                    "key=\"weight\">{}</data></edge>\n",
                    overlap.a, overlap.b, overlap.shared));
  }
  for (std::uint32_t indicator : view.linking) {
    for (std::uint32_t report : view.result.linked_by[indicator]) {
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
      "<attribute id=\"community\" title=\"community\" type=\"integer\"/>\n"
      "</attributes>\n"
      "<attributes class=\"edge\">\n"
      "<attribute id=\"relation\" title=\"relation\" type=\"string\"/>\n"
      "</attributes>\n"
      "<nodes>\n");
  for (std::uint32_t report = 0; report < reports.size(); ++report) {
    out.write(fmt::format(
        "<node id=\"r{}\" label=\"{}\"><attvalues><attvalue for=\"kind\" value=\"report\"/><attvalue for=\"report\" "
        "value=\"{}\"/><attvalue for=\"cluster\" value=\"{}\"/><attvalue for=\"community\" "
        "value=\"{}\"/></attvalues></node>\n",
        report, xml_text(view.label(report)), xml_text(reports[report].id), view.cluster_of[report],
        view.community_of[report]));
  }
  for (std::uint32_t indicator : view.linking) {
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
                    edge++, overlap.a, overlap.b, overlap.shared));
  }
  for (std::uint32_t indicator : view.linking) {
    for (std::uint32_t report : view.result.linked_by[indicator]) {
      out.write(
          fmt::format("<edge id=\"{}\" source=\"r{}\" target=\"i{}\"><attvalues><attvalue for=\"relation\" "
                      "value=\"names\"/></attvalues></edge>\n",
                      edge++, report, indicator));
    }
  }
  out.write("</edges>\n</graph>\n</gexf>\n");
  out.commit();
}

// Graphviz DOT of the largest clusters that fit the drawing (see
// kDrawnNodes): each clustered report (a box) with the indicators that link
// it (ellipses), grouped by cluster. Lone reports are left out.
void write_dot(const fs::path& path, const GraphView& view) {
  const auto& indicators = view.input.indicators();
  AtomicFile out(path);
  out.write(
      "graph clusters {\n"
      "  graph [overlap=false, splines=true, fontname=\"sans-serif\"];\n"
      "  node [fontname=\"sans-serif\", fontsize=10, style=filled];\n");
  for (std::size_t i = 0; i < view.result.clusters.size(); ++i) {
    if (!view.drawn[i]) continue;
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
  for (std::uint32_t indicator : view.linking) {
    for (std::uint32_t report : view.result.linked_by[indicator]) {
      std::size_t cluster = view.cluster_of[report];
      if (cluster >= 1 && view.drawn[cluster - 1]) out.write(fmt::format("  r{} -- i{};\n", report, indicator));
    }
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
  out.write(fmt::format("{}\n", kMaltegoHeader));
  for (std::uint32_t indicator : view.linking) {
    for (std::uint32_t report : view.result.linked_by[indicator]) {
      out.write(fmt::format("{},maltego.Phrase,{},{},{},{}\n", csv_text_field(printable(reports[report].id, 1000)),
                            csv_text_field(printable(view.label(report), 1000)), indicators[indicator].value,
                            maltego_entity(indicators[indicator].type), view.cluster_of[report]));
    }
  }
  out.commit();
}

// Graphviz's dot drawing `dot_file` into `target` (format "svg" or "png")
// in a process of its own, through a temporary file renamed into place
// once it succeeds.
class Rendering {
 public:
  Rendering(const fs::path& dot_file, fs::path target, std::string_view format) : target_(std::move(target)) {
    temporary_ = target_;
    temporary_ += ".tmp";
    std::string type = fmt::format("-T{}", format);
    std::string output = fmt::format("-o{}", temporary_.string());
    std::string input = dot_file.string();
    std::string program = "dot";
    char* argv[] = {program.data(), type.data(), output.data(), input.data(), nullptr};
    if (posix_spawnp(&child_, "dot", nullptr, nullptr, argv, environ) != 0) child_ = -1;
  }
  ~Rendering() {
    if (child_ > 0) finish();
  }
  Rendering(const Rendering&) = delete;
  Rendering& operator=(const Rendering&) = delete;

  // False when dot is not installed or failed (it says why on stderr).
  bool finish() {
    if (child_ <= 0) return false;
    int status = 0;
    while (waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
    child_ = -1;
    std::error_code failed;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      fs::rename(temporary_, target_, failed);
      if (!failed) return true;
    }
    fs::remove(temporary_, failed);
    return false;
  }

 private:
  fs::path target_;
  fs::path temporary_;
  pid_t child_ = -1;
};

void write_html(const fs::path& path, const ClusterInput& input, const ClusterResult& result,
                const ClusterSummary& summary, std::size_t drawn) {
  const auto& reports = input.reports();
  const auto& indicators = input.indicators();
  std::string page = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Threat report clusters</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
td.number { text-align: right; }
img { max-width: 100%; border: 1px solid #ddd; }
</style>
</head>
<body>
<h1>Threat report clusters</h1>
<table id="summary">
)";
  for (const auto& [label, value] : summary) {
    page += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", escape_markup(label), escape_markup(value));
  }
  page += "</table>\n";
  if (drawn > 0) {
    page += fmt::format(
        "<h2>The largest clusters</h2>\n<p>The {} largest clusters that fit one drawing ({} nodes at most; larger "
        "ones are in graph.graphml).</p>\n<p><a href=\"graph.svg\"><img src=\"graph.svg\" alt=\"the {} largest "
        "clusters\"></a></p>\n",
        drawn, kDrawnNodes, drawn);
  }
  page += R"(<h2>Clusters</h2>
<table id="clusters">
<thead><tr><th>Cluster</th><th>Reports</th><th>Communities</th><th>Names</th><th>Shared indicators</th></tr></thead>
<tbody>
)";
  for (std::size_t i = 0; i < result.clusters.size(); ++i) {
    const Cluster& cluster = result.clusters[i];
    std::string names;
    for (std::uint32_t report : cluster.reports) {
      const ClusterReport& r = reports[report];
      names += fmt::format("{}<br>", escape_markup(printable(r.name.empty() ? r.id : r.name, 300)));
    }
    std::string shared;
    for (std::uint32_t indicator : cluster.indicators) {
      shared += fmt::format("<code>{}</code> ", escape_markup(indicators[indicator].value));
    }
    std::string communities = cluster.communities.empty() ? "" : fmt::format("{}", cluster.communities.size());
    page += fmt::format(
        "<tr><td class=\"number\">{}</td><td class=\"number\">{}</td><td "
        "class=\"number\">{}</td><td>{}</td><td>{}</td></tr>\n",
        i + 1, cluster.reports.size(), communities, names, shared);
  }
  page += R"(</tbody>
</table>
<p>Files: <a href="clusters.csv">clusters.csv</a>, <a href="communities.csv">communities.csv</a>, <a href="overlaps.csv">overlaps.csv</a>, <a href="graph.graphml">graph.graphml</a>, <a href="graph.gexf">graph.gexf</a>, <a href="graph.dot">graph.dot</a>, <a href="maltego.csv">maltego.csv</a>.</p>
</body>
</html>
)";
  write_file_atomically(path, page);
}

}  // namespace

ClusterSummary summarise_clusters(const ClusterInput& input, std::uint64_t bad_records, const ClusteringRules& settings,
                                  const ClusterResult& result) {
  auto noise = [](const NoiseStep& step) {
    return step.examples.empty() ? fmt::format("{}", step.indicators)
                                 : fmt::format("{} (e.g. {})", step.indicators, join_names(step.examples));
  };
  ClusterSummary summary = {
      {"reports", fmt::format("{}", input.reports().size())},
      {"bad records skipped", fmt::format("{}", bad_records)},
      {"indicators named", fmt::format("{} ({} distinct)", input.occurrences, input.indicators().size())},
  };
  for (const auto& [kind, count] : input.unsupported) {
    summary.emplace_back(fmt::format("ignored, kind {}", printable(kind, 40)), fmt::format("{}", count));
  }
  summary.emplace_back("refused by the normalisers", fmt::format("{}", input.refused));
  summary.emplace_back("whitelisted", noise(result.whitelisted));
  summary.emplace_back(fmt::format("in more than {} reports", settings.max_reports), noise(result.over_correlating));
  summary.emplace_back("excluded by the analyst", noise(result.excluded));
  summary.emplace_back(fmt::format("overlaps (>= {} shared)", settings.min_shared),
                       fmt::format("{}", result.overlaps.size()));
  summary.emplace_back("clusters",
                       fmt::format("{} ({} reports linked to none)", result.clusters.size(), result.unlinked_reports));
  std::size_t divided = 0, communities = 0;
  for (const Cluster& cluster : result.clusters) {
    divided += !cluster.communities.empty();
    communities += cluster.communities.size();
  }
  summary.emplace_back(fmt::format("of more than {} reports", settings.communities_above),
                       fmt::format("{} (divided into {} communities)", divided, communities));
  return summary;
}

namespace {

// The rows of maltego.csv in `directory` that hold `needle` (every row when
// it is empty), split into their six fields.
void for_each_maltego_row(const fs::path& directory, std::string_view needle,
                          const std::function<void(std::vector<std::string>&)>& visit) {
  const fs::path path = directory / "maltego.csv";
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("cannot read {} (crowdfeed cluster writes it)", path.string()));
  CsvLineParser parser;
  std::vector<std::string> fields;
  std::string line, error;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (number == 1) {
      if (line != kMaltegoHeader)
        throw Error(fmt::format("{}:1: not the header crowdfeed cluster writes", path.string()));
      continue;
    }
    if (!needle.empty() && line.find(needle) == std::string::npos) continue;  // most rows, without parsing them
    if (!parser.split(line, fields, error) || fields.size() != 6) {
      throw Error(fmt::format("{}:{}: not a row crowdfeed cluster writes", path.string(), number));
    }
    visit(fields);
  }
  if (in.bad()) throw Error(fmt::format("cannot read {}", path.string()));
}

}  // namespace

std::vector<ClusteredReport> reports_naming(const fs::path& directory, std::string_view indicator) {
  std::vector<ClusteredReport> found;
  for_each_maltego_row(directory, indicator, [&](std::vector<std::string>& fields) {
    if (fields[3] == indicator) found.push_back({fields[0], fields[2], fields[5]});
  });
  return found;
}

void for_each_clustered_link(const fs::path& directory,
                             const std::function<void(const std::string& indicator, ClusteredReport&& report)>& visit) {
  for_each_maltego_row(directory, {}, [&](std::vector<std::string>& fields) {
    visit(fields[3], {std::move(fields[0]), std::move(fields[2]), std::move(fields[5])});
  });
}

void write_cluster_outputs(const fs::path& directory, const ClusterInput& input, const ClusterResult& result,
                           const ClusterSummary& summary) {
  create_public_directories(directory);
  const auto& reports = input.reports();
  const auto& indicators = input.indicators();
  auto report_id = [&](std::uint32_t index) { return printable(reports[index].id, 1000); };
  auto indicator_value = [&](std::uint32_t index) { return indicators[index].value; };

  // Three things at once, as they share nothing but what they read: dot
  // draws the clusters, a thread writes the tables, this one the graphs.
  GraphView view(input, result);
  write_dot(directory / "graph.dot", view);
  std::optional<Rendering> svg, png;
  if (view.drawn_count > 0) {
    svg.emplace(directory / "graph.dot", directory / "graph.svg", "svg");
    png.emplace(directory / "graph.dot", directory / "graph.png", "png");
  }
  auto tables = std::async(std::launch::async, [&] {
    std::string clusters = "cluster,size,reports,indicators\n";
    for (std::size_t i = 0; i < result.clusters.size(); ++i) {
      const Cluster& cluster = result.clusters[i];
      clusters += fmt::format("{},{},{},{}\n", i + 1, cluster.reports.size(),
                              csv_text_field(joined(cluster.reports, report_id)),
                              csv_field(joined(cluster.indicators, indicator_value)));
    }
    write_file_atomically(directory / "clusters.csv", clusters);

    std::string communities = "cluster,community,size,reports\n";
    for (std::size_t i = 0; i < result.clusters.size(); ++i) {
      const auto& divided = result.clusters[i].communities;
      for (std::size_t k = 0; k < divided.size(); ++k) {
        communities += fmt::format("{},{},{},{}\n", i + 1, k + 1, divided[k].size(),
                                   csv_text_field(joined(divided[k], report_id)));
      }
    }
    write_file_atomically(directory / "communities.csv", communities);

    AtomicFile overlaps(directory / "overlaps.csv");
    overlaps.write("report_a,report_b,shared,indicators\n");
    std::string line;
    for (const Overlap& overlap : result.overlaps) {
      line.clear();
      fmt::format_to(std::back_inserter(line), "{},{},{},{}\n", csv_text_field(report_id(overlap.a)),
                     csv_text_field(report_id(overlap.b)), overlap.shared,
                     csv_field(joined(result.shared_indicators(overlap), indicator_value)));
      overlaps.write(line);
    }
    overlaps.commit();
    write_maltego(directory / "maltego.csv", view);
  });
  write_graphml(directory / "graph.graphml", view);
  write_gexf(directory / "graph.gexf", view);
  tables.get();
  bool drawn = svg && svg->finish() && png->finish();
  if (view.drawn_count > 0 && !drawn) {
    log::warning("no drawing of the clusters: Graphviz's dot is not installed or failed (apt-get install graphviz)");
  }
  write_html(directory / "report.html", input, result, summary, drawn ? view.drawn_count : 0);
}

}  // namespace crowdfeed
