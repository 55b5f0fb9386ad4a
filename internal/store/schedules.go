package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"zhilian/model"
	"zhilian/service"
)

var (
	_ service.ScheduleRepo  = (*Schedules)(nil)
	_ service.SessionReader = (*Schedules)(nil)
)

// Schedules persists weekly rules and the sessions and slots made from them.
type Schedules struct{ s *Store }

// Schedules returns the schedule repository.
func (s *Store) Schedules() *Schedules { return &Schedules{s} }

// Schedule loads a point's rule.
func (r *Schedules) Schedule(ctx context.Context, pointID int64) (*model.Schedule, error) {
	var sch model.Schedule
	if err := r.s.db.WithContext(ctx).Where("point_id = ?", pointID).Take(&sch).Error; err != nil {
		return nil, translate(err)
	}
	return &sch, nil
}

// PutSchedule inserts or replaces a point's rule with its audit row.
func (r *Schedules) PutSchedule(ctx context.Context, sch *model.Schedule, audit *model.AuditLog) error {
	return r.s.tx(ctx, "Schedules.PutSchedule", func(tx *gorm.DB) error {
		var p model.Point
		if err := forUpdate(tx).First(&p, sch.PointID).Error; err != nil {
			return err
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(sch).Error; err != nil {
			return err
		}
		return tx.Create(audit).Error
	})
}

// Scheduled lists the rules of active points.
func (r *Schedules) Scheduled(ctx context.Context) ([]model.Schedule, error) {
	var out []model.Schedule
	err := r.s.db.WithContext(ctx).Table("point_schedules").Select("point_schedules.*").
		Joins("JOIN points ON points.id = point_schedules.point_id").Where("points.active = 1").
		Order("point_schedules.point_id").Find(&out).Error
	return out, translate(err)
}

var errSessionExists = errors.New("session exists")

// InsertSession inserts a session and its slots in one transaction unless the
// point already has a session that day (the unique key decides).
func (r *Schedules) InsertSession(ctx context.Context, sess *model.LiaisonSession, audit *model.AuditLog) (bool, error) {
	insert := func(tx *gorm.DB) error {
		if err := tx.Omit("Slots").Create(sess).Error; err != nil {
			if dupKey(err, "uk_liaison_sessions_point_date") {
				return errSessionExists
			}
			return err
		}
		for i := range sess.Slots {
			sess.Slots[i].SessionID = sess.ID
		}
		if err := tx.Create(&sess.Slots).Error; err != nil {
			return err
		}
		if audit != nil {
			audit.TargetType, audit.TargetID = "session", sess.ID
			return tx.Create(audit).Error
		}
		return nil
	}
	err := r.s.tx(ctx, "Schedules.InsertSession", insert)
	if errors.Is(err, errSessionExists) {
		return false, nil
	}
	return err == nil, err
}

// OpenRegularAfter lists a point's open regular sessions dated after date.
func (r *Schedules) OpenRegularAfter(ctx context.Context, pointID int64, date string) ([]model.LiaisonSession, error) {
	var out []model.LiaisonSession
	err := r.s.db.WithContext(ctx).Where("point_id = ? AND kind = ? AND status = ? AND date > ?",
		pointID, model.SessionRegular, model.SessionOpen, date).Order("date").Find(&out).Error
	return out, translate(err)
}

// ReshapeSession locks a session and its slots (bookings hold a shared lock
// on the session, so no seat is taken meanwhile), lets fn decide and applies
// the result: kept slots saved, unbooked ones deleted, new ones inserted.
func (r *Schedules) ReshapeSession(ctx context.Context, id int64, fn func(*model.LiaisonSession, []*model.Slot, map[int64]bool) model.SessionReshape) error {
	return r.s.tx(ctx, fmt.Sprintf("Schedules.ReshapeSession %d", id), func(tx *gorm.DB) error {
		var sess model.LiaisonSession
		if err := forUpdate(tx).First(&sess, id).Error; err != nil {
			return err
		}
		var slots []*model.Slot
		if err := forUpdate(tx).Where("session_id = ?", id).Order("start_at").Find(&slots).Error; err != nil {
			return err
		}
		var used []int64
		if err := tx.Model(&model.Booking{}).Distinct("slot_id").Where("session_id = ?", id).Pluck("slot_id", &used).Error; err != nil {
			return err
		}
		history := make(map[int64]bool, len(used))
		for _, s := range used {
			history[s] = true
		}
		plan := fn(&sess, slots, history)
		if plan.DropSession {
			if err := tx.Where("session_id = ? AND booked = 0", id).Delete(&model.Slot{}).Error; err != nil {
				return err
			}
			return tx.Delete(&model.LiaisonSession{}, id).Error
		}
		if err := tx.Model(&sess).Select("status", "windows", "starts_at", "ends_at", "cancel_reason", "cancelled_at", "updated_at").
			Updates(&sess).Error; err != nil {
			return err
		}
		for _, sl := range slots {
			if err := tx.Model(sl).Select("end_at", "closes_at", "capacity", "withdrawn", "updated_at").Updates(sl).Error; err != nil {
				return err
			}
		}
		if len(plan.Delete) > 0 {
			if err := tx.Where("id IN ? AND booked = 0", plan.Delete).Delete(&model.Slot{}).Error; err != nil {
				return err
			}
		}
		if len(plan.Insert) > 0 {
			return tx.Create(&plan.Insert).Error
		}
		return nil
	})
}

// CancelSession locks the session and its booked bookings, lets change cancel
// them, saves both, returns every seat and writes the audit row, all in one
// transaction, with a notice to each resident whose booking it cancels.
func (r *Schedules) CancelSession(ctx context.Context, id int64, change func(*model.LiaisonSession, []*model.Booking) (*model.AuditLog, error)) (*model.LiaisonSession, error) {
	var sess model.LiaisonSession
	err := r.s.tx(ctx, fmt.Sprintf("Schedules.CancelSession %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&sess, id).Error; err != nil {
			return err
		}
		var bookings []*model.Booking
		if err := forUpdate(tx).Where("session_id = ? AND status = ?", id, model.BookingBooked).Order("id").Find(&bookings).Error; err != nil {
			return err
		}
		audit, err := change(&sess, bookings)
		if err != nil {
			return err
		}
		if err := tx.Model(&sess).Select("status", "cancel_reason", "cancelled_at", "cancelled_by", "updated_at").Updates(&sess).Error; err != nil {
			return err
		}
		var pointName string
		if err := tx.Table("points").Select("name").Where("id = ?", sess.PointID).Scan(&pointName).Error; err != nil {
			return err
		}
		released := map[int64]int{}
		for _, b := range bookings {
			if err := saveBooking(tx, b); err != nil {
				return err
			}
			if b.Status == model.BookingCancelled {
				released[b.SlotID]++
				notice := b.Notice(model.EventSessionCancelled, pointName, "取消原因："+sess.CancelReason, *sess.CancelledAt)
				if err := InsertOutbox(tx, notice); err != nil {
					return err
				}
			}
		}
		for slotID, n := range released {
			if err := releaseSeats(tx, slotID, n, sess.UpdatedAt); err != nil {
				return err
			}
		}
		return tx.Create(audit).Error
	})
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// GetSession loads a session with its point's name and org path.
func (r *Schedules) GetSession(ctx context.Context, id int64) (*model.LiaisonSession, error) {
	return getSession(r.s.db.WithContext(ctx), id)
}

func sessionsJoined(db *gorm.DB) *gorm.DB {
	return db.Table("liaison_sessions").
		Select("liaison_sessions.*, points.name AS point_name, points.address AS point_address, points.org_id AS org_id, orgs.path AS org_path").
		Joins("JOIN points ON points.id = liaison_sessions.point_id").
		Joins("JOIN orgs ON orgs.id = points.org_id")
}

func getSession(db *gorm.DB, id int64) (*model.LiaisonSession, error) {
	var sess model.LiaisonSession
	if err := sessionsJoined(db).Where("liaison_sessions.id = ?", id).Take(&sess).Error; err != nil {
		return nil, translate(err)
	}
	return &sess, nil
}
