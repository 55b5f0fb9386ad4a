package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Categories persists request categories.
type Categories struct{ s *Store }

// Categories returns the category repository.
func (s *Store) Categories() *Categories { return &Categories{s} }

// List lists categories by sort order.
func (r *Categories) List(ctx context.Context, activeOnly bool) ([]model.Category, error) {
	q := r.s.db.WithContext(ctx).Model(&model.Category{})
	if activeOnly {
		q = q.Where("active = 1")
	}
	out := []model.Category{}
	return out, translate(q.Order("sort, id").Find(&out).Error)
}

// Get loads one category.
func (r *Categories) Get(ctx context.Context, id int64) (*model.Category, error) {
	var c model.Category
	if err := r.s.db.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

func categoryDup(err error) error {
	switch {
	case dupKey(err, "uk_categories_code"):
		return model.E(model.CodeAlreadyExists, "类别代码已被使用")
	case dupKey(err, "uk_categories_name"):
		return model.E(model.CodeAlreadyExists, "已有同名类别")
	}
	return err
}

// Create inserts a category with its audit row.
func (r *Categories) Create(ctx context.Context, c *model.Category, audit func(*model.Category) *model.AuditLog) error {
	return r.s.tx(ctx, "Categories.Create", func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return categoryDup(err)
		}
		return tx.Create(audit(c)).Error
	})
}

// Update locks a category, applies change and saves it with the audit row.
func (r *Categories) Update(ctx context.Context, id int64, change func(*model.Category) (*model.AuditLog, error)) (*model.Category, error) {
	var c model.Category
	err := r.s.tx(ctx, fmt.Sprintf("Categories.Update %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&c, id).Error; err != nil {
			return err
		}
		a, err := change(&c)
		if err != nil {
			return err
		}
		if err := tx.Model(&c).Select("name", "code", "accept_days", "resolve_days", "priority", "active", "sort",
			"updated_at").Updates(&c).Error; err != nil {
			return categoryDup(err)
		}
		return tx.Create(a).Error
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Delete removes a category; one still used by requests is a conflict.
func (r *Categories) Delete(ctx context.Context, id int64, audit *model.AuditLog) error {
	return r.s.tx(ctx, fmt.Sprintf("Categories.Delete %d", id), func(tx *gorm.DB) error {
		res := tx.Delete(&model.Category{}, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return model.E(model.CodeNotFound, "类别不存在")
		}
		return tx.Create(audit).Error
	})
}

var _ service.CategoryRepo = (*Categories)(nil)
