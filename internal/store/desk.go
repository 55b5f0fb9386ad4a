package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
	"zhilian/service"
)

var _ service.DeskRepo = (*Desk)(nil)

// Desk persists what cadres do at a session: check-in, closing, no-shows.
type Desk struct{ s *Store }

// Desk returns the session desk repository.
func (s *Store) Desk() *Desk { return &Desk{s} }

// GetSession loads a session with its point's name and org path.
func (r *Desk) GetSession(ctx context.Context, id int64) (*model.LiaisonSession, error) {
	return getSession(r.s.db.WithContext(ctx), id)
}

// Work lists sessions from a date on at points inside a subtree or hosted by
// an account, by date then id (keyset).
func (r *Desk) Work(ctx context.Context, f model.SessionFilter) (model.Page[model.LiaisonSession], error) {
	var out model.Page[model.LiaisonSession]
	var afterDate string
	var afterID int64
	if err := decodeCursor(f.Cursor, &afterDate, &afterID); err != nil {
		return out, err
	}
	size := pageSize(f.Size)
	q := sessionsJoined(r.s.db.WithContext(ctx)).Where("liaison_sessions.date >= ?", f.FromDate).
		Where("(orgs.path LIKE ? OR EXISTS (SELECT 1 FROM point_hosts h WHERE h.point_id = points.id AND h.account_id = ?))",
			escapeLike(f.StaffPath)+"%", f.HostID)
	if f.Cursor != "" {
		q = q.Where("(liaison_sessions.date > ? OR (liaison_sessions.date = ? AND liaison_sessions.id > ?))", afterDate, afterDate, afterID)
	}
	if err := q.Order("liaison_sessions.date, liaison_sessions.id").Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	if len(out.Items) > size {
		out.Items = out.Items[:size]
		last := out.Items[size-1]
		out.NextCursor = encodeCursor(last.Date, last.ID)
	}
	return out, nil
}

// Slots lists a session's slots that are not withdrawn.
func (r *Desk) Slots(ctx context.Context, sessionID int64) ([]model.Slot, error) {
	out := []model.Slot{}
	err := r.s.db.WithContext(ctx).Where("session_id = ? AND withdrawn = 0", sessionID).Order("start_at").Find(&out).Error
	return out, translate(err)
}

// Roster lists a session's bookings with the residents' names, by slot time.
func (r *Desk) Roster(ctx context.Context, sessionID int64) ([]model.Booking, error) {
	out := []model.Booking{}
	err := rosterJoined(r.s.db.WithContext(ctx)).
		Where("bookings.session_id = ?", sessionID).Order("bookings.starts_at, bookings.id").Find(&out).Error
	return out, translate(err)
}

// rosterJoined is bookingsJoined with the resident's name, as cadres see it.
func rosterJoined(db *gorm.DB) *gorm.DB {
	return bookingsJoined(db).
		Select("bookings.*, slots.end_at AS ends_at, liaison_sessions.date AS date, points.name AS point_name, points.address AS point_address, residents.name AS resident_name").
		Joins("JOIN residents ON residents.id = bookings.resident_id")
}

// IsHost reports whether an account is on a point's host team.
func (r *Desk) IsHost(ctx context.Context, pointID, accountID int64) (bool, error) {
	var n int64
	err := r.s.db.WithContext(ctx).Model(&model.PointHost{}).Where("point_id = ? AND account_id = ?", pointID, accountID).Count(&n).Error
	return n > 0, translate(err)
}

// CheckIn locks the session (shared) and the booking with this code, lets
// change check it in and saves it.
func (r *Desk) CheckIn(ctx context.Context, sessionID int64, code string, change func(*model.LiaisonSession, *model.Booking) error) (*model.Booking, error) {
	var id int64
	err := r.s.tx(ctx, "Desk.CheckIn", func(tx *gorm.DB) error {
		var sess model.LiaisonSession
		if err := tx.Raw("SELECT * FROM liaison_sessions WHERE id = ? LOCK IN SHARE MODE", sessionID).Take(&sess).Error; err != nil {
			return err
		}
		var b model.Booking
		if err := forUpdate(tx).Where("session_id = ? AND code = ?", sessionID, code).First(&b).Error; err != nil {
			return err
		}
		if err := change(&sess, &b); err != nil {
			return err
		}
		id = b.ID
		return saveBooking(tx, &b)
	})
	if err != nil {
		return nil, err
	}
	var b model.Booking
	if err := rosterJoined(r.s.db.WithContext(ctx)).Where("bookings.id = ?", id).Take(&b).Error; err != nil {
		return nil, translate(err)
	}
	return &b, nil
}

