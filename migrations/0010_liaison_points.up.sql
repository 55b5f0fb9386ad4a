-- Liaison points (驻点), their host teams and weekly rules.
CREATE TABLE points (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT NOT NULL,
  name VARCHAR(64) NOT NULL,
  address VARCHAR(200) NOT NULL,
  lat DOUBLE NULL,
  lng DOUBLE NULL,
  notes VARCHAR(500) NOT NULL DEFAULT '',
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uk_points_org_name (org_id, name),
  KEY idx_points_active (active, id),
  CONSTRAINT fk_points_org FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE point_hosts (
  point_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  PRIMARY KEY (point_id, account_id),
  KEY idx_point_hosts_account (account_id, point_id),
  CONSTRAINT fk_point_hosts_point FOREIGN KEY (point_id) REFERENCES points (id) ON DELETE CASCADE,
  CONSTRAINT fk_point_hosts_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One weekly rule per point. windows is "09:00-12:00,19:00-21:00".
CREATE TABLE point_schedules (
  point_id BIGINT NOT NULL PRIMARY KEY,
  weekday TINYINT NOT NULL,
  windows VARCHAR(100) NOT NULL,
  slot_minutes INT NOT NULL,
  slot_capacity INT NOT NULL,
  open_days_ahead INT NOT NULL,
  cutoff_hours INT NOT NULL,
  updated_by BIGINT NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  CONSTRAINT fk_point_schedules_point FOREIGN KEY (point_id) REFERENCES points (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
