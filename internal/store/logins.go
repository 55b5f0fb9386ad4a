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

// Delete removes one login.
func (r *Logins) Delete(ctx context.Context, hash string) error {
	return translate(r.s.db.WithContext(ctx).Where("token_hash = ?", hash).Delete(&model.Login{}).Error)
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
	res := r.s.db.WithContext(ctx).Where("expires_at <= ?", now).Limit(10000).Delete(&model.Login{})
	return res.RowsAffected, translate(res.Error)
}

func revokeSubject(tx *gorm.DB, kind model.SubjectKind, id int64) ([]string, error) {
	var hashes []string
	q := tx.Model(&model.Login{}).Where("subject_kind = ? AND subject_id = ?", kind, id)
	if err := q.Pluck("token_hash", &hashes).Error; err != nil {
		return nil, err
	}
	if len(hashes) == 0 {
		return nil, nil
	}
	return hashes, tx.Where("token_hash IN ?", hashes).Delete(&model.Login{}).Error
}

// revokeOrgStaff deletes the logins of every staff account of an org (in the
// caller's transaction: deactivating the org and ending its sign-ins commit together).
func revokeOrgStaff(tx *gorm.DB, orgID int64) error {
	return tx.Exec(`DELETE l FROM logins l JOIN accounts a ON a.id = l.subject_id
		WHERE l.subject_kind = ? AND a.org_id = ?`, model.SubjectStaff, orgID).Error
}

var _ service.LoginRepo = (*Logins)(nil)
