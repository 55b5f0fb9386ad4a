package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Accounts persists staff accounts.
type Accounts struct{ s *Store }

// Accounts returns the account repository.
func (s *Store) Accounts() *Accounts { return &Accounts{s} }

func (r *Accounts) joined(ctx context.Context) *gorm.DB {
	return r.s.db.WithContext(ctx).Table("accounts").
		Select("accounts.*, orgs.path AS org_path, orgs.kind AS org_kind, orgs.active AS org_active").
		Joins("JOIN orgs ON orgs.id = accounts.org_id")
}

// Get loads an account with its org path.
func (r *Accounts) Get(ctx context.Context, id int64) (*model.Account, error) {
	var a model.Account
	if err := r.joined(ctx).Where("accounts.id = ?", id).Take(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// ByUsername loads an account by login name.
func (r *Accounts) ByUsername(ctx context.Context, username string) (*model.Account, error) {
	var a model.Account
	if err := r.joined(ctx).Where("accounts.username = ?", username).Take(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// Create inserts an account with its audit row; a taken username is already_exists.
func (r *Accounts) Create(ctx context.Context, a *model.Account, audit func(*model.Account) *model.AuditLog) error {
	return r.s.tx(ctx, "Accounts.Create", func(tx *gorm.DB) error {
		if err := tx.Create(a).Error; err != nil {
			if dupKey(err, "uk_accounts_username") {
				return model.E(model.CodeAlreadyExists, "用户名已被使用")
			}
			return err
		}
		if audit == nil {
			return nil
		}
		return tx.Create(audit(a)).Error
	})
}

// Update loads an account under a row lock, applies change (model methods) and
// saves it with the audit row. With revoke, the account's sign-ins (logins) are deleted
// in the same transaction; their hashes are returned for the cache.
func (r *Accounts) Update(ctx context.Context, id int64, change func(*model.Account) (*model.AuditLog, error), revoke bool) (*model.Account, []string, error) {
	var a model.Account
	var hashes []string
	err := r.s.tx(ctx, fmt.Sprintf("Accounts.Update %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&a, id).Error; err != nil {
			return err
		}
		audit, err := change(&a)
		if err != nil {
			return err
		}
		if err := tx.Model(&a).Select("name", "phone_enc", "org_id", "role", "status", "password_hash",
			"must_change_password", "wechat_openid", "updated_at").Updates(&a).Error; err != nil {
			if dupKey(err, "uk_accounts_openid") {
				return model.E(model.CodeAlreadyExists, "该微信已绑定其他账号")
			}
			return err
		}
		if revoke {
			if hashes, err = revokeSubject(tx, model.SubjectStaff, a.ID); err != nil {
				return err
			}
		}
		if audit != nil {
			return tx.Create(audit).Error
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return &a, hashes, nil
}

// List lists accounts in a subtree, newest first, keyset-paginated by id.
func (r *Accounts) List(ctx context.Context, f model.AccountFilter) (model.Page[model.Account], error) {
	var out model.Page[model.Account]
	var after int64
	if err := decodeCursor(f.Cursor, &after); err != nil {
		return out, err
	}
	size := pageSize(f.Size)
	q := r.joined(ctx).Where("orgs.path LIKE ?", f.OrgPath+"%")
	if f.Role != "" {
		q = q.Where("accounts.role = ?", f.Role)
	}
	if f.Status != "" {
		q = q.Where("accounts.status = ?", f.Status)
	}
	if f.Query != "" {
		like := escapeLike(f.Query) + "%"
		q = q.Where("(accounts.username LIKE ? OR accounts.name LIKE ?)", strings.ToLower(like), like) // usernames are lower-case (utf8mb4_bin)
	}
	if after > 0 {
		q = q.Where("accounts.id < ?", after)
	}
	if err := q.Order("accounts.id DESC").Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	trimPage(&out, size, func(last model.Account) string { return encodeCursor(last.ID) })
	return out, nil
}

// CountInOrg counts accounts attached to an org.
func (r *Accounts) CountInOrg(ctx context.Context, orgID int64) (int64, error) {
	var n int64
	err := r.s.db.WithContext(ctx).Model(&model.Account{}).Where("org_id = ?", orgID).Count(&n).Error
	return n, translate(err)
}

// SealPlainPhones moves staff phone numbers still in the plain column (rows
// written before migration 0093) into phone_enc, sealed by seal, and empties
// the plain column. It returns how many moved; running it again moves none.
func (r *Accounts) SealPlainPhones(ctx context.Context, seal func(string) ([]byte, error)) (int, error) {
	moved := 0
	for {
		var rows []struct {
			ID    int64
			Phone string
		}
		if err := r.s.db.WithContext(ctx).Table("accounts").Select("id", "phone").
			Where("phone <> ''").Order("id").Limit(500).Scan(&rows).Error; err != nil {
			return moved, translate(err)
		}
		if len(rows) == 0 {
			return moved, nil
		}
		for _, row := range rows {
			enc, err := seal(row.Phone)
			if err != nil {
				return moved, err
			}
			if err := r.s.db.WithContext(ctx).Table("accounts").Where("id = ? AND phone = ?", row.ID, row.Phone).
				Updates(map[string]any{"phone_enc": enc, "phone": ""}).Error; err != nil {
				return moved, translate(err)
			}
			moved++
		}
	}
}

// escapeLike escapes LIKE wildcards in user input.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

var _ service.AccountRepo = (*Accounts)(nil)
