package store

import (
	"context"

	"zhilian/model"
	"zhilian/service"
)

var _ service.ResidentRepo = (*Residents)(nil)

// Residents persists residents.
type Residents struct{ s *Store }

// Residents returns the resident repository.
func (s *Store) Residents() *Residents { return &Residents{s} }

// Get loads a resident.
func (r *Residents) Get(ctx context.Context, id int64) (*model.Resident, error) {
	var res model.Resident
	if err := r.s.db.WithContext(ctx).First(&res, id).Error; err != nil {
		return nil, translate(err)
	}
	return &res, nil
}

// FindOrCreate returns the resident with this openid, creating it on first
// sign-in; two first sign-ins at once meet on the unique key.
func (r *Residents) FindOrCreate(ctx context.Context, fresh *model.Resident) (*model.Resident, bool, error) {
	var res model.Resident
	db := r.s.db.WithContext(ctx)
	err := db.Where("openid = ?", *fresh.OpenID).Take(&res).Error
	if err == nil {
		return &res, false, nil
	}
	if translate(err) != model.ErrNotFound {
		return nil, false, translate(err)
	}
	if err := db.Create(fresh).Error; err != nil {
		if dupKey(err, "uk_residents_openid") {
			if err := db.Where("openid = ?", *fresh.OpenID).Take(&res).Error; err != nil {
				return nil, false, translate(err)
			}
			return &res, false, nil
		}
		return nil, false, translate(err)
	}
	return fresh, true, nil
}
