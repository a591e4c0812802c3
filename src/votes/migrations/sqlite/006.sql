-- Schema 6 of the SQLite votes store.
-- The voters with a token, found without reading the anonymous ones:
-- the vote server reads them every second, and anonymous voters may be
-- millions.
CREATE INDEX voters_with_token ON voters (name) WHERE token_sha256 IS NOT NULL;
