-- Schema 4 of the PostgreSQL votes store (SQLite's schema 8).
-- Readers among the voters: a reader's token reads the TAXII collections
-- of crowdfeed serve and casts no vote.
ALTER TABLE voters DROP CONSTRAINT voters_role_check;
ALTER TABLE voters ADD CONSTRAINT voters_role_check
  CHECK (role IN ('voter', 'trusted', 'moderator', 'reader', 'anonymous'));
