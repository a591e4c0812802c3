-- Schema 8 of the SQLite votes store.
-- Readers among the voters: a reader's token reads the TAXII collections
-- of crowdfeed serve and casts no vote.
CREATE TABLE voters_8 (
  name         TEXT PRIMARY KEY,
  role         TEXT NOT NULL CHECK (role IN ('voter', 'trusted', 'moderator', 'reader', 'anonymous')),
  token_sha256 TEXT UNIQUE CHECK ((token_sha256 IS NULL) = (role = 'anonymous')),
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
INSERT INTO voters_8 SELECT name, role, token_sha256, created_at, revoked_at FROM voters;
DROP TABLE voters;
ALTER TABLE voters_8 RENAME TO voters;
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
