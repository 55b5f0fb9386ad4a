-- A sign-in is a "login", never a "session" (that word is the Tuesday liaison
-- session's). Each login row gets a generation, drawn at random whenever the
-- row is written: a principal cached in Redis is used only while it carries
-- the generation of the live row, so a failed cache delete cannot bring a
-- revoked token back.
RENAME TABLE sessions TO logins;
ALTER TABLE logins
  ADD COLUMN generation BIGINT NOT NULL DEFAULT 0 AFTER ip,
  RENAME INDEX idx_sessions_subject TO idx_logins_subject,
  RENAME INDEX idx_sessions_expires TO idx_logins_expires;
