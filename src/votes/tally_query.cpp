#include "votes/tally_query.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <map>

#include "indicator/indicator.h"
#include "util/error.h"
#include "util/log.h"
#include "util/state_file.h"
#include "util/text.h"
#include "votes/stores.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// An external query's last_vote_at may be Unix seconds or ISO 8601 text,
// from 1970 to 9999.
std::optional<TimePoint> column_time(const SQLite::Column& column) {
  if (column.isInteger()) {
    TimePoint time{std::chrono::seconds(column.getInt64())};
    if (!is_plausible_time(time)) return std::nullopt;
    return time;
  }
  if (column.isText()) return parse_time(column.getString());
  return std::nullopt;
}

// A vote count from the site's query: an integer from 0 to kMaxCount.
std::optional<std::int64_t> column_count(const SQLite::Column& column) {
  if (!column.isInteger()) return std::nullopt;
  std::int64_t count = column.getInt64();
  if (count < 0 || count > kMaxCount) return std::nullopt;
  return count;
}

// The query may use :since and :now; it need not.
void bind_if_used(SQLite::Statement& query, const std::string& text, const char* name, TimePoint time) {
  if (text.find(name) != std::string::npos) {
    query.bind(name, static_cast<std::int64_t>(time.time_since_epoch().count()));
  }
}

// The indicator of a row of the site's own query, normalised: a domain
// unless the query returns a fifth column, the type (NULL or empty: told
// from the indicator's shape).
NormalisedIndicator row_indicator(SQLite::Statement& query, const std::string& raw) {
  if (query.getColumnCount() < 5 || query.getColumn(4).isNull()) {
    return normalise_indicator(raw, query.getColumnCount() < 5 ? std::optional(IndicatorType::kDomain) : std::nullopt);
  }
  std::string name = query.getColumn(4).getString();
  if (name.empty()) return normalise_indicator(raw);
  auto type = parse_indicator_type(name);
  if (!type) return {IndicatorType::kDomain, {}, fmt::format("has the unknown type {}", quote_text(name))};
  return normalise_indicator(raw, type);
}

// Runs the site's own tally query. Its indicators were never normalised, so
// each passes the normaliser; spellings that normalise to the same
// indicator are merged, which is why this path collects before it visits.
TallyStats read_external_tallies(const VotesSettings& votes, TallyWindow window,
                                 const std::function<void(const Tally&)>& visit) {
  const fs::path& path = votes.tally_database.empty() ? votes.database : votes.tally_database;
  if (!fs::exists(path)) throw Error(fmt::format("tally database {} does not exist", path.string()));
  TallyStats stats;
  std::map<std::string, Tally> merged;
  try {
    SQLite::Database database(path.string(), SQLite::OPEN_READONLY, votes.busy_timeout_ms);
    SQLite::Transaction snapshot(database);
    SQLite::Statement query(database, votes.tally_query);
    if (query.getColumnCount() < 4) {
      throw Error(
          fmt::format("votes.tally_query must return indicator, malicious_votes, non_malicious_votes, "
                      "last_vote_at and optionally type; it returns {} columns",
                      query.getColumnCount()));
    }
    bind_if_used(query, votes.tally_query, ":since", window.since);
    bind_if_used(query, votes.tally_query, ":now", window.until);
    while (query.executeStep()) {
      std::string raw = query.getColumn(0).getString();
      NormalisedIndicator indicator = row_indicator(query, raw);
      auto last_vote_at = column_time(query.getColumn(3));
      auto malicious = column_count(query.getColumn(1));
      auto non_malicious = column_count(query.getColumn(2));
      std::string problem = !indicator.ok() ? indicator.problem
                            : !last_vote_at ? "last_vote_at is neither Unix seconds nor ISO 8601 from 1970 to 9999"
                            : !malicious || !non_malicious
                                ? fmt::format("the vote counts must be integers from 0 to {}", kMaxCount)
                                : "";
      if (!problem.empty()) {
        if (stats.invalid_indicators++ < 10)
          log::warning("votes.tally_query: skipping {}: {}", quote_text(raw), problem);
        continue;
      }
      Tally& tally = merged[indicator.value];
      tally.indicator = indicator.value;
      tally.type = indicator.type;
      // Spellings merged into one indicator add up; kMaxCount keeps the sums far
      // from overflowing, and a sum past it is capped.
      tally.malicious_votes = std::min(tally.malicious_votes + *malicious, kMaxCount);
      tally.non_malicious_votes = std::min(tally.non_malicious_votes + *non_malicious, kMaxCount);
      tally.last_vote_at = std::max(tally.last_vote_at, *last_vote_at);
    }
    snapshot.commit();
  } catch (const SQLite::Exception& error) {
    throw Error(fmt::format("votes.tally_query on {}: {}", path.string(), error.what()));
  }
  for (const auto& [indicator, tally] : merged) visit(tally);
  return stats;
}

}  // namespace

