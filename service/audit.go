package service

import (
	"context"

	"zhilian/model"
)

// AuditRepo reads the audit log.
type AuditRepo interface {
	List(ctx context.Context, f model.AuditFilter) (model.Page[model.AuditLog], error)
}

// Audit lists admin actions visible to an admin: those of actors in their subtree.
type Audit struct{ repo AuditRepo }

// NewAudit builds the audit service.
func NewAudit(repo AuditRepo) *Audit { return &Audit{repo: repo} }

// List lists audit rows, newest first.
func (s *Audit) List(ctx context.Context, p *model.Principal, f model.AuditFilter) (model.Page[model.AuditLog], error) {
	f.ScopePath = p.OrgPath
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return model.Page[model.AuditLog]{}, model.Invalid("to 不能早于 from")
	}
	return s.repo.List(ctx, f)
}
