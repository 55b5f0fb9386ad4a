package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Orgs persists the org tree.
type Orgs struct{ s *Store }

// Orgs returns the org repository.
func (s *Store) Orgs() *Orgs { return &Orgs{s} }

// Get loads one node.
func (r *Orgs) Get(ctx context.Context, id int64) (*model.Org, error) {
	var o model.Org
	if err := r.s.db.WithContext(ctx).First(&o, id).Error; err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// Root loads the root node (the city), or not_found.
func (r *Orgs) Root(ctx context.Context) (*model.Org, error) {
	var o model.Org
	if err := r.s.db.WithContext(ctx).Where("parent_id IS NULL").Order("id").First(&o).Error; err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// EnsureRoot inserts the root node built by build unless one exists, and returns the root.
func (r *Orgs) EnsureRoot(ctx context.Context, build func() model.Org) (*model.Org, error) {
	var root model.Org
	err := r.s.tx(ctx, "Orgs.EnsureRoot", func(tx *gorm.DB) error {
		// Serialise concurrent first starts of several instances.
		if err := tx.Exec("SELECT GET_LOCK('zhilian_root', 10)").Error; err != nil {
			return err
		}
		defer tx.Exec("SELECT RELEASE_LOCK('zhilian_root')")
		err := tx.Where("parent_id IS NULL").Order("id").First(&root).Error
		if err == nil {
			return nil
		}
		if err != gorm.ErrRecordNotFound {
			return err
		}
		root = build()
		if err := tx.Create(&root).Error; err != nil {
			return err
		}
		root.Path = model.ChildPath("", root.ID)
		return tx.Model(&root).Update("path", root.Path).Error
	})
	if err != nil {
		return nil, err
	}
	return &root, nil
}

// Create inserts a child node and sets its path, with an audit row, in one transaction.
func (r *Orgs) Create(ctx context.Context, o *model.Org, parentPath string, audit func(*model.Org) *model.AuditLog) error {
	return r.s.tx(ctx, "Orgs.Create", func(tx *gorm.DB) error {
		var parent model.Org
		if err := forUpdate(tx).First(&parent, *o.ParentID).Error; err != nil {
			return err
		}
		if !parent.Active {
			return model.E(model.CodeConflict, "上级机构已停用")
		}
		if err := tx.Create(o).Error; err != nil {
			if dupKey(err, "uk_orgs_parent_name") {
				return model.E(model.CodeAlreadyExists, "同一上级下已有同名机构")
			}
			if dupKey(err, "uk_orgs_code") {
				return model.E(model.CodeAlreadyExists, "机构代码已被使用")
			}
			return err
		}
		o.Path = model.ChildPath(parent.Path, o.ID)
		if err := tx.Model(o).Update("path", o.Path).Error; err != nil {
			return err
		}
		return tx.Create(audit(o)).Error
	})
}

// Update loads a node under a row lock, applies change (a model method) and
// saves it with an audit row. A node that goes from active to inactive ends
// the sign-ins of its accounts in the same transaction.
func (r *Orgs) Update(ctx context.Context, id int64, change func(*model.Org) (*model.AuditLog, error)) (*model.Org, error) {
	var o model.Org
	err := r.s.tx(ctx, fmt.Sprintf("Orgs.Update %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&o, id).Error; err != nil {
			return err
		}
		wasActive := o.Active
		a, err := change(&o)
		if err != nil {
			return err
		}
		if wasActive && !o.Active {
			if err := revokeOrgStaff(tx, o.ID); err != nil {
				return err
			}
		}
		if err := tx.Model(&o).Select("name", "active", "updated_at").Updates(&o).Error; err != nil {
			if dupKey(err, "uk_orgs_parent_name") {
				return model.E(model.CodeAlreadyExists, "同一上级下已有同名机构")
			}
			return err
		}
		if a != nil {
			return tx.Create(a).Error
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// Delete removes a node that has no children and no accounts.
func (r *Orgs) Delete(ctx context.Context, id int64, audit *model.AuditLog) error {
	return r.s.tx(ctx, fmt.Sprintf("Orgs.Delete %d", id), func(tx *gorm.DB) error {
		var o model.Org
		if err := forUpdate(tx).First(&o, id).Error; err != nil {
			return err
		}
		var children, accounts int64
		if err := tx.Model(&model.Org{}).Where("parent_id = ?", id).Count(&children).Error; err != nil {
			return err
		}
		if err := tx.Model(&model.Account{}).Where("org_id = ?", id).Count(&accounts).Error; err != nil {
			return err
		}
		if err := o.CanDelete(children, accounts); err != nil {
			return err
		}
		if err := tx.Delete(&model.Org{}, id).Error; err != nil {
			return err // a row still referencing it (1451) becomes a conflict
		}
		return tx.Create(audit).Error
	})
}

// Children lists the direct children of a node.
func (r *Orgs) Children(ctx context.Context, parentID int64, activeOnly bool) ([]model.Org, error) {
	q := r.s.db.WithContext(ctx).Where("parent_id = ?", parentID)
	if activeOnly {
		q = q.Where("active = 1")
	}
	var out []model.Org
	return out, translate(q.Order("id").Find(&out).Error)
}

// Subtree lists a node and everything below it, ordered by path.
func (r *Orgs) Subtree(ctx context.Context, path string, activeOnly bool) ([]model.Org, error) {
	q := r.s.db.WithContext(ctx).Where("path LIKE ?", path+"%")
	if activeOnly {
		q = q.Where("active = 1")
	}
	var out []model.Org
	return out, translate(q.Order("depth, id").Find(&out).Error)
}

// ByCode finds a node by its code.
func (r *Orgs) ByCode(ctx context.Context, code string) (*model.Org, error) {
	var o model.Org
	if err := r.s.db.WithContext(ctx).Where("code = ?", code).First(&o).Error; err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

var _ service.OrgRepo = (*Orgs)(nil)
