// The votes stores crowdfeed knows, chosen by votes.backend, each opened
// through one entry of a table (like the destinations): "sqlite", the
// default, and "postgresql".
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/settings.h"
#include "votes/store.h"

namespace crowdfeed {

enum class StoreAccess {
  kWrite,  // creates the store or migrates its schema as needed
  kRead,   // an existing store at the current schema, or an Error
};

// Where a store is: its backend and, for SQLite, a file, for PostgreSQL a
// connection string (empty: libpq's environment); the timeouts come from
// the configuration.
struct StoreLocation {
  std::string backend;
  std::string where;
};

// The configured store.
StoreLocation configured_store(const VotesSettings& votes);

// "sqlite:PATH" or "postgresql:URL" (the URL may itself start with
// postgresql://); a UsageError naming `option` otherwise.
StoreLocation parse_store_location(std::string_view option, std::string_view text);

std::unique_ptr<VoteStore> open_vote_store(const StoreLocation& location, const VotesSettings& votes,
                                           StoreAccess access);

inline std::unique_ptr<VoteStore> open_vote_store(const VotesSettings& votes, StoreAccess access) {
  return open_vote_store(configured_store(votes), votes, access);
}

// Throws UsageError naming the key when a [votes] setting is unusable.
void validate(const VotesSettings& votes);

}  // namespace crowdfeed
