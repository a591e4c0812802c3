#include "config/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "config/toml_reader.h"
#include "indicator/domain.h"
#include "util/error.h"
#include "util/minisign.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// "https://user:secret@host/": credentials never belong in the
// configuration, where they would be logged and stored. SFTP URLs name
// their user (sftp://USER@HOST/), never a password.
bool url_has_user_info(std::string_view url, bool user_allowed = false) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return false;
  std::string_view authority = url.substr(start + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  auto at = authority.rfind('@');
  if (at == std::string_view::npos) return false;
  return !user_allowed || authority.substr(0, at).find(':') != std::string_view::npos;
}

fs::path resolve(const fs::path& base, const fs::path& path) {
  return path.empty() || path.is_absolute() ? path : base / path;
}

// [paths]
void read_paths(TableReader table, Config& config) {
  table.read("database", config.votes.database);
  table.read("state_dir", config.state_dir);
  table.read("feeds_dir", config.feeds_dir);
  table.finish();
}

// [clock]
void read_clock(TableReader table, Config& config) {
  std::int64_t max_skew_seconds = config.max_clock_skew.count();
  table.read("max_skew_seconds", max_skew_seconds);
  config.max_clock_skew = std::chrono::seconds(max_skew_seconds);
  table.finish();
}

// [votes]
void read_votes(TableReader table, Config& config) {
  table.read("backend", config.votes.backend);
  table.read("url", config.votes.url);
  table.read("connect_timeout_seconds", config.votes.connect_timeout_seconds);
  table.read("statement_timeout_seconds", config.votes.statement_timeout_seconds);
  table.read("busy_timeout_ms", config.votes.busy_timeout_ms);
  table.read("tally_database", config.votes.tally_database);
  table.read("tally_query", config.votes.tally_query);
  table.finish();
}

// [policy]
void read_policy(TableReader table, Config& config) {
  table.read("min_votes", config.policy.min_votes);
  table.read("min_share", config.policy.min_share);
  table.read("max_age_days", config.policy.max_age_days);
  table.read("probation_days", config.policy.probation_days);
  table.read("trusted_weight", config.policy.trusted_weight);
  table.finish();
}

// [whitelist]
void read_whitelist(TableReader table, Config& config) {
  std::vector<fs::path> files;  // shorthand for trusted plain lists
  table.read("files", files);
  for (const auto& path : files) {
    config.whitelist.sources.push_back({path.string(), WhitelistSourceSettings::Kind::kTrusted, path.string()});
  }
  table.read("min_observed", config.whitelist.min_observed);
  table.read("max_shrink", config.whitelist.max_shrink);
  table.read("download_timeout_seconds", config.whitelist.download_timeout_seconds);
  table.read("max_download_bytes", config.whitelist.max_download_bytes);
  table.read("max_list_bytes", config.whitelist.max_list_bytes);
  table.read_tables("sources", [&](TableReader& table) {
    WhitelistSourceSettings source;
    std::string kind;
    table.require("name", source.name);
    table.require("kind", kind);
    table.require("location", source.location);
    table.read("format", source.format);
    table.read("top", source.top);
    table.read("type", source.type);
    if (source.type != "auto" && !parse_indicator_group(source.type)) {
      table.fail_at("type",
                    fmt::format("type must be \"auto\", \"domain\", \"ip\" or \"hash\", not {:?}", source.type));
    }
    if (url_has_user_info(source.location)) {
      table.fail_at("location",
                    "a whitelist URL must not hold credentials (user:password@): they would be logged and stored; "
                    "download such a list with a tool of your own and name the file as location");
    }
    if (kind == "observed") {
      source.kind = WhitelistSourceSettings::Kind::kObserved;
    } else if (kind != "trusted") {
      table.fail_at("kind", fmt::format("kind must be \"trusted\" or \"observed\", not {:?}", kind));
    }
    config.whitelist.sources.push_back(std::move(source));
  });
  table.finish();
}

// feeds.gzip: true (the fast level), false (no .gz copies), "fast" or
// "small".
void read_gzip(TableReader& table, std::optional<GzipLevel>& gzip) {
  const toml::node* node = table.node("gzip");
  if (node == nullptr) return;
  if (auto enabled = node->value_exact<bool>()) {
    gzip = *enabled ? std::optional(GzipLevel::kFast) : std::nullopt;
    return;
  }
  for (GzipLevel level : {GzipLevel::kFast, GzipLevel::kSmall}) {
    if (node->value_exact<std::string>() == gzip_level_name(level)) {
      gzip = level;
      return;
    }
  }
  table.fail(*node, "'feeds.gzip' must be true, false, \"fast\" or \"small\"");
}

