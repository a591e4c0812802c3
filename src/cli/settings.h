// The conductor's side of the configuration: checking every stage's rules
// on a loaded Config, and handing each stage the settings it takes.
#pragma once

#include <filesystem>

#include "config/config.h"
#include "feeds/publish.h"

namespace crowdfeed {

// Every stage's checks of its own settings (config/ parses and checks
// shapes; the feed formats, the canaries, the vote store... are checked by
// their stages). Throws UsageError naming the key.
void validate_settings(const Config& config);

// load_config, then validate_settings: a configuration file as the
// commands read it; an error names the file.
Config load_checked_config(const std::filesystem::path& file);

// What publishing the feeds reads of the configuration.
PublishSettings publish_settings(const Config& config);

}  // namespace crowdfeed
