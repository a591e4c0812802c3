-- Schema 7 of the SQLite votes store.
-- Disputes and their moderation: moderators among the voters (they weigh
-- as trusted voters do, and decide disputes), the disputes with their
-- outcome, the allow-list that accepted false-positive disputes make (the
-- hourly run reads it as a trusted whitelist source), and an append-only
-- audit log of every action.
CREATE TABLE voters_7 (
  name         TEXT PRIMARY KEY,
  role         TEXT NOT NULL CHECK (role IN ('voter', 'trusted', 'moderator', 'anonymous')),
  token_sha256 TEXT UNIQUE CHECK ((token_sha256 IS NULL) = (role = 'anonymous')),
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
INSERT INTO voters_7 SELECT name, role, token_sha256, created_at, revoked_at FROM voters;
DROP TABLE voters;
ALTER TABLE voters_7 RENAME TO voters;
CREATE INDEX voters_by_created_at ON voters (created_at);
CREATE INDEX voters_revoked ON voters (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX voters_trusted ON voters (role) WHERE role IN ('trusted', 'moderator');
CREATE INDEX voters_with_token ON voters (name) WHERE token_sha256 IS NOT NULL;
CREATE TRIGGER voters_insert_changed AFTER INSERT ON voters
BEGIN{mark_changed}
END;
CREATE TRIGGER voters_update_changed AFTER UPDATE ON voters
BEGIN{mark_changed}
END;
CREATE TRIGGER voters_delete_changed AFTER DELETE ON voters
BEGIN{mark_changed}
END;

CREATE TABLE disputes (
  id                INTEGER PRIMARY KEY,
  indicator         TEXT NOT NULL,
  type              TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('false_positive', 'false_negative')),
  reason            TEXT NOT NULL,
  contact           TEXT NOT NULL,
  filed_by          TEXT NOT NULL,
  filed_at          INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
  decided_by        TEXT,
  decided_at        INTEGER,
  note              TEXT NOT NULL DEFAULT '',
  corrected_version TEXT,
  corrected_at      INTEGER
);
CREATE INDEX disputes_by_indicator ON disputes (indicator, status);
CREATE INDEX disputes_by_status ON disputes (status, id);

CREATE TABLE allowed (
  indicator  TEXT PRIMARY KEY,
  type       TEXT NOT NULL,
  dispute    INTEGER NOT NULL,
  added_by   TEXT NOT NULL,
  added_at   INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  expires_at INTEGER
);

CREATE TABLE audit_log (
  sequence  INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  dispute   INTEGER,
  indicator TEXT NOT NULL,
  detail    TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
