// crowdfeed vote: record one vote, the command-line twin of the vote API.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "votes/import.h"
#include "votes/stores.h"

namespace crowdfeed {

std::string default_voter() {
  const char* user = std::getenv("USER");
  return fmt::format("cli:{}", user != nullptr && *user != '\0' ? user : std::to_string(::getuid()));
}

namespace {

struct VoteOptions {
  bool malicious = false;
  bool non_malicious = false;
  std::string indicator;
  std::string type;
  std::string voter;
  std::string at;
};

int run_vote(const GlobalOptions& global, const VoteOptions& options) {
  if (!options.malicious && !options.non_malicious) {
    throw UsageError("vote needs --malicious or --non-malicious");
  }
  Config config = load_configuration(global);
  std::string voter = options.voter.empty() ? default_voter() : options.voter;
  TimePoint cast_at = options.at.empty() ? now_utc() : parse_time_option("--at", options.at);
  if (std::string problem = future_time_problem(cast_at, now_utc(), config.max_clock_skew); !problem.empty()) {
    // Such a vote would shadow the voter's later votes until then.
    throw UsageError(fmt::format("--at {} {}", quote_text(options.at), problem));
  }
  VoteCheck check = check_vote(options.indicator, options.malicious ? "malicious" : "non-malicious", voter,
                               std::to_string(cast_at.time_since_epoch().count()),
                               {now_utc(), config.max_clock_skew, parse_type_option(options.type)});
  if (!check.ok()) throw UsageError(check.problem);

  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  bool changed = store->add(check.vote);
  if (changed) {
    log::info("recorded {} vote by {} on {} {} at {}", verdict_name(check.vote.verdict), check.vote.voter,
              type_name(check.vote.type), check.vote.indicator, format_iso8601(check.vote.cast_at));
  } else {
    // A voter's newer vote, or the same vote again, stands.
    log::info("kept {}'s vote on {} {}: it is not older than this {} vote cast at {}", check.vote.voter,
              type_name(check.vote.type), check.vote.indicator, verdict_name(check.vote.verdict),
              format_iso8601(check.vote.cast_at));
  }
  return kExitOk;
}

}  // namespace

Command add_vote_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<VoteOptions>();
  CLI::App* command =
      app.add_subcommand("vote", "record one vote on an indicator (a domain, an IP address or a file hash)");
  auto* malicious =
      command->add_flag("--malicious", options->malicious, "vote that the indicator is malicious (API vote=0)");
  auto* non_malicious = command->add_flag("--non-malicious", options->non_malicious,
                                          "vote that the indicator is not malicious (API vote=1)");
  malicious->excludes(non_malicious);
  command->add_option("indicator", options->indicator, "the domain, IP address or file hash voted on")->required();
  command->add_option("--type", options->type,
                      "the indicator's type: domain, ipv4, ipv6, md5, sha1, sha256 (default: told from its shape)");
  command->add_option("--voter", options->voter, "the voter's id (default: cli:$USER)");
  command->add_option("--at", options->at, "when the vote was cast (ISO 8601 or Unix seconds; default: now)");
  return {command, [&global, options] { return run_vote(global, *options); }, {}};
}

}  // namespace crowdfeed
