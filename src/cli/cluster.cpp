// crowdfeed cluster: links published threat reports that share indicators,
// after the whitelist, the over-correlation limit and the exclusion list
// have taken out shared benign infrastructure, and writes the clusters.
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cluster/graph.h"
#include "cluster/outputs.h"
#include "cluster/report_readers.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "whitelist/load.h"

namespace crowdfeed {
namespace {

struct ClusterOptions {
  std::string format = "auto";
  std::string output;  // default: cluster.output, else ./clusters
  std::vector<std::string> inputs;
};

// The exclusion list: one value a line, '#' comments; each normalised as
// the reports' indicators are.
std::set<std::string, std::less<>> read_exclusions(const std::vector<std::filesystem::path>& files) {
  std::set<std::string, std::less<>> excluded;
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) throw Error(fmt::format("cannot read the exclusion list {}", file.string()));
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
      auto comment = line.find('#');
      if (comment != std::string::npos) line.resize(comment);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.erase(0, 1);
      if (line.empty()) continue;
      NormalisedIndicator value = normalise_indicator(line);
      if (!value.ok()) {
        throw Error(fmt::format("{}:{}: {} {}", file.string(), number, quote_text(line), value.problem));
      }
      excluded.insert(value.value);
    }
  }
  return excluded;
}

int run_cluster(const GlobalOptions& global, const ClusterOptions& options) {
  Config config = load_configuration(global);
  ClusterInput input;
  ReadProblems problems;
  const ReportReader* reader = options.format == "auto" ? nullptr : find_report_reader(options.format);
  if (reader == nullptr && options.format != "auto") {
    throw UsageError(fmt::format("--format {} is not one of {}", quote_text(options.format), report_reader_names()));
  }
  // A file that cannot be read, or breaks off, is reported and the others
  // are read; the run still writes what it read, and fails at the end.
  std::vector<std::string> unread;
  for (const auto& name : options.inputs) {
    log::Stage stage(fmt::format("read {}", name));
    const std::size_t reports_before = input.reports().size();
    try {
      read_reports(name, reader, input, problems, static_cast<std::size_t>(config.cluster.max_record_mib) << 20);
    } catch (const Error& error) {
      log::error("{} (the reports read before it are kept; the other files are read)", error.what());
      unread.push_back(name);
      continue;
    }
    if (input.reports().size() == reports_before) {
      log::warning(
          "{}: no report read; expected OTX pulses ({{\"results\": [...]}} or one a line), MISP events or "
          "attributes ({{\"response\": [...]}}), a STIX 2.1 bundle with reports or groupings, or CSV "
          "report,indicator rows",
          name);
    }
  }
  if (unread.size() == options.inputs.size()) {
    throw Error(fmt::format("no input file could be read whole ({}); nothing written", join_names(unread)));
  }
  input.finish();
  for (const auto& problem : problems.first) log::warning("{}", problem);
  if (problems.count > problems.first.size()) {
    log::warning("{} more bad records not shown", problems.count - problems.first.size());
  }
  for (const auto& refused : input.refused_examples) log::warning("refused indicator: {}", refused);

  LoadedWhitelist whitelist =
      load_whitelist(config.whitelist, config.state_dir, now_utc(), {.download = false, .keep = false, .only = {}});
  ClusteringRules settings{static_cast<std::uint32_t>(config.cluster.max_reports),
                           static_cast<std::uint32_t>(config.cluster.min_shared),
                           static_cast<std::uint32_t>(config.cluster.communities_above)};
  std::filesystem::path output = !options.output.empty()          ? std::filesystem::path(options.output)
                                 : !config.cluster.output.empty() ? config.cluster.output
                                                                  : std::filesystem::path("clusters");
  std::optional<log::Stage> stage(std::in_place, "cluster");
  ClusterResult result =
      cluster_reports(input, settings, &whitelist.whitelist, read_exclusions(config.cluster.exclude));
  ClusterSummary summary = summarise_clusters(input, problems.count, settings, result);
  stage.emplace(fmt::format("write {}", output.string()));
  write_cluster_outputs(output, input, result, summary);
  stage.reset();
  for (const auto& [label, value] : summary) fmt::print("{:<33} {}\n", label, value);
  fmt::print("{:<33} {}\n", "written to", output.string());
  if (!unread.empty()) {
    log::error("{} of {} input files could not be read whole: {}", unread.size(), options.inputs.size(),
               join_names(unread));
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

Command add_cluster_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ClusterOptions>();
  CLI::App* command = app.add_subcommand("cluster", "link threat reports that share indicators and write the clusters");
  command
      ->add_option(
          "--format", options->format,
          fmt::format("{} (auto, the default: told by the extension, JSON by its keys)", report_reader_names()))
      ->check(CLI::Validator(
          [](const std::string& value) {
            return value == "auto" || find_report_reader(value) != nullptr
                       ? std::string()
                       : fmt::format("{} is not one of {}", quote_text(value), report_reader_names());
          },
          "FORMAT"));
  command
      ->add_option("-o,--output", options->output,
                   "the folder to write into (default: cluster.output, else ./clusters)")
      ->check(path_value());
  command
      ->add_option("inputs", options->inputs,
                   "OTX pulses, MISP events, STIX 2.1 bundles (JSON) or report,indicator[,type] CSV files")
      ->required();
  return {command, [&global, options] { return run_cluster(global, *options); }, {}};
}

}  // namespace crowdfeed
