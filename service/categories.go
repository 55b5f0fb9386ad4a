package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhilian/model"
)

// CategoryRepo persists request categories.
type CategoryRepo interface {
	List(ctx context.Context, activeOnly bool) ([]model.Category, error)
	Get(ctx context.Context, id int64) (*model.Category, error)
	Create(ctx context.Context, c *model.Category, audit func(*model.Category) *model.AuditLog) error
	Update(ctx context.Context, id int64, change func(*model.Category) (*model.AuditLog, error)) (*model.Category, error)
	Delete(ctx context.Context, id int64, audit *model.AuditLog) error
}

// Categories manages request categories and their time limits. Everyone reads
// the active ones; admins read all; only city-level admins change them.
type Categories struct {
	repo CategoryRepo
	now  func() time.Time
}

// NewCategories builds the categories service.
func NewCategories(repo CategoryRepo, now func() time.Time) *Categories {
	return &Categories{repo: repo, now: now}
}

// Public lists the active categories for the picker.
func (s *Categories) Public(ctx context.Context) ([]model.Category, error) {
	return s.repo.List(ctx, true)
}

// All lists every category, inactive ones included (admins).
func (s *Categories) All(ctx context.Context, p *model.Principal) ([]model.Category, error) {
	if !p.IsAdmin() {
		return nil, model.ErrForbidden
	}
	return s.repo.List(ctx, false)
}

// Get returns one category (admins).
func (s *Categories) Get(ctx context.Context, p *model.Principal, id int64) (*model.Category, error) {
	if !p.IsAdmin() {
		return nil, model.ErrForbidden
	}
	return s.get(ctx, id)
}

func (s *Categories) get(ctx context.Context, id int64) (*model.Category, error) {
	c, err := s.repo.Get(ctx, id)
	if model.IsCode(err, model.CodeNotFound) {
		return nil, model.E(model.CodeNotFound, "类别不存在")
	}
	return c, err
}

// Create adds a category.
func (s *Categories) Create(ctx context.Context, p *model.Principal, actor model.Actor, in model.CategoryChange) (*model.Category, error) {
	if err := cityLevelAdmin(p, "仅市级管理员可以维护诉求类别"); err != nil {
		return nil, err
	}
	now := s.now()
	c, err := model.NewCategory(in, now)
	if err != nil {
		return nil, err
	}
	err = s.repo.Create(ctx, c, func(c *model.Category) *model.AuditLog {
		return actor.Audit("category.create", "category", c.ID, categoryDetail(c), now)
	})
	return c, err
}

// Update edits a category; its limits apply to items submitted from now on.
func (s *Categories) Update(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in model.CategoryChange) (*model.Category, error) {
	if err := cityLevelAdmin(p, "仅市级管理员可以维护诉求类别"); err != nil {
		return nil, err
	}
	if _, err := s.get(ctx, id); err != nil {
		return nil, err
	}
	now := s.now()
	return s.repo.Update(ctx, id, func(c *model.Category) (*model.AuditLog, error) {
		if err := c.Apply(in, now); err != nil {
			return nil, err
		}
		return actor.Audit("category.update", "category", c.ID, categoryDetail(c), now), nil
	})
}

// Delete removes a category no request uses; a used one can only be deactivated.
func (s *Categories) Delete(ctx context.Context, p *model.Principal, actor model.Actor, id int64) error {
	if err := cityLevelAdmin(p, "仅市级管理员可以维护诉求类别"); err != nil {
		return err
	}
	c, err := s.get(ctx, id)
	if err != nil {
		return err
	}
	err = s.repo.Delete(ctx, id, actor.Audit("category.delete", "category", id, categoryDetail(c), s.now()))
	if model.IsCode(err, model.CodeConflict) {
		return model.E(model.CodeConflict, "已有诉求使用该类别，不能删除；可将其停用")
	}
	return err
}

func categoryDetail(c *model.Category) string {
	return fmt.Sprintf("code=%s accept_days=%d resolve_days=%d active=%t", c.Code, c.AcceptDays, c.ResolveDays, c.Active)
}

// cityLevelAdmin allows admins of the root org only.
func cityLevelAdmin(p *model.Principal, msg string) error {
	if !p.IsAdmin() || strings.Count(p.OrgPath, "/") != 2 {
		return model.E(model.CodeForbidden, msg)
	}
	return nil
}
