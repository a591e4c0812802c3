// crowdfeed voters add|list|revoke: the voters of the vote API and their
// tokens. A token is printed once, when its voter is added; the database
// keeps only its SHA-256.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "serve/tokens.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "votes/stores.h"

namespace crowdfeed {
namespace {

struct VoterOptions {
  std::string name;
  std::string role = "voter";
};

// A voter's name is the voter id of its votes: printable, no spaces, and
// not one of the ids crowdfeed gives itself ("cli:", "anonymous:").
void check_name(const std::string& name) {
  if (name.empty() || name.size() > 100) throw UsageError("a voter's name has 1 to 100 characters");
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '@')) {
      throw UsageError(fmt::format("voter name {}: letters, digits and - _ . @ only", quote_text(name)));
    }
  }
}

int run_add(const GlobalOptions& global, const VoterOptions& options) {
  check_name(options.name);
  Config config = load_configuration(global);
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  std::string token = new_token();
  store->add_voter({options.name, options.role, token_sha256(token), now_utc(), std::nullopt});
  log::info("added {} voter {}; its token, shown only now:", options.role, options.name);
  fmt::print("{}\n", token);
  return kExitOk;
}

int run_list(const GlobalOptions& global) {
  Config config = load_configuration(global);
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  fmt::print("{:<24} {:<8} {:<21} {}\n", "name", "role", "added", "revoked");
  for (const auto& voter : store->voters()) {
    fmt::print("{:<24} {:<8} {:<21} {}\n", voter.name, voter.role, format_iso8601(voter.created_at),
               voter.revoked_at ? format_iso8601(*voter.revoked_at) : "-");
  }
  if (std::int64_t anonymous = store->anonymous_voters(); anonymous > 0) {
    fmt::print("and {} anonymous voters (keyed hashes of addresses)\n", anonymous);
  }
  return kExitOk;
}

int run_revoke(const GlobalOptions& global, const VoterOptions& options) {
  Config config = load_configuration(global);
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  if (!store->revoke_voter(options.name, now_utc())) {
    throw Error(fmt::format("no voter {} holds a token (see crowdfeed voters list)", quote_text(options.name)));
  }
  log::info("revoked {}'s token; the server refuses it within a second", options.name);
  return kExitOk;
}

}  // namespace

std::vector<Command> add_voters_commands(CLI::App& app, const GlobalOptions& global) {
  CLI::App* voters = app.add_subcommand("voters", "the voters of the vote API and their tokens");
  voters->require_subcommand(1);
  auto options = std::make_shared<VoterOptions>();
  CLI::App* add = voters->add_subcommand("add", "add a voter and print its API token (once)");
  add->add_option("name", options->name, "the voter's name, recorded with its votes")->required();
  add->add_option("--role", options->role,
                  "voter (default), trusted, moderator (trusted, and decides disputes), or reader (reads the TAXII "
                  "collections, casts no vote)")
      ->check(CLI::IsMember({"voter", "trusted", "moderator", "reader"}));
  CLI::App* list = voters->add_subcommand("list", "list the voters, revoked ones too");
  CLI::App* revoke = voters->add_subcommand("revoke", "revoke a voter's token");
  revoke->add_option("name", options->name, "the voter's name")->required();
  return {{add, [&global, options] { return run_add(global, *options); }, {}},
          {list, [&global] { return run_list(global); }, {}},
          {revoke, [&global, options] { return run_revoke(global, *options); }, {}}};
}

}  // namespace crowdfeed
