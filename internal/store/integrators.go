package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

// Integrators persists Open311 integrators and their API keys.
type Integrators struct{ s *Store }

// Integrators returns the integrator repository.
func (s *Store) Integrators() *Integrators { return &Integrators{s} }

var _ service.IntegratorRepo = (*Integrators)(nil)

// CreateIntegrator inserts an integrator with its audit row.
func (r *Integrators) CreateIntegrator(ctx context.Context, it *model.Integrator, audit func(*model.Integrator) *model.AuditLog) error {
	return r.s.tx(ctx, "Integrators.CreateIntegrator", func(tx *gorm.DB) error {
		if err := tx.Create(it).Error; err != nil {
			if dupKey(err, "uk_integrators_name") {
				return model.E(model.CodeAlreadyExists, "已有同名对接方")
			}
			return err
		}
		return tx.Create(audit(it)).Error
	})
}

// integratorCols selects an integrator with its active keys and last use.
const integratorCols = `integrators.*,
	(SELECT COUNT(*) FROM api_keys k WHERE k.integrator_id = integrators.id AND k.revoked_at IS NULL) AS active_keys,
	(SELECT MAX(k.last_used_at) FROM api_keys k WHERE k.integrator_id = integrators.id) AS last_used_at`

// Integrators lists integrators by id.
func (r *Integrators) Integrators(ctx context.Context, cursor string, size int) (model.Page[model.Integrator], error) {
	var out model.Page[model.Integrator]
	var after int64
	if err := decodeCursor(cursor, &after); err != nil {
		return out, err
	}
	size = pageSize(size)
	out.Items = []model.Integrator{}
	err := r.s.db.WithContext(ctx).Model(&model.Integrator{}).Select(integratorCols).
		Where("integrators.id > ?", after).Order("integrators.id").Limit(size + 1).Find(&out.Items).Error
	if err != nil {
		return out, translate(err)
	}
	trimPage(&out, size, func(last model.Integrator) string { return encodeCursor(last.ID) })
	return out, nil
}

// Integrator loads one integrator.
func (r *Integrators) Integrator(ctx context.Context, id int64) (*model.Integrator, error) {
	var it model.Integrator
	err := r.s.db.WithContext(ctx).Model(&model.Integrator{}).Select(integratorCols).Where("integrators.id = ?", id).Take(&it).Error
	if err != nil {
		return nil, translate(err)
	}
	return &it, nil
}

// CreateKey inserts a key with its audit row.
func (r *Integrators) CreateKey(ctx context.Context, k *model.APIKey, audit func(*model.APIKey) *model.AuditLog) error {
	return r.s.tx(ctx, "Integrators.CreateKey", func(tx *gorm.DB) error {
		if err := tx.Create(k).Error; err != nil {
			return err
		}
		return tx.Create(audit(k)).Error
	})
}

// keys selects keys with their org and integrator names.
func keys(tx *gorm.DB) *gorm.DB {
	return tx.Model(&model.APIKey{}).
		Select("api_keys.*, orgs.path AS org_path, orgs.name AS org_name, integrators.name AS integrator_name").
		Joins("JOIN orgs ON orgs.id = api_keys.org_id").
		Joins("JOIN integrators ON integrators.id = api_keys.integrator_id")
}

// Keys lists an integrator's keys, newest first.
func (r *Integrators) Keys(ctx context.Context, integratorID int64) ([]model.APIKey, error) {
	out := []model.APIKey{}
	err := keys(r.s.db.WithContext(ctx)).Where("api_keys.integrator_id = ?", integratorID).Order("api_keys.id DESC").Find(&out).Error
	return out, translate(err)
}

// ChangeKey locks the key, applies change and saves its revocation with the audit row.
func (r *Integrators) ChangeKey(ctx context.Context, integratorID, keyID int64, change func(*model.APIKey) (*model.AuditLog, error)) (*model.APIKey, error) {
	var k model.APIKey
	err := r.s.tx(ctx, "Integrators.ChangeKey", func(tx *gorm.DB) error {
		if err := forUpdate(tx).Where("id = ? AND integrator_id = ?", keyID, integratorID).Take(&k).Error; err != nil {
			return err
		}
		a, err := change(&k)
		if err != nil {
			return err
		}
		if err := tx.Model(&k).Select("revoked_at", "revoked_by").Updates(&k).Error; err != nil {
			return err
		}
		return tx.Create(a).Error
	})
	if err != nil {
		return nil, err
	}
	var out model.APIKey
	if err := keys(r.s.db.WithContext(ctx)).Where("api_keys.id = ?", keyID).Take(&out).Error; err != nil {
		return nil, translate(err)
	}
	return &out, nil
}

// KeyByHash loads a key by the hash of the key (one unique-index lookup).
func (r *Integrators) KeyByHash(ctx context.Context, hash string) (*model.APIKey, error) {
	var k model.APIKey
	if err := keys(r.s.db.WithContext(ctx)).Where("api_keys.key_hash = ?", hash).Take(&k).Error; err != nil {
		return nil, translate(err)
	}
	return &k, nil
}

// TouchKey records the key's last use; it writes at most once a minute per key.
func (r *Integrators) TouchKey(ctx context.Context, id int64, now time.Time) error {
	return translate(r.s.db.WithContext(ctx).Exec(
		"UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
		now.UTC(), id, now.Add(-time.Minute).UTC()).Error)
}
