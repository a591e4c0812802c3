// crowdfeed whitelist build: a whitelist of the domains seen on at least K
// networks' top-domain lists; its output is itself a valid trusted source.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/log.h"
#include "whitelist/from_networks.h"

namespace crowdfeed {
namespace {

struct BuildOptions {
  int min_networks = 2;
  std::int64_t top = 0;
  std::string output;
  std::vector<std::string> files;
};

int run_build(const BuildOptions& options) {
  if (options.min_networks < 1) throw UsageError("--min-networks must be at least 1");
  if (static_cast<std::size_t>(options.min_networks) > options.files.size()) {
    throw UsageError(fmt::format("--min-networks {} needs at least that many lists; {} given", options.min_networks,
                                 options.files.size()));
  }
  std::vector<std::filesystem::path> files(options.files.begin(), options.files.end());
  auto seen = domains_seen_on_networks(files, options.min_networks, options.top);
  std::string text = render_network_whitelist(seen, files.size(), options.min_networks);
  if (options.output.empty() || options.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    write_file_atomically(options.output, text);
  }
  log::info("{} domains seen on at least {} of {} lists", seen.size(), options.min_networks, files.size());
  return kExitOk;
}

}  // namespace

Command add_whitelist_build_command(CLI::App& app, const GlobalOptions&) {
  auto options = std::make_shared<BuildOptions>();
  CLI::App* whitelist = app.add_subcommand("whitelist", "whitelist tools");
  whitelist->require_subcommand(1);
  CLI::App* command = whitelist->add_subcommand(
      "build", "write a whitelist of the domains seen on at least K networks' top-domain lists");
  command->add_option("--min-networks", options->min_networks, "lists a domain must be on (default 2)");
  command->add_option("--top", options->top, "read only each list's top N entries (default: all)");
  command->add_option("-o,--output", options->output, "write here (atomically) instead of standard output")
      ->check(path_value());
  command->add_option("files", options->files, "one top-domain list per network, in any list format")->required();
  return {command, [options] { return run_build(*options); }, {}};
}

}  // namespace crowdfeed
