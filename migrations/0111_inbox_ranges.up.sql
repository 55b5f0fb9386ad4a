-- The cadre inbox reads, for each status and each handling org path of the
-- jurisdiction, the items in due order (internal/store/work.go): one ordered
-- range each, merged by a sort of a page per range instead of a sort of the
-- town's items. The ranges read ids from the index alone (the assignee is in
-- it for the mine / unassigned filters); only a page of rows is read.
ALTER TABLE requests ADD KEY idx_requests_status_path_due (status, org_path, due_at, id, assignee_id);
