#include "config/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "indicator/domain.h"
#include "util/error.h"
#include "util/minisign.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// Reads one TOML table strictly: every key must be read by the code, with the
// right type, or finish() reports it, naming the file, line and full key.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, const fs::path& file)
      : table_(table), prefix_(std::move(prefix)), file_(file) {}

  template <typename T>
  void read(std::string_view key, T& out) {
    const toml::node* node = take(key);
    if (node == nullptr) return;
    if constexpr (std::is_same_v<T, std::string>) {
      out = expect<std::string>(*node, key, "a string");
    } else if constexpr (std::is_same_v<T, fs::path>) {
      out = expect<std::string>(*node, key, "a string");
    } else if constexpr (std::is_same_v<T, double>) {
      if (auto integer = node->value_exact<std::int64_t>()) {
        out = static_cast<double>(*integer);
      } else {
        out = expect<double>(*node, key, "a number");
      }
    } else if constexpr (std::is_same_v<T, int>) {
      auto value = expect<std::int64_t>(*node, key, "an integer");
      if (value < INT32_MIN || value > INT32_MAX) fail(*node, fmt::format("'{}' is out of range", full(key)));
      out = static_cast<int>(value);
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      out = expect<std::int64_t>(*node, key, "an integer");
    } else if constexpr (std::is_same_v<T, bool>) {
      out = expect<bool>(*node, key, "true or false");
    } else if constexpr (std::is_same_v<T, std::vector<std::string>> || std::is_same_v<T, std::vector<fs::path>>) {
      const toml::array* array = node->as_array();
      if (array == nullptr) fail(*node, fmt::format("'{}' must be an array of strings", full(key)));
      out.clear();
      for (const toml::node& element : *array) {
        out.emplace_back(expect<std::string>(element, key, "an array of strings"));
      }
    } else {
      static_assert(sizeof(T) == 0, "unsupported configuration type");
    }
  }

  // An array of tables ([[key]]); calls `read_one` with a reader for each.
  template <typename F>
  void read_tables(std::string_view key, F&& read_one) {
    const toml::node* node = take(key);
    if (node == nullptr) return;
    const toml::array* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      fail(*node, fmt::format("'{}' must be an array of tables ([[{}]])", full(key), full(key)));
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      TableReader element(*array->get(i)->as_table(), fmt::format("{}[{}]", full(key), i), file_);
      read_one(element);
      element.finish();
    }
  }

  // Reads a required string; its absence is an error naming the table.
  void require(std::string_view key, std::string& out) {
    if (!table_.contains(key)) {
      throw UsageError(fmt::format("{}:{}: '{}' is required", file_.string(), table_.source().begin.line, full(key)));
    }
    read(key, out);
  }

  [[noreturn]] void fail_at(std::string_view key, const std::string& message) const { fail(*table_.get(key), message); }

  // A sub-table; an absent one reads as empty.
  TableReader table(std::string_view key) {
    const toml::node* node = take(key);
    if (node == nullptr) return TableReader(empty_, full(key), file_);
    const toml::table* table = node->as_table();
    if (table == nullptr) fail(*node, fmt::format("'{}' must be a table", full(key)));
    return TableReader(*table, full(key), file_);
  }

  void finish() const {
    for (const auto& [key, node] : table_) {
      if (!read_.contains(std::string(key.str()))) {
        std::vector<std::string> known(read_.begin(), read_.end());
        fail(node, fmt::format("unknown key '{}'{}", full(key.str()), did_you_mean(key.str(), known)));
      }
    }
  }

 private:
  const toml::node* take(std::string_view key) {
    read_.insert(std::string(key));
    return table_.get(key);
  }

  template <typename T>
  T expect(const toml::node& node, std::string_view key, std::string_view type) const {
    auto value = node.value_exact<T>();
    if (!value) fail(node, fmt::format("'{}' must be {}", full(key), type));
    return *value;
  }

  std::string full(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : fmt::format("{}.{}", prefix_, key);
  }

  [[noreturn]] void fail(const toml::node& node, const std::string& message) const {
    throw UsageError(fmt::format("{}:{}: {}", file_.string(), node.source().begin.line, message));
  }

  static inline const toml::table empty_{};
  const toml::table& table_;
  std::string prefix_;
  const fs::path& file_;
  std::set<std::string> read_;
};

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

  TableReader paths = reader.table("paths");
  paths.read("database", config.votes.database);
  paths.read("state_dir", config.state_dir);
  paths.read("feeds_dir", config.feeds_dir);
  paths.finish();

  TableReader clock = reader.table("clock");
  std::int64_t max_skew_seconds = config.max_clock_skew.count();
  clock.read("max_skew_seconds", max_skew_seconds);
  config.max_clock_skew = std::chrono::seconds(max_skew_seconds);
  clock.finish();

  TableReader votes = reader.table("votes");
  votes.read("backend", config.votes.backend);
  votes.read("url", config.votes.url);
  votes.read("connect_timeout_seconds", config.votes.connect_timeout_seconds);
  votes.read("statement_timeout_seconds", config.votes.statement_timeout_seconds);
  votes.read("busy_timeout_ms", config.votes.busy_timeout_ms);
  votes.read("tally_database", config.votes.tally_database);
  votes.read("tally_query", config.votes.tally_query);
  votes.finish();

  TableReader policy = reader.table("policy");
  policy.read("min_votes", config.policy.min_votes);
  policy.read("min_share", config.policy.min_share);
  policy.read("max_age_days", config.policy.max_age_days);
  policy.read("probation_days", config.policy.probation_days);
  policy.read("trusted_weight", config.policy.trusted_weight);
  policy.finish();

  TableReader whitelist = reader.table("whitelist");
  std::vector<fs::path> files;  // shorthand for trusted plain lists
  whitelist.read("files", files);
  for (const auto& path : files) {
    config.whitelist.sources.push_back({path.string(), WhitelistSourceSettings::Kind::kTrusted, path.string()});
  }
  whitelist.read("min_observed", config.whitelist.min_observed);
  whitelist.read("max_shrink", config.whitelist.max_shrink);
  whitelist.read("download_timeout_seconds", config.whitelist.download_timeout_seconds);
  whitelist.read("max_download_bytes", config.whitelist.max_download_bytes);
  whitelist.read("max_list_bytes", config.whitelist.max_list_bytes);
  whitelist.read_tables("sources", [&](TableReader& table) {
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
  whitelist.finish();

  TableReader feeds = reader.table("feeds");
  feeds.read("title", config.feeds.title);
  feeds.read("homepage", config.feeds.homepage);
  feeds.read("public_url", config.feeds.public_url);
  feeds.read("licence_name", config.feeds.licence_name);
  feeds.read("licence_url", config.feeds.licence_url);
  feeds.read("terms", config.feeds.terms);
  feeds.read("update_interval", config.feeds.update_interval);
  feeds.read("report_url", config.feeds.report_url);
  feeds.read("rpz_test_domain", config.feeds.rpz_test_domain);
  feeds.read("malicious_name", config.feeds.malicious_name);
  feeds.read("non_malicious_name", config.feeds.non_malicious_name);
  feeds.read("formats", config.feeds.formats);
  feeds.read("ip_formats", config.feeds.ip_formats);
  feeds.read("hash_formats", config.feeds.hash_formats);
  feeds.read_tables("set", [&](TableReader& table) {
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
  feeds.read("gzip", config.feeds.gzip);
  feeds.read("unbound_action", config.feeds.unbound_action);
  feeds.read("unbound_allow_action", config.feeds.unbound_allow_action);
  feeds.read("dnsmasq_syntax", config.feeds.dnsmasq_syntax);
  feeds.read("rpz_ttl", config.feeds.rpz_ttl);
  feeds.read("clamav_prefix", config.feeds.clamav_prefix);
  feeds.read("by_hash_keep_hours", config.feeds.by_hash_keep_hours);
  feeds.read("threads", config.feeds.threads);
  feeds.finish();

  TableReader guards = reader.table("guards");
  guards.read("max_shrink", config.guards.max_shrink);
  guards.read("max_growth", config.guards.max_growth);
  guards.read("min_entries", config.guards.min_entries);
  guards.read("canaries", config.guards.canaries);
  guards.read("ip_canaries", config.guards.ip_canaries);
  guards.read("extra_canaries", config.guards.extra_canaries);
  guards.finish();

  TableReader public_suffixes = reader.table("public_suffixes");
  public_suffixes.read("list", config.public_suffixes.list);
  public_suffixes.read("warn_after_days", config.public_suffixes.warn_after_days);
  if (url_has_user_info(config.public_suffixes.list)) {
    public_suffixes.fail_at("list", "a public suffix list URL must not hold credentials (user:password@)");
  }
  public_suffixes.finish();

  TableReader history = reader.table("history");
  history.read("retention_days", config.history_retention_days);
  history.finish();

  TableReader cluster = reader.table("cluster");
  cluster.read("max_reports", config.cluster.max_reports);
  cluster.read("min_shared", config.cluster.min_shared);
  cluster.read("communities_above", config.cluster.communities_above);
  cluster.read("max_record_mib", config.cluster.max_record_mib);
  cluster.read("exclude", config.cluster.exclude);
  cluster.read("output", config.cluster.output);
  cluster.finish();

  TableReader serve = reader.table("serve");
  serve.read("listen", config.serve.listen);
  serve.read("max_batch", config.serve.max_batch);
  serve.read("max_body_bytes", config.serve.max_body_bytes);
  serve.read("voter_rate", config.serve.voter_rate);
  serve.read("voter_burst", config.serve.voter_burst);
  serve.read("address_rate", config.serve.address_rate);
  serve.read("address_burst", config.serve.address_burst);
  serve.read("daily_cap", config.serve.daily_cap);
  serve.read("anonymous", config.serve.anonymous);
  serve.read("anonymous_get", config.serve.anonymous_get);
  serve.read("trusted_proxies", config.serve.trusted_proxies);
  serve.read("ipv6_prefix", config.serve.ipv6_prefix);
  serve.read("max_buffered_bytes", config.serve.max_buffered_bytes);
  serve.read("max_connections", config.serve.max_connections);
  serve.read("connections_per_address", config.serve.connections_per_address);
  serve.read("timeout_seconds", config.serve.timeout_seconds);
  serve.read("group_commit", config.serve.group_commit);
  serve.finish();

  TableReader metrics = reader.table("metrics");
  metrics.read("textfile", config.metrics_file);
  metrics.finish();

  TableReader signing = reader.table("signing");
  signing.read("secret_key", config.signing.secret_key);
  signing.read("public_key", config.signing.public_key);
  signing.read("passphrase_env", config.signing.passphrase_env);
  signing.read("passphrase_file", config.signing.passphrase_file);
  signing.read("sign_files", config.signing.sign_files);
  signing.read("announce_public_keys", config.signing.announce_public_keys);
  signing.finish();

  TableReader upload = reader.table("upload");
  upload.read("max_attempts", config.upload.max_attempts);
  upload.read("base_delay_ms", config.upload.base_delay_ms);
  upload.read("max_delay_ms", config.upload.max_delay_ms);
  upload.read("max_seconds", config.upload.max_seconds);
  upload.read("timeout_seconds", config.upload.timeout_seconds);
  upload.read("cache_control", config.upload.cache_control);
  upload.read("credentials_file", config.upload.credentials_file);
  upload.finish();

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

  reader.finish();

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

  return config;
}

void validate(const Config& config) {
  if (config.max_clock_skew.count() < 0 || config.max_clock_skew > std::chrono::days(1)) {
    throw UsageError("clock.max_skew_seconds must be between 0 and 86400");
  }
  if (config.history_retention_days < 1) throw UsageError("history.retention_days must be at least 1");
}

}  // namespace crowdfeed
