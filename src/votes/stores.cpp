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
  std::unique_ptr<VoteStore> (*open)(const std::string& where, const Config& config, StoreAccess access);
};

std::unique_ptr<VoteStore> open_sqlite(const std::string& where, const Config& config, StoreAccess access) {
  return std::make_unique<SqliteVoteStore>(access == StoreAccess::kWrite
                                               ? SqliteVoteStore::open_for_writing(where, config.busy_timeout_ms)
                                               : SqliteVoteStore::open_for_reading(where, config.busy_timeout_ms));
}

std::unique_ptr<VoteStore> open_postgresql(const std::string& where, const Config& config, StoreAccess access) {
  PostgresSettings settings{where, config.connect_timeout_seconds, config.statement_timeout_seconds};
  return std::make_unique<PostgresVoteStore>(access == StoreAccess::kWrite
                                                 ? PostgresVoteStore::open_for_writing(settings)
                                                 : PostgresVoteStore::open_for_reading(settings));
}

constexpr std::array<Backend, 2> kBackends = {{
    {"sqlite", open_sqlite},
    {"postgresql", open_postgresql},
}};

}  // namespace

StoreLocation configured_store(const Config& config) {
  return {config.votes_backend, config.votes_backend == "sqlite" ? config.database.string() : config.votes_url};
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

std::unique_ptr<VoteStore> open_vote_store(const StoreLocation& location, const Config& config, StoreAccess access) {
  for (const Backend& backend : kBackends) {
    if (backend.name == location.backend) return backend.open(location.where, config, access);
  }
  throw UsageError(
      fmt::format("votes.backend must be \"sqlite\" or \"postgresql\", not {}", quote_text(location.backend)));
}

}  // namespace crowdfeed
