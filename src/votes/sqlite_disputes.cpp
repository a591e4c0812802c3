// The SQLite store's disputes, allow-list and audit log (schema 7).
#include <fmt/format.h>

#include "util/error.h"
#include "votes/sqlite_rows.h"
#include "votes/sqlite_store.h"

namespace crowdfeed {
namespace {

using namespace sqlite_rows;

std::optional<TimePoint> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return time_from(column.getInt64());
}

void bind_time(SQLite::Statement& statement, int index, const std::optional<TimePoint>& time) {
  if (time) {
    statement.bind(index, seconds(*time));
  } else {
    statement.bind(index);
  }
}

constexpr const char* kDisputeColumns = R"sql(
    SELECT id, indicator, type, kind, reason, contact, filed_by, filed_at, status, decided_by, decided_at, note,
           corrected_version, corrected_at FROM disputes )sql";

Dispute dispute_from_row(SQLite::Statement& row) {
  Dispute dispute;
  dispute.id = row.getColumn(0).getInt64();
  dispute.indicator = row.getColumn(1).getString();
  // The CHECK constraints keep these columns to the known words.
  dispute.type = parse_indicator_type(row.getColumn(2).getString()).value_or(IndicatorType::kDomain);
  dispute.kind = parse_dispute_kind(row.getColumn(3).getString()).value_or(DisputeKind::kFalsePositive);
  dispute.reason = row.getColumn(4).getString();
  dispute.contact = row.getColumn(5).getString();
  dispute.filed_by = row.getColumn(6).getString();
  dispute.filed_at = time_from(row.getColumn(7).getInt64());
  dispute.status = parse_dispute_status(row.getColumn(8).getString()).value_or(DisputeStatus::kOpen);
  dispute.decided_by = row.getColumn(9).getString();
  dispute.decided_at = optional_time(row.getColumn(10));
  dispute.note = row.getColumn(11).getString();
  dispute.corrected_version = row.getColumn(12).getString();
  dispute.corrected_at = optional_time(row.getColumn(13));
  return dispute;
}

void log_action(SQLite::Database& database, TimePoint at, const std::string& actor, std::string_view action,
                std::optional<std::int64_t> dispute, const std::string& indicator, const std::string& detail) {
  SQLite::Statement insert(database,
                           "INSERT INTO audit_log (at, actor, action, dispute, indicator, detail) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, seconds(at));
  insert.bind(2, actor);
  insert.bind(3, std::string(action));
  if (dispute) {
    insert.bind(4, *dispute);
  } else {
    insert.bind(4);
  }
  insert.bind(5, indicator);
  insert.bind(6, detail);
  insert.exec();
}

}  // namespace

