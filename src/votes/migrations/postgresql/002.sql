-- Schema 2 of the PostgreSQL votes store.
-- The voters with a token, found without reading the anonymous ones
-- (SQLite's schema 6).
CREATE INDEX voters_with_token ON voters (name) WHERE token_sha256 IS NOT NULL;
