#include "votes/stores.h"

#include <fmt/format.h>

#include <array>

#include "util/error.h"
#include "util/text.h"
#include "votes/postgres_store.h"
#include "votes/sqlite_store.h"

namespace crowdfeed {
namespace {

struct Backend {
  std::string_view name;
  std::unique_ptr<VoteStore> (*open)(const std::string& where, const VotesSettings& votes, StoreAccess access);
};

std::unique_ptr<VoteStore> open_sqlite(const std::string& where, const VotesSettings& votes, StoreAccess access) {
  return std::make_unique<SqliteVoteStore>(access == StoreAccess::kWrite
                                               ? SqliteVoteStore::open_for_writing(where, votes.busy_timeout_ms)
                                               : SqliteVoteStore::open_for_reading(where, votes.busy_timeout_ms));
}

std::unique_ptr<VoteStore> open_postgresql(const std::string& where, const VotesSettings& votes, StoreAccess access) {
  PostgresSettings settings{where, votes.connect_timeout_seconds, votes.statement_timeout_seconds};
  return std::make_unique<PostgresVoteStore>(access == StoreAccess::kWrite
                                                 ? PostgresVoteStore::open_for_writing(settings)
                                                 : PostgresVoteStore::open_for_reading(settings));
}

constexpr std::array<Backend, 2> kBackends = {{
    {"sqlite", open_sqlite},
    {"postgresql", open_postgresql},
}};

}  // namespace

StoreLocation configured_store(const VotesSettings& votes) {
  return {votes.backend, votes.backend == "sqlite" ? votes.database.string() : votes.url};
}

StoreLocation parse_store_location(std::string_view option, std::string_view text) {
  for (const Backend& backend : kBackends) {
    if (text.starts_with(backend.name) && text.size() > backend.name.size() && text[backend.name.size()] == ':') {
      std::string where(text.substr(backend.name.size() + 1));
      // postgresql://... is a whole URI: keep its scheme.
      if (where.starts_with("//")) where = std::string(text);
      // postgresql: alone is libpq's environment (PGHOST, PGDATABASE...).
      if (where.empty() && backend.name != "postgresql") break;
      return {std::string(backend.name), where};
    }
  }
  throw UsageError(fmt::format("{} {}: give sqlite:PATH or postgresql:URL (or postgresql:// ...)", option,
                               quote_text(std::string(text))));
}

std::unique_ptr<VoteStore> open_vote_store(const StoreLocation& location, const VotesSettings& votes,
                                           StoreAccess access) {
  for (const Backend& backend : kBackends) {
    if (backend.name == location.backend) return backend.open(location.where, votes, access);
  }
  throw UsageError(
      fmt::format("votes.backend must be \"sqlite\" or \"postgresql\", not {}", quote_text(location.backend)));
}

void validate(const VotesSettings& votes) {
  if (votes.busy_timeout_ms < 0) throw UsageError("votes.busy_timeout_ms must not be negative");
  if (votes.backend != "sqlite" && votes.backend != "postgresql") {
    throw UsageError(
        fmt::format("votes.backend must be \"sqlite\" or \"postgresql\", not {}", quote_text(votes.backend)));
  }
  if (votes.connect_timeout_seconds < 1 || votes.connect_timeout_seconds > 3600) {
    throw UsageError("votes.connect_timeout_seconds must be 1 to 3600");
  }
  if (votes.statement_timeout_seconds < 0 || votes.statement_timeout_seconds > 86400) {
    throw UsageError("votes.statement_timeout_seconds must be 0 (no limit) to 86400");
  }
  if (votes.backend == "postgresql" && !votes.tally_query.empty()) {
    throw UsageError(
        "votes.tally_query reads a site's own SQLite table; it cannot be used with votes.backend "
        "\"postgresql\"");
  }
}

}  // namespace crowdfeed
