// crowdfeed explain: why an indicator is, or is not, in a feed.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <set>

#include "cli/commands.h"
#include "cluster/outputs.h"
#include "community/allow_list.h"
#include "feeds/formats.h"
#include "feeds/settings.h"
#include "indicator/indicator.h"
#include "policy/thresholds.h"
#include "util/error.h"
#include "util/text.h"
#include "votes/tally_query.h"
#include "whitelist/load.h"

namespace crowdfeed {
namespace {

struct ExplainOptions {
  std::string indicator;
  std::string type;
  std::string at;
};

// "label:     value"; an empty label continues the line above.
void print_line(std::string_view label, std::string_view value) {
  fmt::print("{:<12}{}\n", label.empty() ? std::string() : fmt::format("{}:", label), value);
}

// The configured feeds of `verdict` that hold indicators of `type`.
std::vector<const FeedSpec*> feeds_for(const std::vector<FeedSpec>& feeds, IndicatorType type, Verdict verdict) {
  std::vector<const FeedSpec*> found;
  for (const FeedSpec& feed : feeds) {
    if (feed.group == group_of(type) && feed.verdict == verdict) found.push_back(&feed);
  }
  return found;
}

// Where a domain's listed parent reaches it: "malicious-domains (rpz,
// unbound, dnsmasq, adblock; not txt, hosts, csv, json, zeek, which list
// exact names)".
std::string coverage(const FeedSpec& feed) {
  std::vector<std::string> covering;
  std::vector<std::string> exact;
  const Feed published{feed.name, feed.verdict, {}, feed.group};
  for (const auto& name : feed.formats) {
    const FeedFormat* format = find_feed_format(name);
    if (format == nullptr || !format->publishes(published)) continue;  // a hosts file of allowed names
    (format->covers_subdomains() ? covering : exact).push_back(name);
  }
  if (covering.empty()) return fmt::format("{} (none of its formats applies a domain to its subdomains)", feed.name);
  return fmt::format("{} (its {} files apply it to subdomains{})", feed.name, join_names(covering),
                     exact.empty() ? "" : fmt::format("; {} list exact names only", join_names(exact)));
}

// A domain's parents that are listed themselves, and the feeds that
// therefore reach it: the DNS formats block (or pass) a listed domain's
// subdomains too. Returns whether any parent is listed.
bool print_listed_parents(const Config& config, const TallyWindow& window, const Whitelist& whitelist,
                          const NormalisedIndicator& indicator) {
  if (indicator.type != IndicatorType::kDomain) return false;
  const std::vector<FeedSpec> feeds = feed_set(config.feeds);
  bool listed = false;
  std::string_view name = indicator.value;
  for (auto dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
    name.remove_prefix(dot + 1);
    std::optional<Tally> tally = read_tally(config.votes, config.policy, window, std::string(name));
    if (!tally) continue;
    Decision decision = decide(config.policy, *tally);
    if (!decision.verdict) continue;
    if (*decision.verdict == Verdict::kMalicious && whitelist.match(std::string(name), IndicatorType::kDomain))
      continue;
    for (const FeedSpec* feed : feeds_for(feeds, IndicatorType::kDomain, *decision.verdict)) {
      print_line("parent", fmt::format("{} is listed in {}", name, coverage(*feed)));
      listed = true;
    }
  }
  return listed;
}

// The clustered reports that name the indicator, when a cluster output is
// configured: the threat reports it links (see crowdfeed cluster).
void print_clustered_reports(const Config& config, const NormalisedIndicator& indicator) {
  if (config.cluster.output.empty()) return;
  constexpr std::size_t kShown = 10;
  std::vector<ClusteredReport> reports;
  try {
    reports = reports_naming(config.cluster.output, indicator.value);
  } catch (const Error& error) {
    print_line("reports", fmt::format("unknown: {}", error.what()));
    return;
  }
  if (reports.empty()) {
    print_line("reports", fmt::format("it links no clustered threat report in {}", config.cluster.output.string()));
    return;
  }
  std::set<unsigned long> clusters;
  for (const auto& report : reports) clusters.insert(std::strtoul(report.cluster.c_str(), nullptr, 10));
  print_line("reports",
             fmt::format("named by {} clustered threat report{} in {} (cluster {}):", reports.size(),
                         reports.size() == 1 ? "" : "s", config.cluster.output.string(), fmt::join(clusters, ", ")));
  for (std::size_t i = 0; i < reports.size() && i < kShown; ++i) {
    fmt::print("{:<12}{} {} (cluster {})\n", "", printable(reports[i].id, 100),
               quote_text(printable(reports[i].name, 200)), reports[i].cluster);
  }
  if (reports.size() > kShown) fmt::print("{:<12}and {} more\n", "", reports.size() - kShown);
}

// The votes on the indicator, newest first, and whether each counted: at
// most kShown of them, then how many more counted and how many did not.
void print_votes(const Config& config, const TallyWindow& window, const NormalisedIndicator& indicator) {
  constexpr std::size_t kShown = 20;
  std::vector<CountedVote> votes = read_counted_votes(config.votes, config.policy, window, indicator.value);
  std::int64_t more_counted = 0;
  std::int64_t more_uncounted = 0;
  for (std::size_t i = 0; i < votes.size(); ++i) {
    const CountedVote& counted = votes[i];
    if (i >= kShown) {
      ++(counted.weight > 0 ? more_counted : more_uncounted);
      continue;
    }
    print_line(i == 0 ? "each vote" : "",
               fmt::format("{} {} by {}: {}", format_iso8601(counted.vote.cast_at), verdict_name(counted.vote.verdict),
                           quote_text(printable(counted.vote.voter, 100)), counted.reason));
  }
  if (more_counted + more_uncounted > 0) {
    print_line("", fmt::format("and {} more votes: {} counted, {} not", more_counted + more_uncounted, more_counted,
                               more_uncounted));
  }
}

int run_explain(const GlobalOptions& global, const ExplainOptions& options) {
  Config config = load_configuration(global);
  NormalisedIndicator indicator = normalise_indicator(options.indicator, parse_type_option(options.type));
  if (!indicator.ok()) throw UsageError(fmt::format("{} {}", quote_text(options.indicator), indicator.problem));
  TimePoint run_time = options.at.empty() ? now_utc() : parse_time_option("--at", options.at);
  TallyWindow window = tally_window(config.policy, run_time);
  // Only the entries that could match: the domain and its parents, any
  // address range (there are few), the hash itself.
  std::set<std::string_view> candidates;
  for (std::string_view name = indicator.value;;) {
    candidates.insert(name);
    auto dot = name.find('.');
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  auto could_match = [&](IndicatorGroup group, std::string_view value) {
    return group == IndicatorGroup::kIp || candidates.contains(value);
  };
  // The configured sources and the allow-list of accepted disputes, as the
  // run reads them.
  WhitelistSettings whitelist_settings = config.whitelist;
  FetchedWhitelist fetched = fetch_whitelist(whitelist_settings, config.state_dir, run_time,
                                             {.download = false, .keep = false, .only = could_match});
  const std::vector<AllowEntry> allowed = read_allow_list(config.votes, run_time);
  add_allow_list(allowed, whitelist_settings, fetched);
  LoadedWhitelist loaded =
      parse_whitelist(whitelist_settings, std::move(fetched), config.state_dir, false, could_match);
  const Whitelist& whitelist = loaded.whitelist;
  std::optional<Tally> tally = read_tally(config.votes, config.policy, window, indicator.value);

  print_line("indicator", indicator.value);
  print_line("type", type_name(indicator.type));
  print_line("policy", describe(config.policy));
  auto match = whitelist.match(indicator.value, indicator.type);
  for (const auto& listing : whitelist.listings(indicator.value, indicator.type)) {
    print_line("whitelist", fmt::format("entry {}, {}{}", listing.entry, whitelist.describe(listing),
                                        listing.effective ? "" : ": not enough to exclude"));
  }
  if (auto entry = covering_entry(allowed, indicator.value, indicator.type)) {
    print_line("dispute",
               fmt::format("{} is on the allow-list by accepted dispute {} ({} at {}{}): {}", entry->indicator,
                           entry->dispute, printable(entry->added_by, 100), format_iso8601(entry->added_at),
                           entry->expires_at ? ", until " + format_iso8601(*entry->expires_at) : "",
                           printable(entry->reason, 500)));
  }
  print_clustered_reports(config, indicator);
  bool parent_listed = print_listed_parents(config, window, whitelist, indicator);
  const char* through_parent = parent_listed ? " of its own; reached through its listed parent (see parent)" : "";
  if (!tally) {
    print_line("votes", "none counted");
    print_line("feed", fmt::format("none{}", through_parent));
    return kExitOk;
  }
  std::string weights;
  if (tally->malicious_extra_weight != 0 || tally->non_malicious_extra_weight != 0) {
    weights = fmt::format(" (weighing {} and {}: trusted voters count more)",
                          tally->malicious_votes + tally->malicious_extra_weight,
                          tally->non_malicious_votes + tally->non_malicious_extra_weight);
  }
  print_line(
      "votes",
      fmt::format(
          "{} malicious, {} non-malicious{}{}", tally->malicious_votes, tally->non_malicious_votes, weights,
          tally->uncounted_votes == 0 ? "" : fmt::format("; {} more not counted (see below)", tally->uncounted_votes)));
  if (tally->first_vote_at) print_line("first vote", format_iso8601(*tally->first_vote_at));
  print_line("last vote", format_iso8601(tally->last_vote_at));

  print_votes(config, window, indicator);
  Decision decision = decide(config.policy, *tally);
  print_line("verdict", decision.reason);
  if (!decision.verdict) {
    print_line("feed", fmt::format("none{}", through_parent));
  } else if (*decision.verdict == Verdict::kMalicious && match) {
    print_line("feed", fmt::format("none (voted malicious, kept out by the whitelist){}", through_parent));
  } else {
    std::vector<std::string> names;
    const std::vector<FeedSpec> feeds = feed_set(config.feeds);
    for (const FeedSpec* feed : feeds_for(feeds, indicator.type, *decision.verdict)) names.push_back(feed->name);
    print_line("feed", names.empty()
                           ? fmt::format("none (no {} {} feed is configured)", verdict_name(*decision.verdict),
                                         group_name(group_of(indicator.type)))
                           : fmt::format("{}{}", join_names(names),
                                         parent_listed ? " (also listed through its parent: a subdomain "
                                                         "keeps its own entry, see README)"
                                                       : ""));
  }
  return kExitOk;
}

}  // namespace

Command add_explain_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* command = app.add_subcommand("explain", "show an indicator's votes, verdict and whitelist matches");
  command->add_option("indicator", options->indicator, "the domain, IP address or file hash to explain")->required();
  command->add_option("--type", options->type, "the indicator's type (default: told from its shape)");
  command->add_option("--at", options->at, "explain as of this time (default: now)");
  return {command, [&global, options] { return run_explain(global, *options); }, {}};
}

}  // namespace crowdfeed
