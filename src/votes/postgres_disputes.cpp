// The PostgreSQL store's disputes, allow-list and audit log (schema 3).
#include <fmt/format.h>

#include <charconv>
#include <cstring>

#include "util/error.h"
#include "votes/postgres_rows.h"
#include "votes/postgres_store.h"

namespace crowdfeed {
namespace {

using namespace postgres_rows;

std::string seconds_text(TimePoint time) {
  return std::to_string(time.time_since_epoch().count());
}

constexpr const char* kDisputeColumns = R"sql(
    SELECT id, indicator, type, kind, reason, contact, filed_by, filed_at, status, decided_by, decided_at, note,
           corrected_version, corrected_at FROM disputes )sql";

Dispute dispute_from_row(const PGresult* result, int row) {
  Dispute dispute;
  dispute.id = integer(result, row, 0);
  dispute.indicator = text(result, row, 1);
  // The CHECK constraints keep these columns to the known words.
  dispute.type = parse_indicator_type(text(result, row, 2)).value_or(IndicatorType::kDomain);
  dispute.kind = parse_dispute_kind(text(result, row, 3)).value_or(DisputeKind::kFalsePositive);
  dispute.reason = text(result, row, 4);
  dispute.contact = text(result, row, 5);
  dispute.filed_by = text(result, row, 6);
  dispute.filed_at = time_from(integer(result, row, 7));
  dispute.status = parse_dispute_status(text(result, row, 8)).value_or(DisputeStatus::kOpen);
  dispute.decided_by = text(result, row, 9);
  dispute.decided_at = optional_time(result, row, 10);
  dispute.note = text(result, row, 11);
  dispute.corrected_version = text(result, row, 12);
  dispute.corrected_at = optional_time(result, row, 13);
  return dispute;
}

constexpr const char* kLogAction =
    "INSERT INTO audit_log (at, actor, action, dispute, indicator, detail) VALUES ($1, $2, $3, $4, $5, $6)";

}  // namespace

std::optional<std::int64_t> PostgresVoteStore::file_dispute(const Dispute& dispute, std::int64_t max_open) {
  std::optional<std::int64_t> id;
  // The write transaction's lock makes the count and the insert one step.
  write_transaction([&] {
    Result open = run(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE filed_by = $2) FROM disputes WHERE indicator = $1 AND status = 'open'",
        {dispute.indicator.c_str(), dispute.filed_by.c_str()});
    // One open dispute a filer, and `max_open` in all, per indicator.
    if (integer(open.get(), 0, 0) >= max_open || integer(open.get(), 0, 1) > 0) return false;
    const std::string type(type_name(dispute.type));
    const std::string kind(kind_name(dispute.kind));
    const std::string filed_at = seconds_text(dispute.filed_at);
    Result inserted = run(R"sql(
        INSERT INTO disputes (indicator, type, kind, reason, contact, filed_by, filed_at, status)
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'open') RETURNING id)sql",
                          {dispute.indicator.c_str(), type.c_str(), kind.c_str(), dispute.reason.c_str(),
                           dispute.contact.c_str(), dispute.filed_by.c_str(), filed_at.c_str()});
    id = integer(inserted.get(), 0, 0);
    const std::string id_text = std::to_string(*id);
    const std::string detail(crowdfeed::describe(dispute.kind));
    run(kLogAction, {filed_at.c_str(), dispute.filed_by.c_str(), "filed", id_text.c_str(), dispute.indicator.c_str(),
                     detail.c_str()});
    return true;
  });
  return id;
}

std::optional<Dispute> PostgresVoteStore::dispute(std::int64_t id) {
  const std::string id_text = std::to_string(id);
  Result found = run(fmt::format("{} WHERE id = $1", kDisputeColumns), {id_text.c_str()});
  if (PQntuples(found.get()) == 0) return std::nullopt;
  return dispute_from_row(found.get(), 0);
}

std::vector<Dispute> PostgresVoteStore::disputes(const DisputeQuery& query) {
  const std::string status = query.status ? std::string(status_name(*query.status)) : std::string();
  const std::string limit = std::to_string(query.limit);
  Result found = run(fmt::format("{} WHERE ($1 = '' OR status = $1) AND ($2 = '' OR indicator = $2) ORDER BY id "
                                 "DESC LIMIT $3",
                                 kDisputeColumns),
                     {status.c_str(), query.indicator.c_str(), limit.c_str()});
  std::vector<Dispute> disputes;
  for (int row = 0; row < PQntuples(found.get()); ++row) disputes.push_back(dispute_from_row(found.get(), row));
  return disputes;
}

