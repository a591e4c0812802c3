#include "cli/settings.h"

#include <fmt/format.h>

#include "cluster/graph.h"
#include "config/state_layout.h"
#include "feeds/settings.h"
#include "ops/guards.h"
#include "policy/thresholds.h"
#include "publish/upload.h"
#include "serve/server.h"
#include "util/error.h"
#include "votes/stores.h"
#include "whitelist/load.h"
#include "whitelist/public_suffix_source.h"

namespace crowdfeed {

void validate_settings(const Config& config) {
  validate(config);
  validate(config.votes);
  validate(config.policy, config.votes);
  validate(config.whitelist);
  validate(config.public_suffixes);
  validate(config.feeds);
  validate(config.signing, config.feeds);
  validate(config.guards);
  validate(config.upload, config.destinations);
  validate(config.cluster);
  validate(config.serve);
}

Config load_checked_config(const std::filesystem::path& file) {
  Config config = load_config(file);
  try {
    validate_settings(config);
  } catch (const UsageError& error) {
    throw UsageError(fmt::format("{}: {}", file.string(), error.what()));
  }
  // False positives are disputed on the community pages, when there are.
  if (config.feeds.report_url.empty() && !config.serve.public_url.empty()) {
    config.feeds.report_url = config.serve.public_url + "/disputes/new";
  }
  config.serve.feeds_dir = config.feeds_dir;
  return config;
}

PublishSettings publish_settings(const Config& config) {
  return {config.feeds,
          {describe(config.policy), !config.whitelist.sources.empty()},
          config.feeds_dir,
          StateLayout(config.state_dir).by_hash_ledger()};
}

}  // namespace crowdfeed
