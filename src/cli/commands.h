// The command line: one file per subcommand, each adding itself to the app.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "indicator/indicator.h"
#include "util/time.h"

namespace crowdfeed {

// Options every subcommand accepts.
struct GlobalOptions {
  std::string config_file;
  std::string database;
  std::string store;  // sqlite:PATH or postgresql:URL
  std::string state_dir;
  std::string feeds_dir;
  std::string log_format = "text";
  bool quiet = false;
  bool verbose = false;
};

// A subcommand: its CLI11 parser and what runs when it is chosen, returning
// the exit code.
struct Command {
  CLI::App* parser;
  std::function<int()> run;
  // Reports a command-line error in this subcommand and returns the exit
  // code; unset: logged as an error, exit code 2. A monitoring check
  // (status) reports those as UNKNOWN instead.
  std::function<int(const std::string& message, const std::vector<std::string>& arguments)> usage_error;
};

// A check for options that take a file or folder: a value that starts with
// '-' is nearly always a forgotten value followed by the next option
// ("--feeds-dir --dry-run" would publish into a folder named --dry-run).
// A path that does start with '-' can be written "./-name".
const CLI::Validator& path_value();

// The configuration file named by -c (or the defaults), then the
// command-line overrides, validated.
Config load_configuration(const GlobalOptions& global);

// "--at" values: ISO 8601 or Unix seconds; throws UsageError otherwise.
// "cli:$USER": who a vote or a decision made on the command line is from.
std::string default_voter();

TimePoint parse_time_option(std::string_view option, const std::string& value);

// "--type" values: an indicator type's name, or empty for none; throws
// UsageError otherwise.
std::optional<IndicatorType> parse_type_option(const std::string& value);

Command add_publish_command(CLI::App& app, const GlobalOptions& global);
Command add_vote_command(CLI::App& app, const GlobalOptions& global);
Command add_import_votes_command(CLI::App& app, const GlobalOptions& global);
Command add_explain_command(CLI::App& app, const GlobalOptions& global);
Command add_whitelist_build_command(CLI::App& app, const GlobalOptions& global);
Command add_status_command(CLI::App& app, const GlobalOptions& global);
Command add_check_command(CLI::App& app, const GlobalOptions& global);
Command add_cluster_command(CLI::App& app, const GlobalOptions& global);
Command add_serve_command(CLI::App& app, const GlobalOptions& global);
Command add_migrate_store_command(CLI::App& app, const GlobalOptions& global);
Command add_keygen_command(CLI::App& app, const GlobalOptions& global);
Command add_verify_command(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_voters_commands(CLI::App& app, const GlobalOptions& global);
std::vector<Command> add_disputes_commands(CLI::App& app, const GlobalOptions& global);

// Parses the command line and runs the chosen subcommand; returns the exit
// code. Errors escape as crowdfeed::Error for main() to report.
int run_command_line(int argc, char** argv);

}  // namespace crowdfeed
