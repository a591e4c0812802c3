-- Schema 3 of the SQLite votes store.
-- Tallies kept current by triggers, so that votes a website writes
-- directly are counted too, and a run reads one row per indicator
-- instead of every vote. `tallies` counts the votes cast at or after
-- tally_state.horizon (the start of the last run's window; the run
-- moves it through votes_by_cast_at). Each run opens a new
-- generation; every change stamps the rows it touches and
-- tally_state.changed with the current one, so a run knows whether
-- anything changed since the last. `instance` tells this database from
-- a restored or re-created one, whose generations start again.
CREATE INDEX votes_by_cast_at ON votes (cast_at);
CREATE TABLE tally_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  instance   TEXT NOT NULL,
  horizon    INTEGER NOT NULL,
  generation INTEGER NOT NULL,
  changed    INTEGER NOT NULL
);
INSERT INTO tally_state VALUES (1, lower(hex(randomblob(16))), -9223372036854775808, 1, 1);
CREATE TABLE tallies (
  indicator     TEXT PRIMARY KEY,
  type          TEXT NOT NULL,
  malicious     INTEGER NOT NULL,
  non_malicious INTEGER NOT NULL,
  first_cast_at INTEGER,
  last_cast_at  INTEGER,
  generation    INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO tallies
  SELECT indicator, MIN(type), SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at), 1
  FROM votes GROUP BY indicator;

CREATE TRIGGER votes_insert_counted AFTER INSERT ON votes
WHEN NEW.cast_at >= (SELECT horizon FROM tally_state)
BEGIN{count_new}
END;

CREATE TRIGGER votes_delete_counted AFTER DELETE ON votes
WHEN OLD.cast_at >= (SELECT horizon FROM tally_state)
BEGIN{uncount_old}
END;

-- A changed vote: the old one leaves its tally, the new one joins
-- its own. Either trigger may fire first; each recomputes an edge
-- time from the table, which already holds the new row.
CREATE TRIGGER votes_update_uncounted AFTER UPDATE OF indicator, verdict, cast_at, type ON votes
WHEN OLD.cast_at >= (SELECT horizon FROM tally_state)
BEGIN{uncount_old}
END;

CREATE TRIGGER votes_update_counted AFTER UPDATE OF indicator, verdict, cast_at, type ON votes
WHEN NEW.cast_at >= (SELECT horizon FROM tally_state)
BEGIN{count_new}
END;
