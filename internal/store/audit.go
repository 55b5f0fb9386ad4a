package store

import (
	"context"

	"zhilian/model"
	"zhilian/service"
)

// AuditLogs reads the audit log (rows are written inside each change's transaction).
type AuditLogs struct{ s *Store }

// AuditLogs returns the audit repository.
func (s *Store) AuditLogs() *AuditLogs { return &AuditLogs{s} }

// List lists audit rows newest first.
func (r *AuditLogs) List(ctx context.Context, f model.AuditFilter) (model.Page[model.AuditLog], error) {
	var out model.Page[model.AuditLog]
	var after int64
	if err := decodeCursor(f.Cursor, &after); err != nil {
		return out, err
	}
	size := pageSize(f.Size)
	q := r.s.lagged(ctx).Model(&model.AuditLog{}).Where("actor_org_path LIKE ?", f.ScopePath+"%")
	if f.ActorID > 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.TargetType != "" {
		q = q.Where("target_type = ?", f.TargetType)
		if f.TargetID > 0 {
			q = q.Where("target_id = ?", f.TargetID)
		}
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To)
	}
	if after > 0 {
		q = q.Where("id < ?", after)
	}
	if err := q.Order("id DESC").Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	trimPage(&out, size, func(last model.AuditLog) string { return encodeCursor(last.ID) })
	return out, nil
}

// Insert writes one audit row outside another transaction.
func (r *AuditLogs) Insert(ctx context.Context, a *model.AuditLog) error {
	return translate(r.s.db.WithContext(ctx).Create(a).Error)
}

var _ service.AuditRepo = (*AuditLogs)(nil)
