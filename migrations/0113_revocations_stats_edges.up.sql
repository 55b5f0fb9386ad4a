-- (1) Revoked logins, so the token check can trust the principal cached in Redis
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

-- (2) Statistics of a period that cuts a month (internal/store/stats.go): the
-- whole months come from the rollups, the edge days from this index — a
-- range of those days alone, holding every column of the figures (those of
-- idx_requests_stats_cover, created_at first), so rows are never read.
ALTER TABLE requests ADD KEY IF NOT EXISTS idx_requests_stats_created (created_at, org_path, status, category_id, source,
  residency, community_id, accepted_at, closed_at, accept_due_at, resolve_due_at, rating, redo_count);
