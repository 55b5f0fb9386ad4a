-- First responses to POSTs with an Idempotency-Key: the unique key decides
-- whether a retry is a replay; Redis never does.
CREATE TABLE idempotency_records (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  subject_kind VARCHAR(16) NOT NULL,
  subject_id BIGINT NOT NULL,
  scope VARCHAR(32) NOT NULL,
  idem_key VARCHAR(64) NOT NULL,
  body_hash CHAR(64) NOT NULL,
  status INT NOT NULL DEFAULT 0,
  response MEDIUMBLOB NULL,
  target_id BIGINT NULL,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_idempotency_key (subject_kind, subject_id, scope, idem_key),
  KEY idx_idempotency_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
