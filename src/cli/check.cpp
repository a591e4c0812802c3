// crowdfeed check: compares the tallies kept in the votes database with a
// full recount of the votes; exits 1 when they differ (publish --recount
// rebuilds them).
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "util/error.h"
#include "util/text.h"
#include "votes/stores.h"

namespace crowdfeed {
namespace {

// Differences printed in full; the rest are counted.
constexpr std::size_t kShownDifferences = 20;

int run_check(const GlobalOptions& global) {
  Config config = load_configuration(global);
  if (!config.votes.tally_query.empty()) {
    fmt::print("check: votes.tally_query is configured: the site counts its own votes, crowdfeed keeps no tallies\n");
    return kExitOk;
  }
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kRead);
  std::int64_t differing = 0;
  std::vector<std::string> differences = store->compare_with_recount(kShownDifferences, differing);
  if (differing == 0) {
    fmt::print("check: the kept tallies in {} match a recount of the votes\n", store->describe());
    return kExitOk;
  }
  // Indicators written into the votes table by a site are not normalised:
  // printed as printable text.
  for (const auto& difference : differences) fmt::print("{}\n", printable(difference));
  if (static_cast<std::size_t>(differing) > differences.size()) {
    fmt::print("... and {} more\n", static_cast<std::size_t>(differing) - differences.size());
  }
  fmt::print(
      "check: {} indicators' kept tallies in {} differ from a recount of the votes; 'crowdfeed publish --recount' "
      "rebuilds them\n",
      differing, store->describe());
  return kExitFailure;
}

}  // namespace

Command add_check_command(CLI::App& app, const GlobalOptions& global) {
  CLI::App* command = app.add_subcommand("check", "compare the kept vote tallies with a full recount of the votes");
  return {command, [&global] { return run_check(global); }, {}};
}

}  // namespace crowdfeed
