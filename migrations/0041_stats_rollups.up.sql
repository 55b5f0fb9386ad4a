-- Rollups of requests for statistics at city and district level, kept in the
-- same transaction as every request write (internal/store/stats_rollup.go):
-- stats_cube holds the figures by submission month, district, town, category,
-- source, residency and status; stats_days the submission/acceptance/closure
-- day triples by district (durations and the time series). A whole-city year
-- reads some thousands of rows instead of a million index entries.
CREATE TABLE stats_cube (
  ym INT NOT NULL,
  district_id BIGINT NOT NULL,
  town_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  category_id BIGINT NOT NULL,
  source VARCHAR(16) NOT NULL,
  residency VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  n BIGINT NOT NULL,
  accepted BIGINT NOT NULL,
  on_time BIGINT NOT NULL,
  rated BIGINT NOT NULL,
  rating_sum BIGINT NOT NULL,
  satisfied BIGINT NOT NULL,
  redos BIGINT NOT NULL,
  redone BIGINT NOT NULL,
  PRIMARY KEY (ym, district_id, town_id, community_id, category_id, source, residency, status),
  KEY idx_stats_cube_district (district_id, ym)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The same figures without the towns, for city-level reports.
CREATE TABLE stats_city (
  ym INT NOT NULL,
  district_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  category_id BIGINT NOT NULL,
  source VARCHAR(16) NOT NULL,
  residency VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  n BIGINT NOT NULL,
  accepted BIGINT NOT NULL,
  on_time BIGINT NOT NULL,
  rated BIGINT NOT NULL,
  rating_sum BIGINT NOT NULL,
  satisfied BIGINT NOT NULL,
  redos BIGINT NOT NULL,
  redone BIGINT NOT NULL,
  PRIMARY KEY (ym, district_id, community_id, category_id, source, residency, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE stats_days (
  district_id BIGINT NOT NULL,
  cday INT NOT NULL,
  aday INT NOT NULL,
  kday INT NOT NULL,
  n BIGINT NOT NULL,
  withdrawn BIGINT NOT NULL,
  resolved BIGINT NOT NULL,
  responded BIGINT NOT NULL,
  rejected BIGINT NOT NULL,
  open BIGINT NOT NULL,
  PRIMARY KEY (district_id, cday, aday, kday),
  KEY idx_stats_days_cday (cday)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The same day triples for the whole city.
CREATE TABLE stats_days_city (
  cday INT NOT NULL,
  aday INT NOT NULL,
  kday INT NOT NULL,
  n BIGINT NOT NULL,
  withdrawn BIGINT NOT NULL,
  resolved BIGINT NOT NULL,
  responded BIGINT NOT NULL,
  rejected BIGINT NOT NULL,
  open BIGINT NOT NULL,
  PRIMARY KEY (cday, aday, kday)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Overdue items are counted live (they depend on the time of asking): the
-- open ones are few, and this index finds them and covers the columns the
-- count needs, without the closed ones and without reading table rows.
ALTER TABLE requests ADD KEY idx_requests_open (status, org_path, created_at, accept_due_at, resolve_due_at,
  community_id, category_id, source, residency);

-- Fill them from the requests already there (RebuildRollups in internal/store runs the same statements).
INSERT INTO stats_cube (ym, district_id, town_id, community_id, category_id, source, residency, status,
		n, accepted, on_time, rated, rating_sum, satisfied, redos, redone)
	SELECT ym, district_id, town_id, IF(town_id = 0, community_id, 0), category_id, source, res, status,
		COUNT(*), SUM(accepted_at IS NOT NULL),
		SUM(status IN ('resolved', 'responded') AND COALESCE(closed_at <= resolve_due_at, 0)),
		COUNT(rating), COALESCE(SUM(rating), 0), SUM(COALESCE(rating, 0) >= 4), SUM(redo_count), SUM(redo_count > 0)
	FROM (SELECT requests.*,
			YEAR(created_at + INTERVAL 8 HOUR) * 100 + MONTH(created_at + INTERVAL 8 HOUR) AS ym,
			CAST(CONCAT('0', SUBSTRING_INDEX(SUBSTRING_INDEX(org_path, '/', 3), '/', -1)) AS UNSIGNED) AS district_id,
			CAST(CONCAT('0', SUBSTRING_INDEX(SUBSTRING_INDEX(org_path, '/', 4), '/', -1)) AS UNSIGNED) AS town_id,
			COALESCE(residency, '') AS res
		FROM requests) r
	GROUP BY ym, district_id, town_id, IF(town_id = 0, community_id, 0), category_id, source, res, status;

INSERT INTO stats_city (ym, district_id, community_id, category_id, source, residency, status,
		n, accepted, on_time, rated, rating_sum, satisfied, redos, redone)
	SELECT ym, district_id, IF(district_id = 0, community_id, 0) AS community, category_id, source, residency, status,
		SUM(n), SUM(accepted), SUM(on_time), SUM(rated), SUM(rating_sum), SUM(satisfied), SUM(redos), SUM(redone)
	FROM stats_cube GROUP BY ym, district_id, community, category_id, source, residency, status;

INSERT INTO stats_days (district_id, cday, aday, kday, n, withdrawn, resolved, responded, rejected, open)
	SELECT CAST(CONCAT('0', SUBSTRING_INDEX(SUBSTRING_INDEX(org_path, '/', 3), '/', -1)) AS UNSIGNED) AS district_id,
		TO_DAYS(created_at + INTERVAL 8 HOUR) AS cday,
		COALESCE(TO_DAYS(accepted_at + INTERVAL 8 HOUR), 0) AS aday,
		IF(status IN ('resolved', 'responded'), COALESCE(TO_DAYS(closed_at + INTERVAL 8 HOUR), 0), 0) AS kday,
		COUNT(*), SUM(status = 'withdrawn'), SUM(status = 'resolved'), SUM(status = 'responded'), SUM(status = 'rejected'),
		SUM(status IN ('submitted', 'accepted', 'long_term'))
	FROM requests GROUP BY district_id, cday, aday, kday;

INSERT INTO stats_days_city (cday, aday, kday, n, withdrawn, resolved, responded, rejected, open)
	SELECT cday, aday, kday, SUM(n), SUM(withdrawn), SUM(resolved), SUM(responded), SUM(rejected), SUM(open)
	FROM stats_days GROUP BY cday, aday, kday;
