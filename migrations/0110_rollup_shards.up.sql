-- Every submission of a day adds to the same rollup rows (the city's day
-- triple, its district's, the month's figures of popular categories); under
-- load those rows were locked by one transaction after another. Each rollup
-- row now exists in up to 16 shards (a request's writes go to shard
-- id % 16), so concurrent writes rarely meet; readers already SUM every
-- group, which sums the shards too. Rows rebuilt from a scan sit in shard 0.
ALTER TABLE stats_cube ADD COLUMN shard TINYINT UNSIGNED NOT NULL DEFAULT 0,
  DROP PRIMARY KEY, ADD PRIMARY KEY (ym, district_id, town_id, community_id, category_id, source, residency, status, shard);
ALTER TABLE stats_city ADD COLUMN shard TINYINT UNSIGNED NOT NULL DEFAULT 0,
  DROP PRIMARY KEY, ADD PRIMARY KEY (ym, district_id, community_id, category_id, source, residency, status, shard);
ALTER TABLE stats_days ADD COLUMN shard TINYINT UNSIGNED NOT NULL DEFAULT 0,
  DROP PRIMARY KEY, ADD PRIMARY KEY (district_id, cday, aday, kday, shard);
ALTER TABLE stats_days_city ADD COLUMN shard TINYINT UNSIGNED NOT NULL DEFAULT 0,
  DROP PRIMARY KEY, ADD PRIMARY KEY (cday, aday, kday, shard);
