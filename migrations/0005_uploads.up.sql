-- Images, re-encoded without metadata; the bytes live under ZL_DATA_DIR.
CREATE TABLE uploads (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  owner_kind VARCHAR(16) NOT NULL,
  owner_id BIGINT NULL,
  sha256 CHAR(64) NOT NULL,
  size BIGINT NOT NULL,
  mime VARCHAR(32) NOT NULL,
  width INT NOT NULL,
  height INT NOT NULL,
  storage_key VARCHAR(128) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_uploads_storage_key (storage_key),
  KEY idx_uploads_owner (owner_kind, owner_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
