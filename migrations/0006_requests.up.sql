CREATE TABLE requests (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  number VARCHAR(24) NOT NULL,
  resident_id BIGINT NULL,
  source VARCHAR(16) NOT NULL,
  category_id BIGINT NOT NULL,
  content TEXT NOT NULL,
  community_id BIGINT NOT NULL,
  handling_org_id BIGINT NOT NULL,
  org_path VARCHAR(255) NOT NULL,
  assignee_id BIGINT NULL,
  residency VARCHAR(16) NULL,
  address VARCHAR(200) NOT NULL DEFAULT '',
  lat DECIMAL(9,6) NULL,
  lng DECIMAL(9,6) NULL,
  status VARCHAR(16) NOT NULL,
  accept_due_at DATETIME(3) NOT NULL,
  resolve_due_at DATETIME(3) NOT NULL,
  accepted_at DATETIME(3) NULL,
  closed_at DATETIME(3) NULL,
  rejected_at DATETIME(3) NULL,
  withdrawn_at DATETIME(3) NULL,
  parked_at DATETIME(3) NULL,
  review_date CHAR(10) NULL,
  result TEXT NULL,
  rating TINYINT NULL,
  rating_comment VARCHAR(500) NOT NULL DEFAULT '',
  rated_at DATETIME(3) NULL,
  redo_count INT NOT NULL DEFAULT 0,
  flagged_for_review TINYINT(1) NOT NULL DEFAULT 0,
  flag_reason VARCHAR(32) NOT NULL DEFAULT '',
  session_id BIGINT NULL,
  duplicate_of BIGINT NULL,
  anonymized_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_requests_number (number),
  -- a resident's own list, newest first, optionally by status
  KEY idx_requests_resident (resident_id, id),
  KEY idx_requests_resident_status (resident_id, status, id),
  -- the cadre inbox: status, then the jurisdiction's path range, then due time
  KEY idx_requests_inbox (status, org_path, resolve_due_at, id),
  KEY idx_requests_accept_due (status, org_path, accept_due_at, id),
  -- statistics over a subtree and a period (covering the usual splits)
  KEY idx_requests_stats (org_path, created_at, status, category_id, source, residency),
  KEY idx_requests_assignee (assignee_id, status),
  KEY idx_requests_community (community_id, created_at),
  KEY idx_requests_session (session_id),
  KEY idx_requests_flagged (flagged_for_review, org_path),
  CONSTRAINT fk_requests_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
  CONSTRAINT fk_requests_category FOREIGN KEY (category_id) REFERENCES categories (id),
  CONSTRAINT fk_requests_community FOREIGN KEY (community_id) REFERENCES orgs (id),
  CONSTRAINT fk_requests_handling_org FOREIGN KEY (handling_org_id) REFERENCES orgs (id),
  CONSTRAINT fk_requests_assignee FOREIGN KEY (assignee_id) REFERENCES accounts (id),
  CONSTRAINT fk_requests_duplicate FOREIGN KEY (duplicate_of) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The timeline: one immutable row per step.
CREATE TABLE request_events (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  request_id BIGINT NOT NULL,
  action VARCHAR(16) NOT NULL,
  from_status VARCHAR(16) NOT NULL DEFAULT '',
  to_status VARCHAR(16) NOT NULL,
  note TEXT NULL,
  visibility VARCHAR(8) NOT NULL,
  actor_kind VARCHAR(16) NOT NULL DEFAULT '',
  actor_id BIGINT NULL,
  actor_name VARCHAR(64) NOT NULL DEFAULT '',
  detail VARCHAR(255) NOT NULL DEFAULT '',
  at DATETIME(3) NOT NULL,
  KEY idx_request_events_request (request_id, visibility, id),
  KEY idx_request_events_at (at),
  CONSTRAINT fk_request_events_request FOREIGN KEY (request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Photos of a request; an upload belongs to at most one request.
CREATE TABLE request_images (
  request_id BIGINT NOT NULL,
  upload_id BIGINT NOT NULL,
  position INT NOT NULL,
  PRIMARY KEY (request_id, upload_id),
  UNIQUE KEY uk_request_images_upload (upload_id),
  CONSTRAINT fk_request_images_request FOREIGN KEY (request_id) REFERENCES requests (id),
  CONSTRAINT fk_request_images_upload FOREIGN KEY (upload_id) REFERENCES uploads (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per-day sequence for human numbers (ZL20261127-000123), bumped in the
-- submitting transaction under the row lock.
CREATE TABLE request_counters (
  day CHAR(8) NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
