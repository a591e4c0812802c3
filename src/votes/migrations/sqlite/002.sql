-- Schema 2 of the SQLite votes store.
-- The indicator's type. Existing votes are on domains. The normalised
-- forms of the types never coincide (a domain has a non-numeric top
-- label and a dot, an IPv6 address a colon, a hash no dot), so the
-- indicator alone still identifies a row. The CHECK is a chain of ORs:
-- SQLite evaluates a text IN list through a temporary index on every
-- insert, which made an import 35 % slower.
ALTER TABLE votes ADD COLUMN type TEXT NOT NULL DEFAULT 'domain'
  CHECK (type = 'domain' OR type = 'ipv4' OR type = 'ipv6' OR type = 'md5' OR type = 'sha1' OR
         type = 'sha256');
