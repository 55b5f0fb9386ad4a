-- Residents following an item that is not theirs ("我也遇到"), and the
-- residents of items merged into it. One row per item and resident.
CREATE TABLE request_followers (
  request_id BIGINT NOT NULL,
  resident_id BIGINT NOT NULL,
  -- the resident's own item, when it was merged into this one
  via_request_id BIGINT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (request_id, resident_id),
  -- a resident's list, newest first
  KEY idx_request_followers_resident (resident_id, created_at, request_id),
  CONSTRAINT fk_request_followers_request FOREIGN KEY (request_id) REFERENCES requests (id),
  CONSTRAINT fk_request_followers_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
  CONSTRAINT fk_request_followers_via FOREIGN KEY (via_request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Look-alike candidates: the open items of one community, newest first.
ALTER TABLE requests ADD KEY idx_requests_community_open (community_id, status, created_at);
