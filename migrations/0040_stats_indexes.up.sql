-- Statistics over an org subtree and a period read one covering index: the
-- subtree is a range of org_path, the period a filter on created_at, and every
-- other column the figures need is in the index, so the table rows are never
-- read. It replaces idx_requests_stats (its prefix).
ALTER TABLE requests
  ADD KEY idx_requests_stats_cover (org_path, created_at, status, category_id, source, residency,
    community_id, accepted_at, closed_at, accept_due_at, resolve_due_at, rating, redo_count),
  DROP KEY idx_requests_stats,
  -- the data version of the statistics cache: MAX(updated_at) in O(1)
  ADD KEY idx_requests_updated (updated_at);
