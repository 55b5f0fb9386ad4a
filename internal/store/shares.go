package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Shares stores the share links of requests.
type Shares struct{ s *Store }

// Shares returns the share-link repository.
func (s *Store) Shares() *Shares { return &Shares{s} }

// Share locks the request, runs check on it, and returns its share link: the
// existing one, or a new one with token (created true). The request's row
// lock serialises two shares of one item; the primary key on request_id and
// the unique token back it.
func (r *Shares) Share(ctx context.Context, requestID int64, token string, now time.Time,
	check func(*model.Request) error) (*model.RequestShare, bool, error) {
	var sh model.RequestShare
	created := false
	err := r.s.tx(ctx, fmt.Sprintf("Shares.Share %d", requestID), func(tx *gorm.DB) error {
		created = false
		var req model.Request
		if err := forUpdate(tx).First(&req, requestID).Error; err != nil {
			return err
		}
		if err := check(&req); err != nil {
			return err
		}
		err := tx.Where("request_id = ?", requestID).Take(&sh).Error
		if err == nil {
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		sh = model.RequestShare{RequestID: requestID, Token: token, CreatedAt: now}
		created = true
		return tx.Create(&sh).Error
	})
	if err != nil {
		return nil, false, err
	}
	return &sh, created, nil
}

// ByToken loads the request a share token points at (not_found when none does).
func (r *Shares) ByToken(ctx context.Context, token string) (*model.Request, error) {
	var req model.Request
	err := r.s.db.WithContext(ctx).Where("id = (SELECT request_id FROM request_shares WHERE token = ?)", token).
		Take(&req).Error
	if err != nil {
		return nil, translate(err)
	}
	return &req, nil
}

var _ service.ShareRepo = (*Shares)(nil)
