#include "feeds/settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "config/checks.h"
#include "feeds/formats.h"
#include "feeds/header.h"
#include "feeds/layout.h"
#include "feeds/suricata.h"
#include "indicator/domain.h"
#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

// Feed names become file names and header text: keep them to a safe alphabet.
void validate_feed_name(std::string_view key, const std::string& name) {
  bool safe =
      !name.empty() && name.front() != '.' && name.front() != '-' &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos;
  if (!safe) {
    throw UsageError(
        fmt::format("feeds.{} must be a file name of letters, digits, '.', '_' and '-' that starts with neither '.' "
                    "nor '-', not {:?}",
                    key, name));
  }
  if (std::string problem = reserved_feed_name_problem(name); !problem.empty()) {
    throw UsageError(fmt::format("feeds.{} {:?} {}; choose another name", key, name, problem));
  }
  // File systems take names of 255 bytes; the longest suffix a feed's
  // files get (".checkpoint.csv.gz.minisig", a temporary name's) fits.
  if (name.size() > kMaxFeedNameLength) {
    throw UsageError(fmt::format("feeds.{} {:?} is longer than {} characters", key, name, kMaxFeedNameLength));
  }
}

// Each feed of the set: a safe name used once, known formats that accept
// its indicators, the plain list among them (the next run compares
// against it).
void validate_feed_set(const FeedSettings& settings) {
  std::set<std::string> names;
  std::map<std::string, std::string> shared_objects;  // "FORMAT NAME" -> the feed that has it
  std::size_t place = 0;
  for (const FeedSpec& feed : feed_set(settings)) {
    ++place;
    validate_feed_name("set name", feed.name);
    if (!names.insert(feed.name).second) {
      throw UsageError(fmt::format("the feed name {:?} is used twice", feed.name));
    }
    for (const auto& name : feed.formats) {
      const FeedFormat* format = find_feed_format(name);
      if (format == nullptr) {
        throw UsageError(fmt::format("feed {:?}: unknown format {:?}{} (known: {})", feed.name, name,
                                     unknown_format_hint(name), format_names()));
      }
      if (!format->accepts(feed.group)) {
        throw UsageError(fmt::format("feed {:?}: the format {:?} cannot hold {} indicators", feed.name, name,
                                     group_name(feed.group)));
      }
      if (std::string problem = format->feed_name_problem(feed.name); !problem.empty()) {
        throw UsageError(fmt::format("feed {:?} {}", feed.name, problem));
      }
      // Suricata's rules number a feed by its place in the set (sids,
      // reputation categories), of which Suricata has 60.
      if (is_suricata_format(name) && place > kMaxSuricataFeeds) {
        throw UsageError(
            fmt::format("feed {:?} is feed number {} of the set; Suricata's formats number at most {} "
                        "feeds: move it up the set",
                        feed.name, place, kMaxSuricataFeeds));
      }
      if (std::string object = format->shared_object_name(feed.name); !object.empty()) {
        auto [other, inserted] = shared_objects.try_emplace(fmt::format("{} {}", name, object), feed.name);
        if (!inserted) {
          throw UsageError(fmt::format("feeds {:?} and {:?} would share the {} set {}; rename one", other->second,
                                       feed.name, name, object));
        }
      }
    }
    if (std::find(feed.formats.begin(), feed.formats.end(), "txt") == feed.formats.end()) {
      throw UsageError(fmt::format("feed {:?}: its formats must include \"txt\"", feed.name));
    }
  }
}

void validate_feed_formats(const FeedSettings& feeds) {
  // Unbound's local-zone types (unbound.conf(5)).
  static const std::set<std::string> kUnboundTypes = {"deny",
                                                      "refuse",
                                                      "static",
                                                      "transparent",
                                                      "redirect",
                                                      "nodefault",
                                                      "typetransparent",
                                                      "inform",
                                                      "inform_deny",
                                                      "inform_redirect",
                                                      "always_transparent",
                                                      "block_a",
                                                      "always_refuse",
                                                      "always_nxdomain",
                                                      "always_null",
                                                      "noview",
                                                      "always_nodata",
                                                      "always_deny"};
  for (auto [key, value] : {std::pair{"unbound_action", &feeds.unbound_action},
                            std::pair{"unbound_allow_action", &feeds.unbound_allow_action}}) {
    if (!kUnboundTypes.contains(*value)) {
      throw UsageError(fmt::format("feeds.{} {:?} is not an Unbound local-zone type", key, *value));
    }
  }
  if (feeds.dnsmasq_syntax != "address" && feeds.dnsmasq_syntax != "local") {
    throw UsageError(
        fmt::format("feeds.dnsmasq_syntax must be \"address\" or \"local\", not {:?}", feeds.dnsmasq_syntax));
  }
  if (feeds.rpz_ttl < 1) throw UsageError("feeds.rpz_ttl must be positive");
  if (feeds.clamav_prefix.empty() ||
      feeds.clamav_prefix.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
          std::string::npos) {
    throw UsageError(
        fmt::format("feeds.clamav_prefix must be letters, digits, '.', '_' and '-', not {:?}", feeds.clamav_prefix));
  }
  if (feeds.by_hash_keep_hours < 1) throw UsageError("feeds.by_hash_keep_hours must be at least 1");
  if (feeds.threads < 0 || feeds.threads > 256) throw UsageError("feeds.threads must be from 0 (one per core) to 256");
  validate_feed_set(feeds);
}

}  // namespace

