-- Hot topics of large areas (the city, districts), computed by the daily
-- job and read by GET /work/topics: one row per org and period.
CREATE TABLE topic_snapshots (
  org_id BIGINT NOT NULL,
  period VARCHAR(8) NOT NULL,
  from_at DATETIME(3) NOT NULL,
  to_at DATETIME(3) NOT NULL,
  items INT NOT NULL,
  body MEDIUMTEXT NOT NULL,
  computed_at DATETIME(3) NOT NULL,
  PRIMARY KEY (org_id, period),
  CONSTRAINT fk_topic_snapshots_org FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
