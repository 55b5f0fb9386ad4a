-- Liaison sessions (one per point and business date), their slots and bookings.
CREATE TABLE liaison_sessions (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  point_id BIGINT NOT NULL,
  date CHAR(10) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  windows VARCHAR(100) NOT NULL,
  starts_at DATETIME(3) NOT NULL,
  ends_at DATETIME(3) NOT NULL,
  reason VARCHAR(200) NOT NULL DEFAULT '',
  cancel_reason VARCHAR(200) NOT NULL DEFAULT '',
  cancelled_at DATETIME(3) NULL,
  cancelled_by BIGINT NULL,
  summary TEXT NULL,
  closed_at DATETIME(3) NULL,
  closed_by BIGINT NULL,
  attendees INT NULL,
  no_shows INT NULL,
  -- Filled in from session-sourced requests once walk-in items exist.
  collected INT NULL,
  solved_on_spot INT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_liaison_sessions_point_date (point_id, date),
  KEY idx_liaison_sessions_date (date, id),
  KEY idx_liaison_sessions_ends (status, ends_at),
  CONSTRAINT fk_liaison_sessions_point FOREIGN KEY (point_id) REFERENCES points (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- booked counts every booking of the slot that is not cancelled; the CHECK is
-- the last line of defence behind the guarded UPDATE.
CREATE TABLE slots (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  session_id BIGINT NOT NULL,
  start_at DATETIME(3) NOT NULL,
  end_at DATETIME(3) NOT NULL,
  closes_at DATETIME(3) NOT NULL,
  capacity INT NOT NULL,
  booked INT NOT NULL DEFAULT 0,
  withdrawn TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_slots_session_start (session_id, start_at),
  CONSTRAINT ck_slots_booked CHECK (booked >= 0 AND booked <= capacity),
  CONSTRAINT fk_slots_session FOREIGN KEY (session_id) REFERENCES liaison_sessions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- active_key is set while a booking is not cancelled: one such booking per
-- resident per session. request_id links a request (诉求); its foreign key is
-- added once the requests table exists.
CREATE TABLE bookings (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  resident_id BIGINT NOT NULL,
  slot_id BIGINT NOT NULL,
  session_id BIGINT NOT NULL,
  point_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  code CHAR(6) NOT NULL,
  topic VARCHAR(200) NOT NULL DEFAULT '',
  request_id BIGINT NULL,
  starts_at DATETIME(3) NOT NULL,
  closes_at DATETIME(3) NOT NULL,
  active_key VARCHAR(48) AS (IF(status <> 'cancelled', CONCAT(resident_id, ':', session_id), NULL)) STORED,
  cancelled_at DATETIME(3) NULL,
  cancel_reason VARCHAR(200) NOT NULL DEFAULT '',
  checked_in_at DATETIME(3) NULL,
  checked_in_by BIGINT NULL,
  no_show_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_bookings_active (active_key),
  UNIQUE KEY uk_bookings_session_code (session_id, code),
  KEY idx_bookings_resident (resident_id, id),
  KEY idx_bookings_resident_future (resident_id, status, starts_at),
  KEY idx_bookings_slot (slot_id, status),
  KEY idx_bookings_session (session_id, status),
  KEY idx_bookings_request (request_id),
  KEY idx_bookings_status_start (status, starts_at),
  CONSTRAINT fk_bookings_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
  CONSTRAINT fk_bookings_slot FOREIGN KEY (slot_id) REFERENCES slots (id),
  CONSTRAINT fk_bookings_session FOREIGN KEY (session_id) REFERENCES liaison_sessions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Idempotency-Key of a POST: the same key from the same subject gets the same
-- result. request_hash detects a key reused for a different body.
CREATE TABLE idempotency_keys (
  scope VARCHAR(32) NOT NULL,
  subject_id BIGINT NOT NULL,
  idem_key VARCHAR(64) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  result_id BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (scope, subject_id, idem_key),
  KEY idx_idempotency_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
