// The configuration: every setting optional, read from a TOML file
// (deploy/crowdfeed.toml documents each one), then overridden from the
// command line. Only a command's conductor (cli/) holds the whole Config;
// it hands each stage its own settings (config/settings.h).
#pragma once

#include <chrono>
#include <filesystem>
#include <string_view>
#include <vector>

#include "config/settings.h"

namespace crowdfeed {

struct Config {
  // Where the configuration came from; empty for the built-in defaults.
  std::filesystem::path source;

  // [paths]; relative paths are relative to the configuration file's folder
  // (or to the working directory when no file is given).
  std::filesystem::path state_dir = "state";
  std::filesystem::path feeds_dir = "feeds";

  // [clock] max_skew_seconds: how far ahead of this machine's clock a time
  // may be (a vote's cast_at, publish --at) before it is refused.
  std::chrono::seconds max_clock_skew{300};

  VotesSettings votes;

  Policy policy;

  // [whitelist]
  WhitelistSettings whitelist;
  PublicSuffixSettings public_suffixes;

  FeedSettings feeds;

  GuardSettings guards;

  ClusterSettings cluster;

  ServeSettings serve;

  // [history]: the archive of every published hour under
  // feeds/archive/YYYY/MM/DD/HH/, pruned after this many days.
  int history_retention_days = 30;

  // [metrics]: the Prometheus textfile (node_exporter's textfile collector
  // reads *.prom files from a directory). Empty: state_dir/crowdfeed.prom.
  std::filesystem::path metrics_file;

  SigningSettings signing;

  UploadSettings upload;
  std::vector<DestinationConfig> destinations;
};

// Reads `file`. Throws UsageError naming the file, line and key for a syntax
// error, an unknown key, a wrong type or a value of the wrong shape (a
// credential in a URL, an unknown kind). The stages' own rules are checked
// by validate_settings (cli/settings.h).
Config load_config(const std::filesystem::path& file);

// The same from the file's text; `file` names it in errors and is where
// relative paths start from.
Config parse_config(std::string_view text, const std::filesystem::path& file);

// Checks the settings of no stage: the clock skew, the history's retention.
void validate(const Config& config);

}  // namespace crowdfeed
