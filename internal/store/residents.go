package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

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

// UpdateProfile locks a resident, applies change (a model method) and saves the profile columns.
func (r *Residents) UpdateProfile(ctx context.Context, id int64, change func(*model.Resident) error) (*model.Resident, error) {
	var res model.Resident
	err := r.s.tx(ctx, fmt.Sprintf("Residents.UpdateProfile %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&res, id).Error; err != nil {
			return err
		}
		if err := change(&res); err != nil {
			return err
		}
		return tx.Model(&res).Select("name", "phone_enc", "phone_hash", "community_id", "residency", "address",
			"elder_mode", "updated_at").Updates(&res).Error
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// Erase deletes a resident's account in one transaction: personal data and the
// WeChat link are erased (the row stays, as deleted), their requests are
// anonymised with a timeline entry each, uploads not attached to a request are
// deleted (their storage keys are returned for the files), attached ones lose
// their owner, the items they follow forget them, their share links are
// deleted, and stored idempotent responses are dropped.
func (r *Residents) Erase(ctx context.Context, id int64, now time.Time) ([]string, error) {
	var keys []string
	err := r.s.tx(ctx, fmt.Sprintf("Residents.Erase %d", id), func(tx *gorm.DB) error {
		var res model.Resident
		if err := forUpdate(tx).First(&res, id).Error; err != nil {
			return err
		}
		if err := res.Erase(now); err != nil {
			return err
		}
		if err := tx.Model(&res).Select("openid", "unionid", "name", "phone_enc", "phone_hash", "address",
			"elder_mode", "status", "updated_at", "deleted_at").Updates(&res).Error; err != nil {
			return err
		}
		var reqs []model.Request
		if err := forUpdate(tx).Where("resident_id = ?", id).Order("id").Find(&reqs).Error; err != nil {
			return err
		}
		if err := tx.Where("request_id IN (SELECT id FROM requests WHERE resident_id = ?)", id).
			Delete(&model.RequestShare{}).Error; err != nil {
			return err // their share links stop working with the account
		}
		for i := range reqs {
			before := reqs[i]
			e := reqs[i].Anonymise(now)
			if err := saveRequest(tx, &before, &reqs[i]); err != nil {
				return err
			}
			if err := insertEvents(tx, reqs[i].ID, []*model.RequestEvent{e}); err != nil {
				return err
			}
		}
		if err := tx.Where("resident_id = ?", id).Delete(&model.Follow{}).Error; err != nil {
			return err
		}
		unused := "id NOT IN (SELECT upload_id FROM request_images)"
		if err := tx.Model(&model.Upload{}).Where("owner_kind = ? AND owner_id = ?", model.SubjectResident, id).
			Where(unused).Pluck("storage_key", &keys).Error; err != nil {
			return err
		}
		if err := tx.Where("owner_kind = ? AND owner_id = ?", model.SubjectResident, id).Where(unused).
			Delete(&model.Upload{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&model.Upload{}).Where("owner_kind = ? AND owner_id = ?", model.SubjectResident, id).
			Update("owner_id", nil).Error; err != nil {
			return err
		}
		return tx.Where("subject_kind = ? AND subject_id = ?", model.SubjectResident, id).
			Delete(&model.IdempotencyRecord{}).Error
	})
	if err != nil {
		return nil, err
	}
	return keys, nil
}

var _ service.ProfileRepo = (*Residents)(nil)
