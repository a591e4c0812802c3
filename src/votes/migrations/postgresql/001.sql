-- Schema 1 of the PostgreSQL votes store.
-- What SQLite's schema 5 holds. The kept tallies count the votes
-- cast since tally_state.horizon; statement triggers (whose transition
-- tables list every row a statement changed) recount the indicators a
-- statement touched, once per statement, so a bulk COPY and INSERT
-- recounts each indicator once. A change stamps tally_state.changed
-- with the current generation, as a vote does in SQLite.
CREATE TABLE votes (
  indicator TEXT COLLATE "C" NOT NULL,
  voter     TEXT COLLATE "C" NOT NULL,
  verdict   SMALLINT NOT NULL CHECK (verdict IN (0, 1)),
  cast_at   BIGINT NOT NULL,
  type      TEXT NOT NULL CHECK (type IN ('domain', 'ipv4', 'ipv6', 'md5', 'sha1', 'sha256')),
  PRIMARY KEY (indicator, voter)
);
CREATE INDEX votes_by_cast_at ON votes (cast_at);
CREATE TABLE tally_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  instance   TEXT NOT NULL,
  horizon    BIGINT NOT NULL,
  generation BIGINT NOT NULL,
  changed    BIGINT NOT NULL
);
INSERT INTO tally_state VALUES (1, md5(random()::text || clock_timestamp()::text), -9223372036854775808, 1, 1);
CREATE TABLE tallies (
  indicator     TEXT COLLATE "C" PRIMARY KEY,
  type          TEXT NOT NULL,
  malicious     BIGINT NOT NULL,
  non_malicious BIGINT NOT NULL,
  first_cast_at BIGINT,
  last_cast_at  BIGINT,
  generation    BIGINT NOT NULL
);
CREATE TABLE voters (
  name         TEXT COLLATE "C" PRIMARY KEY,
  role         TEXT NOT NULL CHECK (role IN ('voter', 'trusted', 'anonymous')),
  token_sha256 TEXT UNIQUE CHECK ((token_sha256 IS NULL) = (role = 'anonymous')),
  created_at   BIGINT NOT NULL,
  revoked_at   BIGINT
);
CREATE INDEX voters_by_created_at ON voters (created_at);
CREATE INDEX voters_revoked ON voters (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX voters_trusted ON voters (role) WHERE role = 'trusted';

-- The tallies of `touched` counted again from their votes.
CREATE FUNCTION crowdfeed_recount(touched TEXT[]) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  state tally_state%ROWTYPE;
BEGIN
  SELECT * INTO state FROM tally_state;
  DELETE FROM tallies WHERE indicator = ANY (touched);
  INSERT INTO tallies
    SELECT indicator, MIN(type), COUNT(*) FILTER (WHERE verdict = 0), COUNT(*) FILTER (WHERE verdict = 1),
           MIN(cast_at), MAX(cast_at), state.generation
    FROM votes WHERE indicator = ANY (touched) AND cast_at >= state.horizon GROUP BY indicator;
END $$;

-- A statement's votes join and leave their tallies by difference, as
-- SQLite's row triggers do: new rows are added, old rows subtracted;
-- only an indicator that lost a vote on one of its edges (its first
-- or last time) is counted again from its votes.
CREATE FUNCTION crowdfeed_votes_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
  state tally_state%ROWTYPE;
  edges TEXT[] := '{}';
  left_votes TEXT[] := '{}';
  touched BOOLEAN := false;
BEGIN
  SELECT * INTO state FROM tally_state;
  IF TG_OP <> 'INSERT' THEN
    edges := ARRAY(SELECT DISTINCT prior.indicator FROM old_votes AS prior JOIN tallies USING (indicator)
                   WHERE prior.cast_at >= state.horizon
                     AND (prior.cast_at <= tallies.first_cast_at OR prior.cast_at >= tallies.last_cast_at
                          OR prior.type <> tallies.type));
    left_votes := ARRAY(SELECT DISTINCT indicator FROM old_votes WHERE cast_at >= state.horizon);
    UPDATE tallies SET malicious = tallies.malicious - gone.malicious,
                       non_malicious = tallies.non_malicious - gone.non_malicious,
                       generation = state.generation
      FROM (SELECT indicator, COUNT(*) FILTER (WHERE verdict = 0) AS malicious,
                   COUNT(*) FILTER (WHERE verdict = 1) AS non_malicious
            FROM old_votes WHERE cast_at >= state.horizon GROUP BY indicator) AS gone
      WHERE tallies.indicator = gone.indicator;
    touched := cardinality(left_votes) > 0;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO tallies
      SELECT indicator, MIN(type), COUNT(*) FILTER (WHERE verdict = 0), COUNT(*) FILTER (WHERE verdict = 1),
             MIN(cast_at), MAX(cast_at), state.generation
      FROM new_votes WHERE cast_at >= state.horizon GROUP BY indicator
    ON CONFLICT (indicator) DO UPDATE SET
      type = LEAST(tallies.type, excluded.type),
      malicious = tallies.malicious + excluded.malicious,
      non_malicious = tallies.non_malicious + excluded.non_malicious,
      first_cast_at = LEAST(tallies.first_cast_at, excluded.first_cast_at),
      last_cast_at = GREATEST(tallies.last_cast_at, excluded.last_cast_at),
      generation = excluded.generation;
    touched := touched OR FOUND;
  END IF;
  IF cardinality(edges) > 0 THEN
    PERFORM crowdfeed_recount(edges);
  END IF;
  IF cardinality(left_votes) > 0 THEN
    DELETE FROM tallies WHERE indicator = ANY (left_votes) AND malicious = 0 AND non_malicious = 0;
  END IF;
  IF touched THEN
    UPDATE tally_state SET changed = generation;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER votes_inserted AFTER INSERT ON votes REFERENCING NEW TABLE AS new_votes
  FOR EACH STATEMENT EXECUTE FUNCTION crowdfeed_votes_changed();
CREATE TRIGGER votes_updated AFTER UPDATE ON votes REFERENCING OLD TABLE AS old_votes NEW TABLE AS new_votes
  FOR EACH STATEMENT EXECUTE FUNCTION crowdfeed_votes_changed();
CREATE TRIGGER votes_deleted AFTER DELETE ON votes REFERENCING OLD TABLE AS old_votes
  FOR EACH STATEMENT EXECUTE FUNCTION crowdfeed_votes_changed();

CREATE FUNCTION crowdfeed_votes_truncated() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM tallies;
  UPDATE tally_state SET changed = generation;
  RETURN NULL;
END $$;
CREATE TRIGGER votes_truncated AFTER TRUNCATE ON votes
  FOR EACH STATEMENT EXECUTE FUNCTION crowdfeed_votes_truncated();

-- A voter added, revoked or removed changes what counts.
CREATE FUNCTION crowdfeed_voters_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tally_state SET changed = generation;
  RETURN NULL;
END $$;
CREATE TRIGGER voters_changed AFTER INSERT OR UPDATE OR DELETE ON voters
  FOR EACH STATEMENT EXECUTE FUNCTION crowdfeed_voters_changed();

-- A run's start (see VoteStore::start_run): the horizon moves to
-- new_horizon, the indicators with votes between the two horizons are
-- recounted, and a new generation opens. Returns the one closed.
CREATE FUNCTION crowdfeed_start_run(new_horizon BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  state tally_state%ROWTYPE;
  touched TEXT[];
BEGIN
  SELECT * INTO state FROM tally_state FOR UPDATE;
  IF new_horizon <> state.horizon THEN
    UPDATE tally_state SET horizon = new_horizon;
    touched := ARRAY(SELECT DISTINCT indicator FROM votes
                     WHERE cast_at >= LEAST(new_horizon, state.horizon)
                       AND cast_at < GREATEST(new_horizon, state.horizon));
    IF cardinality(touched) > 0 THEN
      PERFORM crowdfeed_recount(touched);
      UPDATE tally_state SET changed = generation;
    END IF;
  END IF;
  UPDATE tally_state SET generation = generation + 1;
  RETURN state.generation;
END $$;