std::optional<std::int64_t> SqliteVoteStore::file_dispute(const Dispute& dispute, std::int64_t max_open) {
  return guarded("filing a dispute", [&]() -> std::optional<std::int64_t> {
    SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement open(*database_,
                           "SELECT COUNT(*), COUNT(*) FILTER (WHERE filed_by = ?2) FROM disputes "
                           "WHERE indicator = ?1 AND status = 'open'");
    open.bind(1, dispute.indicator);
    open.bind(2, dispute.filed_by);
    open.executeStep();
    // One open dispute a filer, and `max_open` in all, per indicator.
    if (open.getColumn(0).getInt64() >= max_open || open.getColumn(1).getInt64() > 0) return std::nullopt;
    SQLite::Statement insert(*database_, R"sql(
        INSERT INTO disputes (indicator, type, kind, reason, contact, filed_by, filed_at, status)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open'))sql");
    insert.bind(1, dispute.indicator);
    insert.bind(2, std::string(type_name(dispute.type)));
    insert.bind(3, std::string(kind_name(dispute.kind)));
    insert.bind(4, dispute.reason);
    insert.bind(5, dispute.contact);
    insert.bind(6, dispute.filed_by);
    insert.bind(7, seconds(dispute.filed_at));
    insert.exec();
    std::int64_t id = database_->getLastInsertRowid();
    log_action(*database_, dispute.filed_at, dispute.filed_by, "filed", id, dispute.indicator,
               std::string(crowdfeed::describe(dispute.kind)));
    transaction.commit();
    return id;
  });
}

std::optional<Dispute> SqliteVoteStore::dispute(std::int64_t id) {
  return guarded("reading a dispute", [&]() -> std::optional<Dispute> {
    Prepared prepared_query = prepared(fmt::format("{} WHERE id = ?1", kDisputeColumns));
    SQLite::Statement& query = *prepared_query;
    query.bind(1, id);
    if (!query.executeStep()) return std::nullopt;
    return dispute_from_row(query);
  });
}

std::vector<Dispute> SqliteVoteStore::disputes(const DisputeQuery& selection) {
  return guarded("reading the disputes", [&]() -> std::vector<Dispute> {
    Prepared prepared_query =
        prepared(fmt::format("{} WHERE (?1 IS NULL OR status = ?1) AND (?2 = '' OR indicator = "
                             "?2) ORDER BY id DESC LIMIT ?3",
                             kDisputeColumns));
    SQLite::Statement& query = *prepared_query;
    if (selection.status) {
      query.bind(1, std::string(status_name(*selection.status)));
    } else {
      query.bind(1);
    }
    query.bind(2, selection.indicator);
    query.bind(3, static_cast<std::int64_t>(selection.limit));
    std::vector<Dispute> found;
    while (query.executeStep()) found.push_back(dispute_from_row(query));
    return found;
  });
}

bool SqliteVoteStore::decide_dispute(const DisputeDecision& decision) {
  return guarded("deciding a dispute", [&]() -> bool {
    SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement query(*database_, fmt::format("{} WHERE id = ?1 AND status = 'open'", kDisputeColumns));
    query.bind(1, decision.id);
    if (!query.executeStep()) return false;
    const Dispute dispute = dispute_from_row(query);
    query.reset();
    SQLite::Statement update(
        *database_, "UPDATE disputes SET status = ?2, decided_by = ?3, decided_at = ?4, note = ?5 WHERE id = ?1");
    update.bind(1, decision.id);
    update.bind(2, decision.accept ? "accepted" : "rejected");
    update.bind(3, decision.moderator);
    update.bind(4, seconds(decision.at));
    update.bind(5, decision.note);
    update.exec();
    std::string detail = decision.note;
    if (decision.accept && dispute.kind == DisputeKind::kFalsePositive) {
      SQLite::Statement allow(*database_, R"sql(
          INSERT INTO allowed VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
          ON CONFLICT (indicator) DO UPDATE SET type = excluded.type, dispute = excluded.dispute,
            added_by = excluded.added_by, added_at = excluded.added_at, reason = excluded.reason,
            expires_at = excluded.expires_at)sql");
      allow.bind(1, dispute.indicator);
      allow.bind(2, std::string(type_name(dispute.type)));
      allow.bind(3, dispute.id);
      allow.bind(4, decision.moderator);
      allow.bind(5, seconds(decision.at));
      allow.bind(6, decision.note);
      bind_time(allow, 7, decision.allow_until);
      allow.exec();
      detail =
          fmt::format("allow-listed{}; {}",
                      decision.allow_until ? " until " + format_iso8601(*decision.allow_until) : "", decision.note);
    } else if (decision.accept) {
      // An allow-list entry of the indicator itself would keep the vote
      // from ever listing it: the accepted dispute ends it.
      SQLite::Statement unallow(*database_, "DELETE FROM allowed WHERE indicator = ?1");
      unallow.bind(1, dispute.indicator);
      const bool was_allowed = unallow.exec() > 0;
      add({dispute.indicator, Verdict::kMalicious, decision.moderator, decision.at, dispute.type});
      detail = fmt::format("voted malicious{}; {}", was_allowed ? ", taken off the allow-list" : "", decision.note);
    }
    log_action(*database_, decision.at, decision.moderator, decision.accept ? "accepted" : "rejected", dispute.id,
               dispute.indicator, detail);
    transaction.commit();
    return true;
  });
}

std::vector<AllowEntry> SqliteVoteStore::allowed(TimePoint at) {
  return guarded("reading the allow-list", [&]() -> std::vector<AllowEntry> {
    Prepared prepared_query = prepared(
        "SELECT indicator, type, dispute, added_by, added_at, reason, expires_at FROM allowed "
        "WHERE added_at <= ?1 AND (expires_at IS NULL OR expires_at > ?1) ORDER BY indicator");
    SQLite::Statement& query = *prepared_query;
    query.bind(1, seconds(at));
    std::vector<AllowEntry> entries;
    while (query.executeStep()) {
      entries.push_back({query.getColumn(0).getString(),
                         parse_indicator_type(query.getColumn(1).getString()).value_or(IndicatorType::kDomain),
                         query.getColumn(2).getInt64(), query.getColumn(3).getString(),
                         time_from(query.getColumn(4).getInt64()), query.getColumn(5).getString(),
                         optional_time(query.getColumn(6))});
    }
    return entries;
  });
}

void SqliteVoteStore::mark_corrected(std::int64_t id, const std::string& version, TimePoint at) {
  return guarded("recording a dispute's correction", [&]() -> void {
    SQLite::Transaction transaction(*database_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement update(*database_,
                             "UPDATE disputes SET corrected_version = ?2, corrected_at = ?3 "
                             "WHERE id = ?1 AND corrected_version IS NULL RETURNING indicator");
    update.bind(1, id);
    update.bind(2, version);
    update.bind(3, seconds(at));
    if (!update.executeStep()) return;
    std::string indicator = update.getColumn(0).getString();
    update.reset();
    log_action(*database_, at, "publish", "corrected", id, indicator, fmt::format("published in version {}", version));
    transaction.commit();
  });
}

std::vector<AuditEvent> SqliteVoteStore::audit_log(std::int64_t after, std::size_t limit) {
  return guarded("reading the audit log", [&]() -> std::vector<AuditEvent> {
    SQLite::Statement query(*database_,
                            "SELECT sequence, at, actor, action, dispute, indicator, detail FROM audit_log "
                            "WHERE sequence > ?1 ORDER BY sequence LIMIT ?2");
    query.bind(1, after);
    query.bind(2, static_cast<std::int64_t>(limit));
    std::vector<AuditEvent> events;
    while (query.executeStep()) {
      AuditEvent event;
      event.sequence = query.getColumn(0).getInt64();
      event.at = time_from(query.getColumn(1).getInt64());
      event.actor = query.getColumn(2).getString();
      event.action = query.getColumn(3).getString();
      if (!query.getColumn(4).isNull()) event.dispute = query.getColumn(4).getInt64();
      event.indicator = query.getColumn(5).getString();
      event.detail = query.getColumn(6).getString();
      events.push_back(std::move(event));
    }
    return events;
  });
}

DisputeCounts SqliteVoteStore::dispute_counts() {
  return guarded("counting the disputes", [&]() -> DisputeCounts {
    DisputeCounts counts;
    Prepared prepared_query = prepared("SELECT status, COUNT(*) FROM disputes GROUP BY status");
    SQLite::Statement& query = *prepared_query;
    while (query.executeStep()) counts.add(query.getColumn(0).getString(), query.getColumn(1).getInt64());
    SQLite::Statement corrected(
        *database_, "SELECT corrected_at - filed_at FROM disputes WHERE corrected_at IS NOT NULL ORDER BY 1");
    while (corrected.executeStep()) counts.seconds_to_correction.push_back(corrected.getColumn(0).getInt64());
    return counts;
  });
}

}  // namespace crowdfeed
