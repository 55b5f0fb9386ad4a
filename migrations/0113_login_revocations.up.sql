-- Revoked logins, so the token check can trust the principal cached in Redis
-- without reading the login row on every request (README "Performance").
-- Every statement that deletes a login row before its expiry (logout,
-- disable, password change or reset, role or org change, org deactivation)
-- writes here in the same transaction; each instance re-reads the rows of the
-- last minutes every fraction of a second and refuses a cached principal of a
-- (token_hash, generation) listed here. created_at is the database's clock,
-- so every instance reads the same window. Purged with the expired logins.
CREATE TABLE IF NOT EXISTS login_revocations (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash  CHAR(64) NOT NULL,
  generation  BIGINT NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY idx_login_revocations_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
