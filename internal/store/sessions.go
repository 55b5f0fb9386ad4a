package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Sessions persists sign-in sessions (the truth; Redis only caches them).
type Sessions struct{ s *Store }

// Sessions returns the session repository.
func (s *Store) Sessions() *Sessions { return &Sessions{s} }

// Create stores a new session.
func (r *Sessions) Create(ctx context.Context, sess *model.Session) error {
	return translate(r.s.db.WithContext(ctx).Create(sess).Error)
}

// Get loads a live session by token hash.
func (r *Sessions) Get(ctx context.Context, hash string, now time.Time) (*model.Session, error) {
	var sess model.Session
	err := r.s.db.WithContext(ctx).Where("token_hash = ? AND expires_at > ?", hash, now).Take(&sess).Error
	if err != nil {
		return nil, translate(err)
	}
	return &sess, nil
}

// Delete removes one session.
func (r *Sessions) Delete(ctx context.Context, hash string) error {
	return translate(r.s.db.WithContext(ctx).Where("token_hash = ?", hash).Delete(&model.Session{}).Error)
}

// RevokeSubject deletes every session of a subject and returns their hashes.
func (r *Sessions) RevokeSubject(ctx context.Context, kind model.SubjectKind, id int64) ([]string, error) {
	var hashes []string
	err := r.s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		hashes, err = revokeSubject(tx, kind, id)
		return err
	})
	return hashes, err
}

// DeleteExpired removes sessions past their expiry (housekeeping).
func (r *Sessions) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res := r.s.db.WithContext(ctx).Where("expires_at <= ?", now).Limit(10000).Delete(&model.Session{})
	return res.RowsAffected, translate(res.Error)
}

func revokeSubject(tx *gorm.DB, kind model.SubjectKind, id int64) ([]string, error) {
	var hashes []string
	q := tx.Model(&model.Session{}).Where("subject_kind = ? AND subject_id = ?", kind, id)
	if err := q.Pluck("token_hash", &hashes).Error; err != nil {
		return nil, err
	}
	if len(hashes) == 0 {
		return nil, nil
	}
	return hashes, tx.Where("token_hash IN ?", hashes).Delete(&model.Session{}).Error
}

var _ service.SessionRepo = (*Sessions)(nil)
