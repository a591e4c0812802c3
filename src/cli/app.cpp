#include <fmt/format.h>

#include <cstdlib>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"

namespace crowdfeed {

Config load_configuration(const GlobalOptions& global) {
  std::string file = global.config_file;
  if (file.empty()) {
    if (const char* from_environment = std::getenv("CROWDFEED_CONFIG")) file = from_environment;
  }
  Config config = file.empty() ? Config{} : load_config(file);
  if (!global.database.empty()) config.database = global.database;
  if (!global.state_dir.empty()) config.state_dir = global.state_dir;
  if (!global.feeds_dir.empty()) config.feeds_dir = global.feeds_dir;
  validate(config);
  return config;
}

TimePoint parse_time_option(std::string_view option, const std::string& value) {
  auto time = parse_time(value);
  if (!time) throw UsageError(fmt::format("{} {} {}", option, quote_text(value), time_problem(value)));
  return *time;
}

std::optional<IndicatorType> parse_type_option(const std::string& value) {
  if (value.empty()) return std::nullopt;
  auto type = parse_indicator_type(value);
  if (!type) {
    throw UsageError(
        fmt::format("--type {} is not one of domain, ipv4, ipv6, md5, sha1, sha256", quote_text(value)));
  }
  return type;
}

int run_command_line(int argc, char** argv) {
  CLI::App app("crowdfeed: threat-intelligence feeds (domains, IP addresses, file hashes) from community votes",
               "crowdfeed");
  app.set_version_flag("--version", CROWDFEED_VERSION);
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("-c,--config", global.config_file,
                 "configuration file (default: $CROWDFEED_CONFIG, else built-in defaults)");
  app.add_option("--database", global.database, "votes database (overrides paths.database)");
  app.add_option("--state-dir", global.state_dir, "state directory (overrides paths.state_dir)");
  app.add_option("--feeds-dir", global.feeds_dir, "feeds directory (overrides paths.feeds_dir)");
  auto* quiet = app.add_flag("-q,--quiet", global.quiet, "log warnings and errors only");
  app.add_flag("-v,--verbose", global.verbose, "log debugging detail")->excludes(quiet);

  const Command commands[] = {
      add_publish_command(app, global),         add_vote_command(app, global),
      add_import_votes_command(app, global),    add_explain_command(app, global),
      add_whitelist_build_command(app, global), add_status_command(app, global),
      add_check_command(app, global),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    throw UsageError(error.what());
  }
  if (global.quiet) log::set_level(log::Level::kWarning);
  if (global.verbose) log::set_level(log::Level::kDebug);
  for (const Command& command : commands) {
    if (command.parser->parsed()) return command.run();
  }
  return kExitUsage;  // unreachable: require_subcommand(1)
}

}  // namespace crowdfeed
