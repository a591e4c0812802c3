-- Schema 1 of the SQLite votes store.
-- One row per voter per domain. verdict uses the vote API's values
-- (0 malicious, 1 non-malicious); cast_at is Unix seconds, UTC.
CREATE TABLE votes (
  indicator TEXT NOT NULL,
  voter     TEXT NOT NULL,
  verdict   INTEGER NOT NULL CHECK (verdict IN (0, 1)),
  cast_at   INTEGER NOT NULL,
  PRIMARY KEY (indicator, voter)
) WITHOUT ROWID;
