CREATE TABLE calendar_overrides (
  date CHAR(10) NOT NULL PRIMARY KEY,
  workday TINYINT(1) NOT NULL,
  name VARCHAR(32) NOT NULL DEFAULT '',
  updated_by BIGINT NOT NULL,
  updated_at DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
