-- Open311 GeoReport v2 (issue 19): integrators and their API keys, service
-- definitions (extra attributes of a category), and what an item filed
-- through Open311 carries beyond the request itself.

-- A system that files items through Open311 (a hotline platform, a city app).
CREATE TABLE integrators (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  contact VARCHAR(200) NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_integrators_name (name),
  CONSTRAINT fk_integrators_created_by FOREIGN KEY (created_by) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An API key of an integrator: only the SHA-256 of the key is stored; the key
-- itself is shown once, when it is issued. org_id is the key's scope (where
-- its items may be routed), rate_per_minute its limit.
CREATE TABLE api_keys (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  integrator_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL,
  rate_per_minute INT NOT NULL,
  prefix VARCHAR(16) NOT NULL,
  key_hash CHAR(64) NOT NULL,
  note VARCHAR(200) NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  revoked_at DATETIME(3) NULL,
  revoked_by BIGINT NULL,
  last_used_at DATETIME(3) NULL,
  UNIQUE KEY uk_api_keys_hash (key_hash),
  KEY idx_api_keys_integrator (integrator_id, id),
  CONSTRAINT fk_api_keys_integrator FOREIGN KEY (integrator_id) REFERENCES integrators (id),
  CONSTRAINT fk_api_keys_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT fk_api_keys_created_by FOREIGN KEY (created_by) REFERENCES accounts (id),
  CONSTRAINT fk_api_keys_revoked_by FOREIGN KEY (revoked_by) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The service definition of a category: its extra attributes, in order.
-- values_json holds the choices of list attributes ([{"key","name"}]).
CREATE TABLE service_attributes (
  category_id BIGINT NOT NULL,
  code VARCHAR(32) NOT NULL,
  position INT NOT NULL,
  variable TINYINT(1) NOT NULL DEFAULT 1,
  datatype VARCHAR(16) NOT NULL,
  required TINYINT(1) NOT NULL DEFAULT 0,
  description VARCHAR(200) NOT NULL,
  datatype_description VARCHAR(200) NOT NULL DEFAULT '',
  values_json TEXT NULL,
  PRIMARY KEY (category_id, code),
  KEY idx_service_attributes_order (category_id, position),
  CONSTRAINT fk_service_attributes_category FOREIGN KEY (category_id) REFERENCES categories (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What an item filed through Open311 carries beyond the request: the
-- integrator and key that filed it, the media URL and address id it came with.
CREATE TABLE open311_requests (
  request_id BIGINT NOT NULL PRIMARY KEY,
  integrator_id BIGINT NOT NULL,
  api_key_id BIGINT NOT NULL,
  media_url VARCHAR(1024) NULL,
  address_id VARCHAR(64) NOT NULL DEFAULT '',
  created_at DATETIME(3) NOT NULL,
  KEY idx_open311_requests_integrator (integrator_id, request_id),
  CONSTRAINT fk_open311_requests_request FOREIGN KEY (request_id) REFERENCES requests (id),
  CONSTRAINT fk_open311_requests_integrator FOREIGN KEY (integrator_id) REFERENCES integrators (id),
  CONSTRAINT fk_open311_requests_key FOREIGN KEY (api_key_id) REFERENCES api_keys (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- GET requests.{format}: a window of requested_datetime, newest first.
ALTER TABLE requests ADD KEY idx_requests_created (created_at, id);
