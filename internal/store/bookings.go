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

var _ service.BookingRepo = (*Bookings)(nil)

// Bookings persists bookings. Book is the transaction that keeps every slot
// within its capacity whatever the concurrency and number of instances.
type Bookings struct{ s *Store }

// Bookings returns the booking repository.
func (s *Store) Bookings() *Bookings { return &Bookings{s} }

// errReplay stops a transaction whose Idempotency-Key was already used.
var errReplay = errors.New("idempotency key used")

// codeAttempts bounds the redraws of a check-in code taken in the session.
const codeAttempts = 8

// Book is the booking transaction. Locks are taken in one order everywhere:
// resident, session (shared), slot.
func (r *Bookings) Book(ctx context.Context, key *model.IdempotencyRecord, residentID, slotID int64, now time.Time,
	build func(*model.LiaisonSession, *model.Slot, int) (*model.Booking, error)) (*model.Booking, bool, error) {
	if key == nil { // a replay (with a key) is answered even when the slot has filled since
		if err := r.refuseFull(ctx, slotID, now); err != nil {
			return nil, false, err
		}
	}
	var b *model.Booking
	book := func(tx *gorm.DB) error {
		if key != nil {
			if err := tx.Create(key).Error; err != nil {
				if dupKey(err, "uk_idempotency_key") {
					return errReplay
				}
				return err
			}
		}
		var res model.Resident
		if err := forUpdate(tx).Select("id", "status").First(&res, residentID).Error; err != nil {
			return err
		}
		var future int64
		if err := tx.Model(&model.Booking{}).Where("resident_id = ? AND status = ? AND starts_at > ?",
			residentID, model.BookingBooked, now).Count(&future).Error; err != nil {
			return err
		}
		var slot model.Slot
		if err := tx.First(&slot, slotID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return model.E(model.CodeNotFound, "预约时段不存在")
			}
			return err
		}
		var sess model.LiaisonSession
		if err := tx.Raw(`SELECT liaison_sessions.*, points.name AS point_name FROM liaison_sessions
			JOIN points ON points.id = liaison_sessions.point_id
			WHERE liaison_sessions.id = ? AND points.active = 1 LOCK IN SHARE MODE`, slot.SessionID).Take(&sess).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return model.E(model.CodeBookingClosed, "该驻点已停止预约")
			}
			return err
		}
		var err error
		if b, err = build(&sess, &slot, int(future)); err != nil {
			return err
		}
		// The guarded increment: the database, not a read, decides whether a seat is left.
		upd := tx.Exec(`UPDATE slots SET booked = booked + 1, updated_at = ?
			WHERE id = ? AND booked < capacity AND withdrawn = 0 AND closes_at > ?`, now, slotID, now)
		if upd.Error != nil {
			return upd.Error
		}
		if upd.RowsAffected == 0 {
			return whyNoSeat(tx, slotID, now)
		}
		for attempt := 1; ; attempt++ {
			err := tx.Create(b).Error
			if err == nil {
				break
			}
			switch {
			case dupKey(err, "uk_bookings_active"):
				return model.E(model.CodeAlreadyBooked, "您已预约本场接访，每场限约一个时段")
			case dupKey(err, "uk_bookings_session_code") && attempt < codeAttempts:
				b.ID, b.Code = 0, model.NewCheckinCode()
			default:
				return err
			}
		}
		if err := InsertOutbox(tx, b.Notice(model.EventBookingConfirmed, sess.PointName, "", now)); err != nil {
			return err
		}
		if key != nil {
			key.Status, key.TargetID = 201, &b.ID
			return tx.Model(key).Select("status", "target_id").Updates(key).Error
		}
		return nil
	}
	err := r.s.tx(ctx, fmt.Sprintf("Bookings.Book slot %d", slotID), book)
	if errors.Is(err, errReplay) {
		return r.replay(ctx, key)
	}
	if err != nil {
		return nil, false, err
	}
	out, err := r.Get(ctx, b.ID)
	return out, false, err
}

// whyNoSeat reads the slot's latest state (a locking read) to say why the
// guarded increment took no seat.
// refuseFull answers slot_full from a plain read when the slot of an open
// session is full: once the seats of a hot slot are gone, the attempts that
// follow take no lock. (A slot that looks free is still decided by the
// guarded increment under the locks.) A full slot is then refused as full
// before the resident's own limits are looked at.
func (r *Bookings) refuseFull(ctx context.Context, slotID int64, now time.Time) error {
	var full int
	err := r.s.db.WithContext(ctx).Raw(`SELECT 1 FROM slots
		JOIN liaison_sessions ON liaison_sessions.id = slots.session_id
		JOIN points ON points.id = liaison_sessions.point_id
		WHERE slots.id = ? AND slots.booked >= slots.capacity AND slots.withdrawn = 0 AND slots.closes_at > ?
			AND liaison_sessions.status = ? AND points.active = 1`, slotID, now, model.SessionOpen).Scan(&full).Error
	if err != nil {
		return translate(err)
	}
	if full == 1 {
		return model.E(model.CodeSlotFull, "该时段已约满，请选择其他时段")
	}
	return nil
}

func whyNoSeat(tx *gorm.DB, slotID int64, now time.Time) error {
	var slot model.Slot
	err := tx.Raw("SELECT * FROM slots WHERE id = ? LOCK IN SHARE MODE", slotID).Take(&slot).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return model.ErrSlotWithdrawn
	case err != nil:
		return err
	}
	return slot.NoSeat(now)
}