TallyWindow tally_window(const Policy& policy, TimePoint run_time) {
  TimePoint hour = floor_to_hour(run_time);
  TimePoint since = policy.max_age_days == 0 ? TimePoint::min() : hour - std::chrono::days(policy.max_age_days);
  return {since, hour, run_time};
}

std::optional<PreparedTallies> prepare_kept_tallies(const VotesSettings& votes, const Policy& policy,
                                                    TallyWindow window, std::optional<TallyMark> last) {
  if (!votes.tally_query.empty()) return std::nullopt;
  std::unique_ptr<VoteStore> store = open_vote_store(votes, StoreAccess::kRead);
  PreparedTallies prepared;
  const std::string database = store->instance();
  prepared.mark = {database, store->start_run(window.since), window.until};
  // Another database (restored, re-created) counts its generations anew.
  prepared.changed = !last || last->database != database ||
                     store->changed_since(last->generation, last->until, window.until, trust_of(policy));
  VoteStore::LateVotes late = store->count_votes_after(window.until, window.now);
  prepared.late.next_hour_votes = late.next_hour;
  prepared.late.future_votes = late.future;
  return prepared;
}

void recount_kept_tallies(const VotesSettings& votes) {
  if (!votes.tally_query.empty()) {
    throw UsageError("--recount: votes.tally_query is configured, so crowdfeed keeps no tallies to rebuild");
  }
  std::int64_t indicators = open_vote_store(votes, StoreAccess::kRead)->recount();
  log::info("recounted the kept tallies of {} indicators from the votes", indicators);
}

TallyStats read_tallies(const VotesSettings& votes, const Policy& policy, TallyWindow window,
                        const std::function<void(const Tally&)>& visit, TallySource source) {
  if (!votes.tally_query.empty()) return read_external_tallies(votes, window, visit);
  std::unique_ptr<VoteStore> store = open_vote_store(votes, StoreAccess::kRead);
  TallyStats stats;
  if (source == TallySource::kKeptTallies) {
    store->for_each_kept_tally(window.since, window.until, trust_of(policy), visit);
  } else {
    store->for_each_tally(window.since, window.until, trust_of(policy), visit);
  }
  VoteStore::LateVotes late = store->count_votes_after(window.until, window.now);
  stats.next_hour_votes = late.next_hour;
  stats.future_votes = late.future;
  return stats;
}

std::vector<CountedVote> read_counted_votes(const VotesSettings& votes, const Policy& policy, TallyWindow window,
                                            const std::string& indicator) {
  if (!votes.tally_query.empty()) return {};
  return read_counted_votes(*open_vote_store(votes, StoreAccess::kRead), policy, window, indicator);
}

std::vector<CountedVote> read_counted_votes(VoteStore& store, const Policy& policy, TallyWindow window,
                                            const std::string& indicator) {
  std::vector<CountedVote> counted;
  const Trust trust = trust_of(policy);
  for (auto& [vote, voter] : store.votes_on(indicator)) {
    CountedVote entry{std::move(vote), 1, "counted"};
    if (entry.vote.cast_at > window.until) {
      entry = {std::move(entry.vote), 0,
               fmt::format("not counted: cast after the hour slot {}; the next run counts it",
                           format_iso8601(window.until))};
    } else if (entry.vote.cast_at < window.since) {
      entry = {std::move(entry.vote), 0,
               fmt::format("not counted: cast before {} (policy.max_age_days {})", format_iso8601(window.since),
                           policy.max_age_days)};
    } else if (voter) {
      Standing standing = crowdfeed::standing(trust, *voter, window.until);
      entry = {std::move(entry.vote), standing.weight, std::move(standing.reason)};
    }
    counted.push_back(std::move(entry));
  }
  return counted;
}

std::optional<Tally> read_tally(const VotesSettings& votes, const Policy& policy, TallyWindow window,
                                const std::string& indicator) {
  if (!votes.tally_query.empty()) {
    std::optional<Tally> found;
    read_external_tallies(votes, window, [&](const Tally& tally) {
      if (tally.indicator == indicator) found = tally;
    });
    return found;
  }
  return open_vote_store(votes, StoreAccess::kRead)->tally(indicator, window.since, window.until, trust_of(policy));
}

}  // namespace crowdfeed