// [feeds]
void read_feeds(TableReader table, Config& config) {
  table.read("title", config.feeds.title);
  table.read("homepage", config.feeds.homepage);
  table.read("public_url", config.feeds.public_url);
  table.read("licence_name", config.feeds.licence_name);
  table.read("licence_url", config.feeds.licence_url);
  table.read("terms", config.feeds.terms);
  table.read("update_interval", config.feeds.update_interval);
  table.read("report_url", config.feeds.report_url);
  table.read("rpz_test_domain", config.feeds.rpz_test_domain);
  table.read("malicious_name", config.feeds.malicious_name);
  table.read("non_malicious_name", config.feeds.non_malicious_name);
  table.read("formats", config.feeds.formats);
  table.read("ip_formats", config.feeds.ip_formats);
  table.read("hash_formats", config.feeds.hash_formats);
  table.read_tables("set", [&](TableReader& table) {
    FeedSpec spec;
    std::string type, verdict;
    table.require("name", spec.name);
    table.require("type", type);
    table.require("verdict", verdict);
    table.read("formats", spec.formats);
    auto group = parse_indicator_group(type);
    if (!group) table.fail_at("type", fmt::format("type must be \"domain\", \"ip\" or \"hash\", not {:?}", type));
    auto parsed = parse_verdict(verdict);
    if (!parsed) {
      table.fail_at("verdict", fmt::format("verdict must be \"malicious\" or \"non-malicious\", not {:?}", verdict));
    }
    spec.group = *group;
    spec.verdict = *parsed;
    if (spec.formats.empty()) {
      spec.formats = spec.group == IndicatorGroup::kDomain ? config.feeds.formats
                     : spec.group == IndicatorGroup::kIp   ? config.feeds.ip_formats
                                                           : config.feeds.hash_formats;
    }
    config.feeds.set.push_back(std::move(spec));
  });
  read_gzip(table, config.feeds.gzip);
  table.read("unbound_action", config.feeds.unbound_action);
  table.read("unbound_allow_action", config.feeds.unbound_allow_action);
  table.read("dnsmasq_syntax", config.feeds.dnsmasq_syntax);
  table.read("rpz_ttl", config.feeds.rpz_ttl);
  table.read("clamav_prefix", config.feeds.clamav_prefix);
  table.read("by_hash_keep_hours", config.feeds.by_hash_keep_hours);
  table.read("threads", config.feeds.threads);
  table.finish();
}

// [guards]
void read_guards(TableReader table, Config& config) {
  table.read("max_shrink", config.guards.max_shrink);
  table.read("max_growth", config.guards.max_growth);
  table.read("min_entries", config.guards.min_entries);
  table.read("canaries", config.guards.canaries);
  table.read("ip_canaries", config.guards.ip_canaries);
  table.read("extra_canaries", config.guards.extra_canaries);
  table.finish();
}

// [public_suffixes]
void read_public_suffixes(TableReader table, Config& config) {
  table.read("list", config.public_suffixes.list);
  table.read("warn_after_days", config.public_suffixes.warn_after_days);
  if (url_has_user_info(config.public_suffixes.list)) {
    table.fail_at("list", "a public suffix list URL must not hold credentials (user:password@)");
  }
  table.finish();
}

// [history]
void read_history(TableReader table, Config& config) {
  table.read("retention_days", config.history_retention_days);
  table.finish();
}

// [cluster]
void read_cluster(TableReader table, Config& config) {
  table.read("max_reports", config.cluster.max_reports);
  table.read("min_shared", config.cluster.min_shared);
  table.read("communities_above", config.cluster.communities_above);
  table.read("max_record_mib", config.cluster.max_record_mib);
  table.read("exclude", config.cluster.exclude);
  table.read("output", config.cluster.output);
  table.finish();
}

// [serve]
void read_serve(TableReader table, Config& config) {
  table.read("listen", config.serve.listen);
  table.read("max_batch", config.serve.max_batch);
  table.read("max_body_bytes", config.serve.max_body_bytes);
  table.read("voter_rate", config.serve.voter_rate);
  table.read("voter_burst", config.serve.voter_burst);
  table.read("address_rate", config.serve.address_rate);
  table.read("address_burst", config.serve.address_burst);
  table.read("daily_cap", config.serve.daily_cap);
  table.read("anonymous", config.serve.anonymous);
  table.read("anonymous_get", config.serve.anonymous_get);
  table.read("trusted_proxies", config.serve.trusted_proxies);
  table.read("ipv6_prefix", config.serve.ipv6_prefix);
  table.read("max_buffered_bytes", config.serve.max_buffered_bytes);
  table.read("max_connections", config.serve.max_connections);
  table.read("connections_per_address", config.serve.connections_per_address);
  table.read("timeout_seconds", config.serve.timeout_seconds);
  table.read("group_commit", config.serve.group_commit);
  table.read("public_url", config.serve.public_url);
  table.read("session_hours", config.serve.session_hours);
  table.read("dispute_rate", config.serve.dispute_rate);
  table.read("dispute_burst", config.serve.dispute_burst);
  table.read("max_open_disputes", config.serve.max_open_disputes);
  table.finish();
}

// [metrics]
void read_metrics(TableReader table, Config& config) {
  table.read("textfile", config.metrics_file);
  table.finish();
}

