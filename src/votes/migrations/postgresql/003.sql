-- Schema 3 of the PostgreSQL votes store (SQLite's schema 7).
-- Disputes and their moderation: moderators among the voters (they weigh
-- as trusted voters do, and decide disputes), the disputes with their
-- outcome, the allow-list that accepted false-positive disputes make (the
-- hourly run reads it as a trusted whitelist source), and an append-only
-- audit log of every action.
ALTER TABLE voters DROP CONSTRAINT voters_role_check;
ALTER TABLE voters ADD CONSTRAINT voters_role_check CHECK (role IN ('voter', 'trusted', 'moderator', 'anonymous'));
DROP INDEX voters_trusted;
CREATE INDEX voters_trusted ON voters (role) WHERE role IN ('trusted', 'moderator');

CREATE TABLE disputes (
  id                BIGSERIAL PRIMARY KEY,
  indicator         TEXT COLLATE "C" NOT NULL,
  type              TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('false_positive', 'false_negative')),
  reason            TEXT NOT NULL,
  contact           TEXT NOT NULL,
  filed_by          TEXT NOT NULL,
  filed_at          BIGINT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
  decided_by        TEXT,
  decided_at        BIGINT,
  note              TEXT NOT NULL DEFAULT '',
  corrected_version TEXT,
  corrected_at      BIGINT
);
CREATE INDEX disputes_by_indicator ON disputes (indicator, status);
CREATE INDEX disputes_by_status ON disputes (status, id);

CREATE TABLE allowed (
  indicator  TEXT COLLATE "C" PRIMARY KEY,
  type       TEXT NOT NULL,
  dispute    BIGINT NOT NULL,
  added_by   TEXT NOT NULL,
  added_at   BIGINT NOT NULL,
  reason     TEXT NOT NULL,
  expires_at BIGINT
);

CREATE TABLE audit_log (
  sequence  BIGSERIAL PRIMARY KEY,
  at        BIGINT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  dispute   BIGINT,
  indicator TEXT NOT NULL,
  detail    TEXT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
