-- The cadre side (issue 4): contact details of items recorded by staff, the
-- due time that matters in each state (sorted and filtered on), result photos, and invitations (约请) of departments.

ALTER TABLE requests
  ADD COLUMN contact_name VARCHAR(32) NOT NULL DEFAULT '' AFTER duplicate_of,
  ADD COLUMN contact_phone_enc VARBINARY(255) NULL AFTER contact_name,
  ADD COLUMN contact_phone_hash CHAR(64) NULL AFTER contact_phone_enc,
  -- the due time that matters in the current state (model.Request.Due, written
  -- with every save): submitted → accept due, accepted → resolve due,
  -- long_term → end of the review day; anything else sorts last.
  ADD COLUMN due_at DATETIME(3) NOT NULL DEFAULT '9999-12-31 00:00:00' AFTER resolve_due_at,
  ADD KEY idx_requests_due (org_path, due_at, id),
  ADD KEY idx_requests_open_due (status, due_at, id),
  ADD KEY idx_requests_contact_phone (contact_phone_hash);

UPDATE requests SET due_at = CASE status
    WHEN 'submitted' THEN accept_due_at
    WHEN 'accepted' THEN resolve_due_at
    WHEN 'long_term' THEN COALESCE(TIMESTAMP(review_date, '15:59:59'), resolve_due_at)
    ELSE '9999-12-31 00:00:00' END;

-- Photos attached when an item is closed are told apart from the resident's.
ALTER TABLE request_images
  ADD COLUMN stage VARCHAR(16) NOT NULL DEFAULT 'submit';

CREATE TABLE invitations (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  request_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL,
  inviter_id BIGINT NOT NULL,
  inviter_org_id BIGINT NOT NULL,
  message TEXT NOT NULL,
  due_date CHAR(10) NOT NULL,
  status VARCHAR(16) NOT NULL,
  reply TEXT NULL,
  decline_reason TEXT NULL,
  -- a Tuesday session the department will attend; sessions are another
  -- table (another issue), so no foreign key
  session_id BIGINT NULL,
  answered_by BIGINT NULL,
  answered_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  -- 0 while the department owes an answer (pending, accepted), 1 after
  open_rank TINYINT AS (IF(status IN ('pending', 'accepted'), 0, 1)) STORED,
  -- 1 while open, NULL after: one open invitation per request and department
  open_key TINYINT AS (IF(status IN ('pending', 'accepted'), 1, NULL)) STORED,
  UNIQUE KEY uk_invitations_open (request_id, department_id, open_key),
  KEY idx_invitations_department (department_id, open_rank, due_date, id),
  KEY idx_invitations_request (request_id, id),
  CONSTRAINT fk_invitations_request FOREIGN KEY (request_id) REFERENCES requests (id),
  CONSTRAINT fk_invitations_department FOREIGN KEY (department_id) REFERENCES orgs (id),
  CONSTRAINT fk_invitations_inviter FOREIGN KEY (inviter_id) REFERENCES accounts (id),
  CONSTRAINT fk_invitations_inviter_org FOREIGN KEY (inviter_org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
