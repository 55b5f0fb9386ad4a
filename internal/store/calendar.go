package store

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"zhilian/model"
	"zhilian/service"
)

var _ service.CalendarRepo = (*Calendar)(nil)

// Calendar persists calendar overrides.
type Calendar struct{ s *Store }

// Calendar returns the calendar repository.
func (s *Store) Calendar() *Calendar { return &Calendar{s} }

// Overrides loads the overrides between two dates (inclusive), keyed by date.
func (r *Calendar) Overrides(ctx context.Context, from, to string) (map[string]model.CalendarOverride, error) {
	var rows []model.CalendarOverride
	if err := r.s.db.WithContext(ctx).Where("date BETWEEN ? AND ?", from, to).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[string]model.CalendarOverride, len(rows))
	for _, o := range rows {
		out[o.Date] = o
	}
	return out, nil
}

// Put inserts or replaces an override, with its audit row.
func (r *Calendar) Put(ctx context.Context, o *model.CalendarOverride, audit *model.AuditLog) error {
	return r.s.tx(ctx, "Calendar.Put", func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(o).Error; err != nil {
			return err
		}
		return tx.Create(audit).Error
	})
}

// Delete removes an override (not_found when there is none), with its audit row.
func (r *Calendar) Delete(ctx context.Context, date string, audit *model.AuditLog) error {
	return r.s.tx(ctx, "Calendar.Delete", func(tx *gorm.DB) error {
		res := tx.Where("date = ?", date).Delete(&model.CalendarOverride{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return model.E(model.CodeNotFound, "该日期没有调整记录")
		}
		return tx.Create(audit).Error
	})
}