// [signing]
void read_signing(TableReader table, Config& config) {
  table.read("secret_key", config.signing.secret_key);
  table.read("public_key", config.signing.public_key);
  table.read("passphrase_env", config.signing.passphrase_env);
  table.read("passphrase_file", config.signing.passphrase_file);
  table.read("sign_files", config.signing.sign_files);
  table.read("announce_public_keys", config.signing.announce_public_keys);
  table.finish();
}

// [upload]
void read_upload(TableReader table, Config& config) {
  table.read("max_attempts", config.upload.max_attempts);
  table.read("base_delay_ms", config.upload.base_delay_ms);
  table.read("max_delay_ms", config.upload.max_delay_ms);
  table.read("max_seconds", config.upload.max_seconds);
  table.read("timeout_seconds", config.upload.timeout_seconds);
  table.read("cache_control", config.upload.cache_control);
  table.read("credentials_file", config.upload.credentials_file);
  table.finish();
}

// [[destinations]]
void read_destinations(TableReader& reader, Config& config) {
  reader.read_tables("destinations", [&](TableReader& table) {
    DestinationConfig destination;
    table.require("name", destination.name);
    table.require("url", destination.url);
    table.read("auth", destination.auth);
    table.read("region", destination.region);
    table.read("endpoint", destination.endpoint);
    table.read("addressing", destination.addressing);
    table.read("key", destination.key);
    table.read("known_hosts", destination.known_hosts);
    table.read("host_key_sha256", destination.host_key_sha256);
    table.read("username_env", destination.username_env);
    table.read("password_env", destination.password_env);
    table.read("token_env", destination.token_env);
    if (url_has_user_info(destination.url, destination.url.starts_with("sftp://"))) {
      table.fail_at("url",
                    "a destination URL must not hold credentials (user:password@): use username_env, password_env "
                    "or token_env, or the credentials file (upload.credentials_file)");
    }
    config.destinations.push_back(std::move(destination));
  });
}

// Relative paths start from the configuration file's folder.
void resolve_paths(Config& config, const fs::path& file) {
  fs::path base = file.parent_path();
  config.votes.database = resolve(base, config.votes.database);
  config.state_dir = resolve(base, config.state_dir);
  config.feeds_dir = resolve(base, config.feeds_dir);
  config.votes.tally_database = resolve(base, config.votes.tally_database);
  for (auto& exclusions : config.cluster.exclude) exclusions = resolve(base, exclusions);
  if (!config.cluster.output.empty()) config.cluster.output = resolve(base, config.cluster.output);
  config.upload.credentials_file = resolve(base, config.upload.credentials_file);
  config.signing.secret_key = resolve(base, config.signing.secret_key);
  config.signing.public_key = resolve(base, config.signing.public_key);
  config.signing.passphrase_file = resolve(base, config.signing.passphrase_file);
  if (!config.public_suffixes.list.empty() && !config.public_suffixes.list.starts_with("http://") &&
      !config.public_suffixes.list.starts_with("https://")) {
    config.public_suffixes.list = resolve(base, config.public_suffixes.list).string();
  }
  for (auto& key : config.signing.announce_public_keys) {
    key.erase(0, key.find_first_not_of(" \t\r\n"));
    key.erase(key.find_last_not_of(" \t\r\n") + 1);
    if (!minisign::is_public_key_line(key)) key = resolve(base, key).string();
  }
  for (auto& destination : config.destinations) {
    destination.key = resolve(base, destination.key).string();
    destination.known_hosts = resolve(base, destination.known_hosts).string();
  }
  for (auto& source : config.whitelist.sources) {
    if (source.location.find("://") == std::string::npos) source.location = resolve(base, source.location).string();
  }
}

}  // namespace

Config load_config(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UsageError(fmt::format("cannot read configuration {}: no such file", file.string()));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw UsageError(fmt::format("cannot read configuration {}", file.string()));
  return parse_config(text, file);
}

Config parse_config(std::string_view text, const fs::path& file) {
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& error) {
    throw UsageError(fmt::format("{}:{}: {}", file.string(), error.source().begin.line, error.description()));
  }

  Config config;
  config.source = file;
  TableReader reader(root, "", file);
  read_paths(reader.table("paths"), config);
  read_clock(reader.table("clock"), config);
  read_votes(reader.table("votes"), config);
  read_policy(reader.table("policy"), config);
  read_whitelist(reader.table("whitelist"), config);
  read_feeds(reader.table("feeds"), config);
  read_guards(reader.table("guards"), config);
  read_public_suffixes(reader.table("public_suffixes"), config);
  read_history(reader.table("history"), config);
  read_cluster(reader.table("cluster"), config);
  read_serve(reader.table("serve"), config);
  read_metrics(reader.table("metrics"), config);
  read_signing(reader.table("signing"), config);
  read_upload(reader.table("upload"), config);
  read_destinations(reader, config);

  reader.finish();

  resolve_paths(config, file);
  return config;
}

void validate(const Config& config) {
  if (config.max_clock_skew.count() < 0 || config.max_clock_skew > std::chrono::days(1)) {
    throw UsageError("clock.max_skew_seconds must be between 0 and 86400");
  }
  if (config.history_retention_days < 1) throw UsageError("history.retention_days must be at least 1");
}

}  // namespace crowdfeed
