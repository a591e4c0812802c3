#include <fmt/format.h>

#include <cstdlib>

#include "cli/commands.h"
#include "cli/settings.h"
#include "indicator/public_suffix_list.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "util/version.h"
#include "votes/stores.h"
#include "whitelist/public_suffix_source.h"

namespace crowdfeed {

Config load_configuration(const GlobalOptions& global) {
  std::string file = global.config_file;
  if (file.empty()) {
    if (const char* from_environment = std::getenv("CROWDFEED_CONFIG")) file = from_environment;
  }
  // The file's settings are checked as written (an error names the file);
  // of the overrides, only --store changes a setting a stage checks.
  Config config = file.empty() ? Config{} : load_checked_config(file);
  if (!global.database.empty()) config.votes.database = global.database;
  // --store, else $CROWDFEED_STORE: where votes live, over [votes].
  std::string store = global.store;
  if (store.empty()) {
    if (const char* from_environment = std::getenv("CROWDFEED_STORE")) store = from_environment;
  }
  if (!store.empty()) {
    StoreLocation location = parse_store_location("--store", store);
    config.votes.backend = location.backend;
    if (location.backend == "sqlite") {
      config.votes.database = location.where;
    } else {
      config.votes.url = location.where;
    }
  }
  if (!global.state_dir.empty()) config.state_dir = global.state_dir;
  if (!global.feeds_dir.empty()) config.feeds_dir = global.feeds_dir;
  if (file.empty() || !store.empty()) validate_settings(config);
  // The public suffix list, as configured, before any name is normalised
  // (publish downloads a fresh copy; other commands use the last one).
  load_public_suffix_list(config.public_suffixes, config.whitelist, config.state_dir, now_utc(), false);
  return config;
}

const CLI::Validator& path_value() {
  static const CLI::Validator validator(
      [](const std::string& value) {
        return value.starts_with("-") ? fmt::format(
                                            "{} looks like an option, not a value (write ./{} for a file or "
                                            "folder of that name)",
                                            quote_text(value), value)
                                      : std::string();
      },
      "PATH");
  return validator;
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
    throw UsageError(fmt::format("--type {} is not one of domain, ipv4, ipv6, md5, sha1, sha256", quote_text(value)));
  }
  return type;
}

namespace {

// Whether `argument` names an option (of `command`, or a global one) that
// takes a value, so that the value is not mistaken for a command's name.
// Asked of the parser itself, so that a new option needs no list kept here.
bool takes_value(const CLI::App& app, const CLI::App& command, std::string_view argument) {
  std::string name(argument);
  const CLI::Option* option = command.get_option_no_throw(name);
  if (option == nullptr) option = app.get_option_no_throw(name);
  return option != nullptr && option->get_items_expected_min() > 0;
}

// When no subcommand could be parsed: the word that should have been one,
// with a suggestion, or that none was given. Commands that group others
// ("whitelist build") are followed one level down.
std::string explain_missing_command(const CLI::App& app, int argc, char** argv) {
  const CLI::App* parent = &app;
  std::string words;  // the commands found so far: "", then "whitelist "
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (argument == "--") break;
    if (argument.starts_with("-")) {
      if (takes_value(app, *parent, argument)) ++i;
      continue;
    }
    std::vector<std::string> names;
    const CLI::App* found = nullptr;
    for (const CLI::App* command : parent->get_subcommands({})) {
      names.push_back(command->get_name());
      if (command->get_name() == argument) found = command;
    }
    if (found == nullptr) {
      return fmt::format("unknown command {}{} (commands: {})", quote_text(fmt::format("{}{}", words, argument)),
                         did_you_mean(argument, names), join_names(names));
    }
    parent = found;
    words += fmt::format("{} ", argument);
  }
  std::vector<std::string> names;
  for (const CLI::App* command : parent->get_subcommands({})) names.push_back(command->get_name());
  if (words.empty())
    return fmt::format("a command is required (commands: {}; --help explains them)", join_names(names));
  return fmt::format("crowdfeed {}needs a command: {}", words, join_names(names));
}

// "whitelist build": a subcommand's words after the program's name.
std::string full_name(const CLI::App& command) {
  std::string name = command.get_name();
  for (const CLI::App* parent = command.get_parent(); parent != nullptr && parent->get_parent() != nullptr;
       parent = parent->get_parent()) {
    name = parent->get_name() + " " + name;
  }
  return name;
}

std::string version_text() {
  std::string details = build_details();
  while (!details.empty() && details.back() == '\n') details.pop_back();
  // The system's public suffix list (a configured one is in `status`).
  details += fmt::format("\npublic suffix list: {}", describe(public_suffix_list_info()));
  return details;
}

}  // namespace

int run_command_line(int argc, char** argv) {
  CLI::App app("crowdfeed: threat-intelligence feeds (domains, IP addresses, file hashes) from community votes",
               "crowdfeed");
  app.set_version_flag("--version", &version_text, "print the version and build details, then exit");
  app.require_subcommand(1);
  // Global options are also accepted after the command: `crowdfeed publish -v`.
  app.fallthrough();
  GlobalOptions global;
  app.add_option("-c,--config", global.config_file,
                 "configuration file (default: $CROWDFEED_CONFIG, else built-in defaults)")
      ->check(path_value());
  app.add_option("--database", global.database, "votes database (overrides paths.database)")->check(path_value());
  app.add_option("--store", global.store,
                 "where votes live: sqlite:PATH or postgresql:URL (default: $CROWDFEED_STORE, else the configuration)");
  app.add_option("--state-dir", global.state_dir, "state directory (overrides paths.state_dir)")->check(path_value());
  app.add_option("--feeds-dir", global.feeds_dir, "feeds directory (overrides paths.feeds_dir)")->check(path_value());
  app.add_option("--log-format", global.log_format,
                 "text (default; with syslog priorities when stderr is the journal) or json, one object a line")
      ->check(CLI::IsMember({"text", "json"}));
  auto* quiet = app.add_flag("-q,--quiet", global.quiet, "log warnings and errors only");
  app.add_flag("-v,--verbose", global.verbose, "log each stage with its duration, and debugging detail")
      ->excludes(quiet);

  std::vector<Command> commands = {
      add_publish_command(app, global),         add_vote_command(app, global),
      add_import_votes_command(app, global),    add_explain_command(app, global),
      add_whitelist_build_command(app, global), add_status_command(app, global),
      add_check_command(app, global),           add_cluster_command(app, global),
      add_serve_command(app, global),           add_migrate_store_command(app, global),
      add_keygen_command(app, global),          add_verify_command(app, global),
  };
  for (Command& command : add_voters_commands(app, global)) commands.push_back(std::move(command));
  for (Command& command : add_disputes_commands(app, global)) commands.push_back(std::move(command));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    if (auto format = log::parse_format(global.log_format)) log::set_format(*format);
    for (const Command& command : commands) {
      if (!command.parser->parsed()) continue;
      std::string message = fmt::format("{} (see crowdfeed {} --help)", error.what(), full_name(*command.parser));
      if (command.usage_error) return command.usage_error(message, std::vector<std::string>(argv + 1, argv + argc));
      throw UsageError(message);
    }
    throw UsageError(explain_missing_command(app, argc, argv));
  }
  log::set_format(log::parse_format(global.log_format).value_or(log::Format::kText));
  if (global.quiet) log::set_level(log::Level::kWarning);
  if (global.verbose) log::set_level(log::Level::kDebug);
  for (const Command& command : commands) {
    if (command.parser->parsed()) return command.run();
  }
  return kExitUsage;  // unreachable: require_subcommand(1)
}

}  // namespace crowdfeed