// replay answers a reused Idempotency-Key with the booking it made.
func (r *Bookings) replay(ctx context.Context, key *model.IdempotencyRecord) (*model.Booking, bool, error) {
	var rec model.IdempotencyRecord
	err := r.s.db.WithContext(ctx).Where("subject_kind = ? AND subject_id = ? AND scope = ? AND idem_key = ?",
		key.SubjectKind, key.SubjectID, key.Scope, key.IdemKey).Take(&rec).Error
	if err != nil {
		return nil, false, translate(err)
	}
	if rec.BodyHash != key.BodyHash {
		return nil, false, model.E(model.CodeIdempotencyMismatch, "该 Idempotency-Key 已用于另一个不同的请求")
	}
	if rec.TargetID == nil {
		return nil, false, model.E(model.CodeConflict, "相同 Idempotency-Key 的请求正在处理，请稍后重试")
	}
	b, err := r.Get(ctx, *rec.TargetID)
	return b, true, err
}

func bookingsJoined(db *gorm.DB) *gorm.DB {
	return db.Table("bookings").
		Select("bookings.*, slots.end_at AS ends_at, liaison_sessions.date AS date, points.name AS point_name, points.address AS point_address").
		Joins("JOIN slots ON slots.id = bookings.slot_id").
		Joins("JOIN liaison_sessions ON liaison_sessions.id = bookings.session_id").
		Joins("JOIN points ON points.id = bookings.point_id")
}

// Get loads a booking with its slot end, date and point.
func (r *Bookings) Get(ctx context.Context, id int64) (*model.Booking, error) {
	var b model.Booking
	if err := bookingsJoined(r.s.db.WithContext(ctx)).Where("bookings.id = ?", id).Take(&b).Error; err != nil {
		return nil, translate(err)
	}
	return &b, nil
}

// List lists a resident's bookings, newest first, keyset-paginated by id.
func (r *Bookings) List(ctx context.Context, f model.BookingFilter) (model.Page[model.Booking], error) {
	var out model.Page[model.Booking]
	var after int64
	if err := decodeCursor(f.Cursor, &after); err != nil {
		return out, err
	}
	size := pageSize(f.Size)
	q := bookingsJoined(r.s.db.WithContext(ctx)).Where("bookings.resident_id = ?", f.ResidentID)
	if f.Status != "" {
		q = q.Where("bookings.status = ?", f.Status)
	}
	if after > 0 {
		q = q.Where("bookings.id < ?", after)
	}
	if err := q.Order("bookings.id DESC").Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	if len(out.Items) > size {
		out.Items = out.Items[:size]
		out.NextCursor = encodeCursor(out.Items[size-1].ID)
	}
	return out, nil
}

func saveBooking(tx *gorm.DB, b *model.Booking) error {
	return tx.Model(b).Select("status", "cancelled_at", "cancel_reason", "checked_in_at", "checked_in_by", "no_show_at", "updated_at").
		Updates(b).Error
}

// releaseSeats gives n seats of a slot back.
func releaseSeats(tx *gorm.DB, slotID int64, n int, now time.Time) error {
	res := tx.Exec("UPDATE slots SET booked = booked - ?, updated_at = ? WHERE id = ? AND booked >= ?", n, now, slotID, n)
	if res.Error == nil && res.RowsAffected != 1 {
		return errors.New("slot seat count out of step with its bookings")
	}
	return res.Error
}

// Cancel locks a resident's booking, lets change cancel it, saves it and
// returns its seat in the same transaction.
func (r *Bookings) Cancel(ctx context.Context, id, residentID int64, change func(*model.Booking) error) (*model.Booking, error) {
	var b model.Booking
	err := r.s.tx(ctx, fmt.Sprintf("Bookings.Cancel %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).Where("id = ? AND resident_id = ?", id, residentID).First(&b).Error; err != nil {
			return err
		}
		if err := change(&b); err != nil {
			return err
		}
		if err := saveBooking(tx, &b); err != nil {
			return err
		}
		return releaseSeats(tx, b.SlotID, 1, b.UpdatedAt)
	})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// Upcoming lists a point's sessions not yet ended at now, with their slots
// (withdrawn slots left out).
func (r *Bookings) Upcoming(ctx context.Context, pointID int64, now time.Time, limit int) ([]model.LiaisonSession, error) {
	db := r.s.db.WithContext(ctx)
	var out []model.LiaisonSession
	err := db.Where("point_id = ? AND date >= ? AND ends_at > ?", pointID, model.FormatDate(now), now).
		Order("date").Limit(limit).Find(&out).Error
	if err != nil || len(out) == 0 {
		return []model.LiaisonSession{}, translate(err)
	}
	ids := make([]int64, len(out))
	for i := range out {
		ids[i] = out[i].ID
		out[i].Slots = []model.Slot{}
	}
	var slots []model.Slot
	if err := db.Where("session_id IN ? AND withdrawn = 0", ids).Order("start_at").Find(&slots).Error; err != nil {
		return nil, translate(err)
	}
	idx := make(map[int64]int, len(out))
	for i := range out {
		idx[out[i].ID] = i
	}
	for _, s := range slots {
		i := idx[s.SessionID]
		out[i].Slots = append(out[i].Slots, s)
	}
	return out, nil
}

// ForReminder lists the booked bookings of the sessions held on date (not
// cancelled), with their point names, for the day-before reminder.
func (r *Bookings) ForReminder(ctx context.Context, date string) ([]model.Booking, error) {
	var out []model.Booking
	err := bookingsJoined(r.s.db.WithContext(ctx)).
		Where("liaison_sessions.date = ? AND liaison_sessions.status <> ? AND bookings.status = ?",
			date, model.SessionCancelled, model.BookingBooked).
		Order("bookings.id").Find(&out).Error
	return out, translate(err)
}

// Enqueue queues notifications in a transaction of their own (Outbox.Enqueue).
func (r *Bookings) Enqueue(ctx context.Context, msgs ...*model.OutboxMessage) error {
	return r.s.Outbox().Enqueue(ctx, msgs...)
}
