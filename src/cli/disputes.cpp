// crowdfeed disputes list|show|accept|reject|log: the moderation of the
// community's disputes from the command line, as the moderation page does
// it (see votes/disputes.h). The operator acts as "cli:$USER" unless
// --as names a moderator.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "votes/stores.h"

namespace crowdfeed {
namespace {

struct DisputeOptions {
  std::int64_t id = 0;
  std::string status = "open";
  std::string indicator;
  std::string note;
  std::string actor;
  std::string until;
  std::int64_t after = 0;
  std::size_t limit = 100;
};

std::string when(const std::optional<TimePoint>& time) {
  return time ? format_iso8601(*time) : "-";
}

int run_list(const GlobalOptions& global, const DisputeOptions& options) {
  Config config = load_configuration(global);
  DisputeQuery query;
  if (options.status != "all") query.status = parse_dispute_status(options.status);
  query.limit = options.limit;
  if (!options.indicator.empty()) {
    NormalisedIndicator indicator = normalise_indicator(options.indicator);
    if (!indicator.ok()) throw UsageError(fmt::format("{} {}", quote_text(options.indicator), indicator.problem));
    query.indicator = indicator.value;
  }
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  fmt::print("{:<6} {:<9} {:<15} {:<21} {}\n", "id", "status", "kind", "filed", "indicator");
  for (const Dispute& dispute : store->disputes(query)) {
    fmt::print("{:<6} {:<9} {:<15} {:<21} {}\n", dispute.id, status_name(dispute.status), kind_name(dispute.kind),
               format_iso8601(dispute.filed_at), dispute.indicator);
  }
  return kExitOk;
}

Dispute find_dispute(VoteStore& store, std::int64_t id) {
  std::optional<Dispute> dispute = store.dispute(id);
  if (!dispute) throw Error(fmt::format("no dispute {} (see crowdfeed disputes list --status all)", id));
  return *dispute;
}

int run_show(const GlobalOptions& global, const DisputeOptions& options) {
  Config config = load_configuration(global);
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  const Dispute dispute = find_dispute(*store, options.id);
  auto line = [](std::string_view label, std::string_view value) { fmt::print("{:<12}{}\n", label, value); };
  line("dispute:", std::to_string(dispute.id));
  line("indicator:", fmt::format("{} ({})", dispute.indicator, type_name(dispute.type)));
  line("kind:", fmt::format("{} ({})", kind_name(dispute.kind), describe(dispute.kind)));
  line("status:", status_name(dispute.status));
  line("filed:", fmt::format("{} by {}", format_iso8601(dispute.filed_at), printable(dispute.filed_by, 200)));
  // Shown to the operator only, as the moderation page does.
  if (!dispute.contact.empty()) line("contact:", printable(dispute.contact, 200));
  line("reason:", printable(dispute.reason));
  if (dispute.decided_at) {
    line("decided:", fmt::format("{} by {}", when(dispute.decided_at), printable(dispute.decided_by, 200)));
    line("note:", printable(dispute.note));
  }
  if (dispute.corrected_at) {
    line("corrected:", fmt::format("in version {} at {}", dispute.corrected_version, when(dispute.corrected_at)));
  }
  return kExitOk;
}

int run_decide(const GlobalOptions& global, const DisputeOptions& options, bool accept) {
  Config config = load_configuration(global);
  if (options.note.empty()) throw UsageError("--note is needed: say why (it is shown on the dispute's page)");
  if (std::string problem = check_dispute_text(options.note, "", "--note"); !problem.empty()) {
    throw UsageError(problem);
  }
  DisputeDecision decision{options.id,   accept,    options.actor.empty() ? default_voter() : options.actor,
                           options.note, now_utc(), std::nullopt};
  if (!config.votes.tally_query.empty()) {
    throw UsageError("disputes are off: the feeds come from votes.tally_query, which no allow-list applies to");
  }
  if (!options.until.empty()) {
    if (!accept) throw UsageError("--until applies to an accepted dispute only");
    decision.allow_until = parse_time_option("--until", options.until);
    if (*decision.allow_until <= decision.at) throw UsageError("--until must be in the future");
  }
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  const Dispute dispute = find_dispute(*store, options.id);
  if (!options.actor.empty()) {
    bool moderator = false;
    for (const Voter& voter : store->voters()) {
      moderator |= voter.name == options.actor && voter.role == "moderator" && !voter.revoked_at;
    }
    if (!moderator) throw UsageError(fmt::format("--as {}: no such moderator", quote_text(options.actor)));
  }
  if (decision.allow_until && dispute.kind != DisputeKind::kFalsePositive) {
    throw UsageError("--until applies to a false positive's allow-list entry only");
  }
  if (!store->decide_dispute(decision)) {
    // Decided meanwhile, maybe by another moderator: say how it stands now.
    throw Error(
        fmt::format("dispute {} is {} already", options.id, status_name(find_dispute(*store, options.id).status)));
  }
  if (!accept) {
    log::info("rejected dispute {} on {}", dispute.id, dispute.indicator);
  } else if (dispute.kind == DisputeKind::kFalsePositive) {
    log::info("accepted dispute {}: {} is on the allow-list{}; the next publish keeps it out of the malicious feeds",
              dispute.id, dispute.indicator,
              decision.allow_until ? " until " + format_iso8601(*decision.allow_until) : "");
  } else {
    log::info("accepted dispute {}: {} voted malicious as {}; the next publish counts the vote", dispute.id,
              dispute.indicator, decision.moderator);
  }
  return kExitOk;
}

int run_log(const GlobalOptions& global, const DisputeOptions& options) {
  Config config = load_configuration(global);
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  for (const AuditEvent& event : store->audit_log(options.after, options.limit)) {
    fmt::print("{} {} {} {} dispute={} {}: {}\n", event.sequence, format_iso8601(event.at), printable(event.actor, 200),
               event.action, event.dispute ? std::to_string(*event.dispute) : "-", event.indicator,
               printable(event.detail, 2000));
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> add_disputes_commands(CLI::App& app, const GlobalOptions& global) {
  CLI::App* disputes = app.add_subcommand("disputes", "the community's disputes: list, show, accept, reject, log");
  disputes->require_subcommand(1);
  auto options = std::make_shared<DisputeOptions>();
  CLI::App* list = disputes->add_subcommand("list", "list disputes, newest first");
  list->add_option("--status", options->status, "open (default), accepted, rejected or all")
      ->check(CLI::IsMember({"open", "accepted", "rejected", "all"}));
  list->add_option("--indicator", options->indicator, "only the disputes of this indicator");
  list->add_option("--limit", options->limit, "at most this many (default 100)")->check(CLI::Range(1, 100000));
  CLI::App* show = disputes->add_subcommand("show", "show a dispute, its contact address included");
  show->add_option("id", options->id, "the dispute's id")->required();
  CLI::App* accept = disputes->add_subcommand(
      "accept", "accept a dispute: allow-list a false positive, or vote a false negative malicious");
  CLI::App* reject = disputes->add_subcommand("reject", "reject a dispute");
  for (CLI::App* decide : {accept, reject}) {
    decide->add_option("id", options->id, "the dispute's id")->required();
    decide->add_option("--note", options->note, "why, shown on the dispute's page")->required();
    decide->add_option("--as", options->actor, "the moderator acting (default: cli:$USER)");
  }
  accept->add_option("--until", options->until, "the allow-list entry expires then (ISO 8601; default: never)");
  CLI::App* log = disputes->add_subcommand("log", "print the audit log, oldest first");
  log->add_option("--after", options->after, "only the lines after this sequence number");
  log->add_option("--limit", options->limit, "at most this many lines (default 100)")->check(CLI::Range(1, 1000000));
  return {{list, [&global, options] { return run_list(global, *options); }, {}},
          {show, [&global, options] { return run_show(global, *options); }, {}},
          {accept, [&global, options] { return run_decide(global, *options, true); }, {}},
          {reject, [&global, options] { return run_decide(global, *options, false); }, {}},
          {log, [&global, options] { return run_log(global, *options); }, {}}};
}

}  // namespace crowdfeed