bool PostgresVoteStore::decide_dispute(const DisputeDecision& decision) {
  return write_transaction([&] {
    const std::string id = std::to_string(decision.id);
    Result found = run(fmt::format("{} WHERE id = $1 AND status = 'open' FOR UPDATE", kDisputeColumns), {id.c_str()});
    if (PQntuples(found.get()) == 0) return false;
    const Dispute dispute = dispute_from_row(found.get(), 0);
    const std::string at = seconds_text(decision.at);
    run("UPDATE disputes SET status = $2, decided_by = $3, decided_at = $4, note = $5 WHERE id = $1",
        {id.c_str(), decision.accept ? "accepted" : "rejected", decision.moderator.c_str(), at.c_str(),
         decision.note.c_str()});
    std::string detail = decision.note;
    if (decision.accept && dispute.kind == DisputeKind::kFalsePositive) {
      const std::string type(type_name(dispute.type));
      const std::string until = decision.allow_until ? seconds_text(*decision.allow_until) : std::string();
      run(R"sql(
          INSERT INTO allowed VALUES ($1, $2, $3, $4, $5, $6, $7)
          ON CONFLICT (indicator) DO UPDATE SET type = excluded.type, dispute = excluded.dispute,
            added_by = excluded.added_by, added_at = excluded.added_at, reason = excluded.reason,
            expires_at = excluded.expires_at)sql",
          {dispute.indicator.c_str(), type.c_str(), id.c_str(), decision.moderator.c_str(), at.c_str(),
           decision.note.c_str(), decision.allow_until ? until.c_str() : nullptr});
      detail =
          fmt::format("allow-listed{}; {}",
                      decision.allow_until ? " until " + format_iso8601(*decision.allow_until) : "", decision.note);
    } else if (decision.accept) {
      // An allow-list entry of the indicator itself would keep the vote
      // from ever listing it: the accepted dispute ends it.
      Result unallowed = run("DELETE FROM allowed WHERE indicator = $1", {dispute.indicator.c_str()});
      const bool was_allowed = std::string_view(PQcmdTuples(unallowed.get())) != "0";
      add({dispute.indicator, Verdict::kMalicious, decision.moderator, decision.at, dispute.type});
      detail = fmt::format("voted malicious{}; {}", was_allowed ? ", taken off the allow-list" : "", decision.note);
    }
    run(kLogAction, {at.c_str(), decision.moderator.c_str(), decision.accept ? "accepted" : "rejected", id.c_str(),
                     dispute.indicator.c_str(), detail.c_str()});
    return true;
  });
}

std::vector<AllowEntry> PostgresVoteStore::allowed(TimePoint at) {
  const std::string now = seconds_text(at);
  Result found =
      run("SELECT indicator, type, dispute, added_by, added_at, reason, expires_at FROM allowed "
          "WHERE added_at <= $1 AND (expires_at IS NULL OR expires_at > $1) ORDER BY indicator",
          {now.c_str()});
  std::vector<AllowEntry> entries;
  for (int row = 0; row < PQntuples(found.get()); ++row) {
    const PGresult* rows = found.get();
    entries.push_back({text(rows, row, 0), parse_indicator_type(text(rows, row, 1)).value_or(IndicatorType::kDomain),
                       integer(rows, row, 2), text(rows, row, 3), time_from(integer(rows, row, 4)), text(rows, row, 5),
                       optional_time(rows, row, 6)});
  }
  return entries;
}

void PostgresVoteStore::mark_corrected(std::int64_t id, const std::string& version, TimePoint at) {
  write_transaction([&] {
    const std::string id_text = std::to_string(id);
    const std::string when = seconds_text(at);
    Result updated =
        run("UPDATE disputes SET corrected_version = $2, corrected_at = $3 WHERE id = $1 AND corrected_version IS NULL "
            "RETURNING indicator",
            {id_text.c_str(), version.c_str(), when.c_str()});
    if (PQntuples(updated.get()) == 0) return true;
    const std::string indicator = text(updated.get(), 0, 0);
    const std::string detail = fmt::format("published in version {}", version);
    run(kLogAction, {when.c_str(), "publish", "corrected", id_text.c_str(), indicator.c_str(), detail.c_str()});
    return true;
  });
}

std::vector<AuditEvent> PostgresVoteStore::audit_log(std::int64_t after, std::size_t limit) {
  const std::string from = std::to_string(after);
  const std::string count = std::to_string(limit);
  Result found =
      run("SELECT sequence, at, actor, action, dispute, indicator, detail FROM audit_log WHERE sequence > $1 "
          "ORDER BY sequence LIMIT $2",
          {from.c_str(), count.c_str()});
  std::vector<AuditEvent> events;
  for (int row = 0; row < PQntuples(found.get()); ++row) {
    const PGresult* rows = found.get();
    AuditEvent event;
    event.sequence = integer(rows, row, 0);
    event.at = time_from(integer(rows, row, 1));
    event.actor = text(rows, row, 2);
    event.action = text(rows, row, 3);
    if (PQgetisnull(rows, row, 4) == 0) event.dispute = integer(rows, row, 4);
    event.indicator = text(rows, row, 5);
    event.detail = text(rows, row, 6);
    events.push_back(std::move(event));
  }
  return events;
}

DisputeCounts PostgresVoteStore::dispute_counts() {
  DisputeCounts counts;
  Result found = run("SELECT status, COUNT(*) FROM disputes GROUP BY status");
  for (int row = 0; row < PQntuples(found.get()); ++row)
    counts.add(text(found.get(), row, 0), integer(found.get(), row, 1));
  Result corrected = run("SELECT corrected_at - filed_at FROM disputes WHERE corrected_at IS NOT NULL ORDER BY 1");
  for (int row = 0; row < PQntuples(corrected.get()); ++row) {
    counts.seconds_to_correction.push_back(integer(corrected.get(), row, 0));
  }
  return counts;
}

}  // namespace crowdfeed
