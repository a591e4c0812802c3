-- Schema 4 of the SQLite votes store.
-- The voters of the vote API (crowdfeed serve): a name (the voter id
-- its votes carry), a role, and the SHA-256 of its token; the token
-- itself is shown once and never stored.
CREATE TABLE voters (
  name         TEXT PRIMARY KEY,
  role         TEXT NOT NULL CHECK (role = 'voter' OR role = 'trusted'),
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
