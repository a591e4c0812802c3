-- Schema 5 of the SQLite votes store.
-- Anonymous voters (a keyed hash of an address) in the voters table,
-- without a token, from their first vote on, so that the policy's
-- probation applies to them too; the voters by age, for the run to find
-- those in probation; and a change to a voter (added, revoked) marks
-- the tallies changed, as a vote does, since it changes what counts.
CREATE TABLE voters_5 (
  name         TEXT PRIMARY KEY,
  role         TEXT NOT NULL CHECK (role = 'voter' OR role = 'trusted' OR role = 'anonymous'),
  token_sha256 TEXT UNIQUE CHECK ((token_sha256 IS NULL) = (role = 'anonymous')),
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
INSERT INTO voters_5 SELECT name, role, token_sha256, created_at, revoked_at FROM voters;
DROP TABLE voters;
ALTER TABLE voters_5 RENAME TO voters;
-- The anonymous voters whose votes an earlier release stored, first
-- seen at their first vote, as the vote server records them now.
INSERT INTO voters
  SELECT voter, 'anonymous', NULL, MIN(cast_at), NULL FROM votes
  WHERE substr(voter, 1, 10) = 'anonymous:' GROUP BY voter;
-- The voters a run weighs (see weigh()), each found through an index.
CREATE INDEX voters_by_created_at ON voters (created_at);
CREATE INDEX voters_revoked ON voters (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX voters_trusted ON voters (role) WHERE role = 'trusted';
-- A vote given to another voter may weigh otherwise.
CREATE TRIGGER votes_update_voter AFTER UPDATE OF voter ON votes
BEGIN{mark_changed}
END;
CREATE TRIGGER voters_insert_changed AFTER INSERT ON voters
BEGIN{mark_changed}
END;
CREATE TRIGGER voters_update_changed AFTER UPDATE ON voters
BEGIN{mark_changed}
END;
CREATE TRIGGER voters_delete_changed AFTER DELETE ON voters
BEGIN{mark_changed}
END;