std::vector<FeedSpec> feed_set(const FeedSettings& settings) {
  if (!settings.set.empty()) return settings.set;
  return {
      {settings.malicious_name, IndicatorGroup::kDomain, Verdict::kMalicious, settings.formats},
      {settings.non_malicious_name, IndicatorGroup::kDomain, Verdict::kNonMalicious, settings.formats},
      {"malicious-ips", IndicatorGroup::kIp, Verdict::kMalicious, settings.ip_formats},
      {"non-malicious-ips", IndicatorGroup::kIp, Verdict::kNonMalicious, settings.ip_formats},
      {"malicious-hashes", IndicatorGroup::kHash, Verdict::kMalicious, settings.hash_formats},
      {"non-malicious-hashes", IndicatorGroup::kHash, Verdict::kNonMalicious, settings.hash_formats},
  };
}

void validate(const FeedSettings& feeds) {
  validate_feed_name("malicious_name", feeds.malicious_name);
  validate_feed_name("non_malicious_name", feeds.non_malicious_name);
  validate_feed_formats(feeds);
  require_one_line("feeds.title", feeds.title);
  // Links in every header and on the index page: web addresses only (a
  // javascript: link would run in the page's visitors' browsers).
  require_web_address("feeds.homepage", feeds.homepage, false);
  require_web_address("feeds.public_url", feeds.public_url, true);
  require_one_line("feeds.licence_name", feeds.licence_name);
  require_web_address("feeds.licence_url", feeds.licence_url, false);
  require_one_line("feeds.terms", feeds.terms);
  require_one_line("feeds.update_interval", feeds.update_interval);
  if (!expires_hours(feeds.update_interval)) {
    throw UsageError(
        fmt::format("feeds.update_interval {:?} must be a number of hours or days, like \"1 hour\" or "
                    "\"2 days\" (it becomes the headers' Expires, which list tools read)",
                    feeds.update_interval));
  }
  require_one_line("feeds.report_url", feeds.report_url);
  if (!feeds.report_url.empty() && !feeds.report_url.starts_with("https://") &&
      !feeds.report_url.starts_with("http://") && !feeds.report_url.starts_with("mailto:")) {
    throw UsageError(
        fmt::format("feeds.report_url must be an http://, https:// or mailto: address, not {:?}", feeds.report_url));
  }
  if (auto base = rpz_test_base(feeds)) {
    for (const FeedSpec& feed : feed_set(feeds)) {
      if (std::find(feed.formats.begin(), feed.formats.end(), "rpz") == feed.formats.end()) continue;
      std::string test = rpz_test_name(*base, feed.name);
      NormalisedDomain checked = normalise_domain(test);
      if (checked.ok() && test.size() > kMaxRpzTestNameLength) {
        checked.problem = fmt::format(
            "is {} characters long; a zone's owner names must leave room for its name "
            "(at most {})",
            test.size(), kMaxRpzTestNameLength);
      }
      if (!checked.ok()) {
        throw UsageError(
            fmt::format("feed {:?}: its RPZ test entry {:?} {}; set feeds.rpz_test_domain to another "
                        "domain, or to \"none\"",
                        feed.name, test, checked.problem));
      }
    }
  }
}

void validate(const SigningSettings& signing, const FeedSettings& feeds) {
  // The title goes into every signature's trusted comment, which minisign
  // reads into 8 KiB.
  if (!signing.secret_key.empty() && feeds.title.size() > 1024) {
    throw UsageError("feeds.title is longer than 1024 bytes, too long for the signatures' trusted comments");
  }
  if (signing.secret_key.empty() &&
      (signing.sign_files || !signing.passphrase_env.empty() || !signing.passphrase_file.empty())) {
    throw UsageError("signing.sign_files and the passphrase settings need signing.secret_key");
  }
  if (!signing.passphrase_env.empty() && !signing.passphrase_file.empty()) {
    throw UsageError("set signing.passphrase_env or signing.passphrase_file, not both");
  }
  const std::string& name = signing.passphrase_env;
  if (!name.empty() &&
      (name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos ||
       std::isdigit(static_cast<unsigned char>(name[0])))) {
    throw UsageError(
        fmt::format("signing.passphrase_env {} is not an environment variable's name (it names the "
                    "variable that holds the passphrase, not the passphrase)",
                    quote_text(name)));
  }
}

}  // namespace crowdfeed
