package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Logins persists sign-in logins (the truth; Redis only caches the principal
// each one resolves to).
type Logins struct{ s *Store }

// Logins returns the login repository.
func (s *Store) Logins() *Logins { return &Logins{s} }

// Create stores a new login.
func (r *Logins) Create(ctx context.Context, l *model.Login) error {
	return translate(r.s.db.WithContext(ctx).Create(l).Error)
}

// Get loads a live login by token hash.
func (r *Logins) Get(ctx context.Context, hash string, now time.Time) (*model.Login, error) {
	var l model.Login
	err := r.s.db.WithContext(ctx).Where("token_hash = ? AND expires_at > ?", hash, now).Take(&l).Error
	if err != nil {
		return nil, translate(err)
	}
	return &l, nil
}

// Delete removes one login and records its revocation.
func (r *Logins) Delete(ctx context.Context, hash string) error {
	return r.s.tx(ctx, "Logins.Delete", func(tx *gorm.DB) error {
		return revokeWhere(tx, tx.Model(&model.Login{}).Where("token_hash = ?", hash))
	})
}

// Revoked lists the revocations recorded in the last `within` by the
// database's clock (a range of idx_login_revocations_created).
func (r *Logins) Revoked(ctx context.Context, within time.Duration) ([]model.LoginRevocation, error) {
	var out []model.LoginRevocation
	err := r.s.db.WithContext(ctx).Raw(`SELECT token_hash, generation FROM login_revocations
		WHERE created_at > NOW(6) - INTERVAL ? MICROSECOND`, within.Microseconds()).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("Logins.Revoked: %w", translate(err))
	}
	return out, nil
}

// RevokeSubject deletes every login of a subject and returns their hashes.
func (r *Logins) RevokeSubject(ctx context.Context, kind model.SubjectKind, id int64) ([]string, error) {
	var hashes []string
	err := r.s.tx(ctx, fmt.Sprintf("Logins.RevokeSubject %d", id), func(tx *gorm.DB) error {
		var err error
		hashes, err = revokeSubject(tx, kind, id)
		return err
	})
	return hashes, err
}

// DeleteExpired removes logins past their expiry (housekeeping).
func (r *Logins) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	if err := r.s.db.WithContext(ctx).Exec(`DELETE FROM login_revocations WHERE created_at < NOW(6) - INTERVAL 1 DAY LIMIT 10000`).Error; err != nil {
		return 0, translate(err)
	}
	res := r.s.db.WithContext(ctx).Where("expires_at <= ?", now).Limit(10000).Delete(&model.Login{})
	return res.RowsAffected, translate(res.Error)
}

func revokeSubject(tx *gorm.DB, kind model.SubjectKind, id int64) ([]string, error) {
	var rows []model.LoginRevocation
	if err := tx.Model(&model.Login{}).Where("subject_kind = ? AND subject_id = ?", kind, id).
		Select("token_hash", "generation").Find(&rows).Error; err != nil {
		return nil, err
	}
	return revoke(tx, rows)
}

// revokeOrgStaff deletes the logins of every staff account of an org (in the
// caller's transaction: deactivating the org and ending its sign-ins commit together).
func revokeOrgStaff(tx *gorm.DB, orgID int64) error {
	return revokeWhere(tx, tx.Model(&model.Login{}).
		Where("subject_kind = ? AND subject_id IN (?)", model.SubjectStaff,
			tx.Model(&model.Account{}).Select("id").Where("org_id = ?", orgID)))
}

// revokeWhere revokes the logins q selects, locking them.
func revokeWhere(tx *gorm.DB, q *gorm.DB) error {
	var rows []model.LoginRevocation
	if err := forUpdate(q).Select("token_hash", "generation").Find(&rows).Error; err != nil {
		return err
	}
	_, err := revoke(tx, rows)
	return err
}

// revoke deletes the login rows and records their revocation (login_revocations,
// read by every instance's token check) in the caller's transaction.
func revoke(tx *gorm.DB, rows []model.LoginRevocation) ([]string, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	hashes := make([]string, len(rows))
	for i, l := range rows {
		hashes[i] = l.TokenHash
	}
	if err := tx.Table("login_revocations").Select("token_hash", "generation").Create(&rows).Error; err != nil {
		return nil, err
	}
	return hashes, tx.Where("token_hash IN ?", hashes).Delete(&model.Login{}).Error
}

var (
	_ service.LoginRepo     = (*Logins)(nil)
	_ service.RevocationLog = (*Logins)(nil)
)
