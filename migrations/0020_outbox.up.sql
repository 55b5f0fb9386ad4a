CREATE TABLE outbox (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  dedup_key VARCHAR(128) NOT NULL,
  event VARCHAR(48) NOT NULL,
  recipient_kind VARCHAR(16) NOT NULL,
  recipient_id BIGINT NOT NULL,
  page VARCHAR(255) NOT NULL DEFAULT '',
  data TEXT NOT NULL,
  state VARCHAR(16) NOT NULL DEFAULT 'pending',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL,
  last_error VARCHAR(255) NOT NULL DEFAULT '',
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  sent_at DATETIME(3) NULL,
  UNIQUE KEY uk_outbox_dedup (dedup_key),
  KEY idx_outbox_due (state, next_attempt_at),
  KEY idx_outbox_recipient (recipient_kind, recipient_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
