// crowdfeed explain: why a domain is, or is not, in a feed.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "domain/normalise.h"
#include "policy/thresholds.h"
#include "util/error.h"
#include "votes/tally_query.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {
namespace {

struct ExplainOptions {
  std::string domain;
  std::string at;
};

int run_explain(const GlobalOptions& global, const ExplainOptions& options) {
  Config config = load_configuration(global);
  NormalisedDomain domain = normalise_domain(options.domain);
  if (!domain.ok()) throw UsageError(fmt::format("{:?} {}", options.domain, domain.problem));
  TimePoint run_time = options.at.empty() ? now_utc() : parse_time_option("--at", options.at);
  TallyWindow window = tally_window(config.policy, run_time);

  fmt::print("domain:    {}\n", domain.domain);
  std::optional<Tally> tally = read_tally(config, window, domain.domain);
  fmt::print("policy:    {}\n", describe(config.policy));
  if (!tally) {
    fmt::print("votes:     none counted\nverdict:   none; in neither feed\n");
    return kExitOk;
  }
  fmt::print("votes:     {} malicious, {} non-malicious\n", tally->malicious_votes, tally->non_malicious_votes);
  if (tally->first_vote_at) fmt::print("first vote: {}\n", format_iso8601(*tally->first_vote_at));
  fmt::print("last vote: {}\n", format_iso8601(tally->last_vote_at));

  Decision decision = decide(config.policy, *tally);
  fmt::print("verdict:   {}\n", decision.reason);
  Whitelist whitelist = load_whitelist(config.whitelist_files);
  auto match = whitelist.match(domain.domain);
  if (match) fmt::print("whitelist: entry {} in {}\n", match->entry, match->source);

  if (!decision.verdict) {
    fmt::print("feed:      none\n");
  } else if (*decision.verdict == Verdict::kMalicious && match) {
    fmt::print("feed:      none; voted malicious but kept out by the whitelist\n");
  } else {
    fmt::print("feed:      {}\n",
               *decision.verdict == Verdict::kMalicious ? config.feeds.malicious_name : config.feeds.non_malicious_name);
  }
  return kExitOk;
}

}  // namespace

Command add_explain_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* command = app.add_subcommand("explain", "show a domain's votes, verdict and whitelist matches");
  command->add_option("domain", options->domain, "the domain to explain")->required();
  command->add_option("--at", options->at, "explain as of this time (default: now)");
  return {command, [&global, options] { return run_explain(global, *options); }};
}

}  // namespace crowdfeed