// Close locks the session and its bookings that are not cancelled, counts the
// items recorded at it (collected, closed on its day) and the people without
// an account they were recorded for (walk-ins: one per phone, else per name,
// else per item), lets change close it (marking no-shows), and saves
// everything with the audit row.
func (r *Desk) Close(ctx context.Context, sessionID int64, change func(*model.LiaisonSession, []*model.Booking, model.SessionTally) (*model.AuditLog, error)) (*model.LiaisonSession, error) {
	err := r.s.tx(ctx, "Desk.Close", func(tx *gorm.DB) error {
		var sess model.LiaisonSession
		if err := forUpdate(tx).First(&sess, sessionID).Error; err != nil {
			return err
		}
		var bookings []*model.Booking
		if err := forUpdate(tx).Where("session_id = ? AND status <> ?", sessionID, model.BookingCancelled).Order("id").Find(&bookings).Error; err != nil {
			return err
		}
		day, err := model.ParseDate(sess.Date)
		if err != nil {
			return err
		}
		var items model.SessionTally
		if err := tx.Raw(`SELECT COUNT(*) AS collected,
				COALESCE(SUM(status IN ('resolved', 'responded') AND closed_at < ?), 0) AS solved_on_spot,
				COUNT(DISTINCT IF(resident_id IS NULL,
					COALESCE(contact_phone_hash, IF(contact_name <> '', CONCAT('name:', contact_name), NULL), CONCAT('item:', id)),
					NULL)) AS walk_ins
			FROM requests WHERE session_id = ? AND status <> ?`,
			day.AddDate(0, 0, 1), sessionID, model.StatusWithdrawn).Scan(&items).Error; err != nil {
			return err
		}
		audit, err := change(&sess, bookings, items)
		if err != nil {
			return err
		}
		if err := tx.Model(&sess).Select("status", "summary", "closed_at", "closed_by", "attendees", "no_shows",
			"collected", "solved_on_spot", "updated_at").Updates(&sess).Error; err != nil {
			return err
		}
		for _, b := range bookings {
			if err := saveBooking(tx, b); err != nil {
				return err
			}
		}
		return tx.Create(audit).Error
	})
	if err != nil {
		return nil, err
	}
	return r.GetSession(ctx, sessionID)
}

// noShowBatch is how many bookings one no-show transaction marks.
const noShowBatch = 200

// MarkNoShows marks, in batches under row locks, the booked bookings whose
// session ended by now. A booking already marked is no longer selected, so
// running it twice changes nothing.
func (r *Desk) MarkNoShows(ctx context.Context, now time.Time, change func(*model.Booking) error) (int, error) {
	total := 0
	for {
		n := 0
		err := r.s.tx(ctx, "Desk.MarkNoShows", func(tx *gorm.DB) error {
			// Find the candidates without locking sessions, then lock just the bookings.
			var ids []int64
			err := tx.Table("bookings").
				Joins("JOIN liaison_sessions ON liaison_sessions.id = bookings.session_id").
				Where("bookings.status = ? AND bookings.starts_at <= ? AND liaison_sessions.ends_at <= ?", model.BookingBooked, now, now).
				Order("bookings.id").Limit(noShowBatch).Pluck("bookings.id", &ids).Error
			if err != nil || len(ids) == 0 {
				return err
			}
			var bookings []*model.Booking
			if err := forUpdate(tx).Where("id IN ? AND status = ?", ids, model.BookingBooked).Order("id").Find(&bookings).Error; err != nil {
				return err
			}
			for _, b := range bookings {
				if err := change(b); err != nil {
					return err
				}
				if err := saveBooking(tx, b); err != nil {
					return err
				}
			}
			n = len(ids)
			return nil
		})
		total += n
		if err != nil || n < noShowBatch {
			return total, err
		}
	}
}
