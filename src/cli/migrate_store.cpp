// crowdfeed migrate-store --from sqlite:PATH --to postgresql:URL: copies
// every voter and vote from one votes store into another, empty one, then
// checks the copy: the same number of votes, and the same tally for every
// indicator, so that the feeds built from either are the same.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "votes/stores.h"

namespace crowdfeed {
namespace {

struct MigrateOptions {
  std::string from;
  std::string to;
};

// A voter already in the target, identical, is kept (a rerun after a failed
// copy of the votes); a different one is an Error.
void copy_voters(VoteStore& source, VoteStore& target) {
  std::vector<Voter> present = target.voters(true);
  std::size_t copied = 0;
  target.write_transaction([&] {
    for (const Voter& voter : source.voters(true)) {
      auto same =
          std::find_if(present.begin(), present.end(), [&](const Voter& other) { return other.name == voter.name; });
      if (same != present.end()) {
        if (same->role != voter.role || same->token_sha256 != voter.token_sha256 ||
            same->created_at != voter.created_at || same->revoked_at != voter.revoked_at) {
          throw Error(fmt::format("the target already has a different voter named {}", quote_text(voter.name)));
        }
        continue;
      }
      if (voter.role == "anonymous") {
        target.note_anonymous_voter(voter.name, voter.created_at);
      } else {
        target.add_voter(voter);
      }
      if (voter.revoked_at) target.revoke_voter(voter.name, *voter.revoked_at);
      ++copied;
    }
    return true;
  });
  log::info("copied {} voters", copied);
}

// Every indicator's tally of all votes, in both stores, side by side; the
// first difference is an Error.
void compare_tallies(VoteStore& source, VoteStore& target) {
  std::vector<Tally> expected;
  source.for_each_tally(TimePoint::min(), TimePoint::max(), {}, [&](const Tally& tally) { expected.push_back(tally); });
  std::size_t next = 0;
  target.for_each_tally(TimePoint::min(), TimePoint::max(), {}, [&](const Tally& tally) {
    const Tally* want = next < expected.size() ? &expected[next] : nullptr;
    ++next;
    if (want == nullptr || want->indicator != tally.indicator || want->malicious_votes != tally.malicious_votes ||
        want->non_malicious_votes != tally.non_malicious_votes || want->last_vote_at != tally.last_vote_at ||
        want->first_vote_at != tally.first_vote_at || want->type != tally.type) {
      throw Error(
          fmt::format("the copy differs from the source at {}: the source changed while it was copied, "
                      "or the copy failed; stop the source's writers and copy into an empty store again",
                      quote_text(printable(tally.indicator, 200))));
    }
  });
  if (next != expected.size()) {
    throw Error(fmt::format("the copy has {} indicators, the source {}", next, expected.size()));
  }
}

int run_migrate(const GlobalOptions& global, const MigrateOptions& options) {
  Config config = load_configuration(global);
  const StoreLocation from = parse_store_location("--from", options.from);
  const StoreLocation to = parse_store_location("--to", options.to);
  std::unique_ptr<VoteStore> source = open_vote_store(from, config.votes, StoreAccess::kRead);
  std::unique_ptr<VoteStore> target = open_vote_store(to, config.votes, StoreAccess::kWrite);
  if (std::int64_t present = target->count_votes(); present > 0) {
    throw Error(fmt::format("{} holds {} votes already; migrate-store copies into an empty store only",
                            target->describe(), present));
  }
  copy_voters(*source, *target);
  std::int64_t copied = 0;
  VoteStore::BulkResult written = target->bulk_write_transaction([&] {
    source->for_each_vote([&](const Vote& vote) {
      target->add(vote);
      ++copied;
    });
    return true;
  });
  if (!written.committed) throw Error("the copy of the votes was not committed");
  const std::int64_t stored = target->count_votes();
  if (stored != copied) {
    throw Error(fmt::format("{} holds {} votes after copying {}", target->describe(), stored, copied));
  }
  compare_tallies(*source, *target);
  log::info("copied {} votes from {} to {}; every indicator's tally is the same in both", copied, source->describe(),
            target->describe());
  return kExitOk;
}

}  // namespace

Command add_migrate_store_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<MigrateOptions>();
  CLI::App* command =
      app.add_subcommand("migrate-store", "copy every voter and vote from one votes store into another, empty one");
  command->add_option("--from", options->from, "the store to copy: sqlite:PATH or postgresql:URL")->required();
  command->add_option("--to", options->to, "the empty store to copy into: sqlite:PATH or postgresql:URL")->required();
  return {command, [&global, options] { return run_migrate(global, *options); }, {}};
}

}  // namespace crowdfeed
