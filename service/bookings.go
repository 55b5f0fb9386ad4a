package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"zhilian/model"
)

// BookingRepo persists bookings; Book is the one booking transaction.
type BookingRepo interface {
	// Book runs, in one transaction: the idempotency key, a lock on the
	// resident, the count of their future bookings, a shared lock on the
	// session, build (the domain checks), the guarded seat increment and the
	// insert under unique keys. replayed is true when key was already used:
	// the booking it made is returned.
	Book(ctx context.Context, key *model.IdempotencyRecord, residentID, slotID int64, now time.Time,
		build func(sess *model.LiaisonSession, slot *model.Slot, future int) (*model.Booking, error)) (b *model.Booking, replayed bool, err error)
	Get(ctx context.Context, id int64) (*model.Booking, error)
	List(ctx context.Context, f model.BookingFilter) (model.Page[model.Booking], error)
	// Cancel locks a resident's booking, lets change cancel it and returns its seat.
	Cancel(ctx context.Context, id, residentID int64, change func(*model.Booking) error) (*model.Booking, error)
	// Upcoming lists a point's sessions not yet ended at now, with their slots.
	Upcoming(ctx context.Context, pointID int64, now time.Time, limit int) ([]model.LiaisonSession, error)
	// ForReminder lists the booked bookings of sessions held on a date.
	ForReminder(ctx context.Context, date string) ([]model.Booking, error)
	// Enqueue queues notifications.
	Enqueue(ctx context.Context, msgs ...*model.OutboxMessage) error
}

// RequestReader loads a request (to check a booking's linked request is the resident's).
type RequestReader interface {
	Get(ctx context.Context, id int64) (*model.Request, error)
}

// Bookings lets residents see sessions and book, list and cancel seats.
type Bookings struct {
	repo     BookingRepo
	points   *Points
	requests RequestReader
	cache    SessionsCache
	now      func() time.Time
}

// NewBookings builds the bookings service.
func NewBookings(repo BookingRepo, points *Points, requests RequestReader, cache SessionsCache, now func() time.Time) *Bookings {
	return &Bookings{repo: repo, points: points, requests: requests, cache: cache, now: now}
}

// PointSessions lists an active point's upcoming sessions with their slots
// (cached for a few seconds; booking always asks the database). It returns
// the time the figures refer to.
func (s *Bookings) PointSessions(ctx context.Context, pointID int64) ([]model.LiaisonSession, time.Time, error) {
	now := s.now()
	if _, err := s.points.PublicGet(ctx, pointID); err != nil {
		return nil, now, err
	}
	if v, ok := s.cache.Get(ctx, pointID); ok {
		return v, now, nil
	}
	v, err := s.repo.Upcoming(ctx, pointID, now, 30)
	if err != nil {
		return nil, now, err
	}
	s.cache.Set(ctx, pointID, v)
	return v, now, nil
}

// BookInput is a resident's booking request.
type BookInput struct {
	SlotID         int64
	Topic          string
	RequestID      *int64
	IdempotencyKey string
}

// Book takes a seat in a slot. It never books more seats than the slot has,
// whatever the concurrency and number of instances: the database decides.
func (s *Bookings) Book(ctx context.Context, p *model.Principal, in BookInput) (*model.Booking, bool, error) {
	topic, err := model.ValidateTopic(in.Topic)
	if err != nil {
		return nil, false, err
	}
	if in.SlotID <= 0 {
		return nil, false, model.Invalid("缺少字段 slot_id")
	}
	if in.RequestID != nil {
		if *in.RequestID <= 0 {
			return nil, false, model.Invalid("request_id 须为正整数")
		}
		r, err := s.requests.Get(ctx, *in.RequestID)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return nil, false, err
		}
		if err != nil || !r.OwnedBy(p.ID) {
			return nil, false, model.E(model.CodeNotFound, "要关联的诉求不存在")
		}
	}
	now := s.now()
	var key *model.IdempotencyRecord
	if in.IdempotencyKey != "" {
		if err := model.ValidIdempotencyKey(in.IdempotencyKey); err != nil {
			return nil, false, err
		}
		req := ""
		if in.RequestID != nil {
			req = fmt.Sprint(*in.RequestID)
		}
		sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s\x00%s", in.SlotID, topic, req)))
		key = &model.IdempotencyRecord{SubjectKind: model.SubjectResident, SubjectID: p.ID, Scope: "booking.create",
			IdemKey: in.IdempotencyKey, BodyHash: hex.EncodeToString(sum[:]), CreatedAt: now}
	}
	b, replayed, err := s.repo.Book(ctx, key, p.ID, in.SlotID, now, func(sess *model.LiaisonSession, slot *model.Slot, future int) (*model.Booking, error) {
		if err := slot.CanBook(sess, future, now); err != nil {
			return nil, err
		}
		return model.NewBooking(p.ID, slot, sess, topic, in.RequestID, now), nil
	})
	if err != nil {
		return nil, false, err
	}
	if !replayed {
		s.cache.Drop(ctx, b.PointID)
	}
	return b, replayed, nil
}

var errBookingNotFound = model.E(model.CodeNotFound, "预约不存在")

// Get returns one of the resident's bookings (another resident's is not_found).
func (s *Bookings) Get(ctx context.Context, p *model.Principal, id int64) (*model.Booking, error) {
	b, err := s.repo.Get(ctx, id)
	if model.IsCode(err, model.CodeNotFound) || err == nil && b.ResidentID != p.ID {
		return nil, errBookingNotFound
	}
	return b, err
}

// List lists the resident's bookings, newest first.
func (s *Bookings) List(ctx context.Context, p *model.Principal, status model.BookingStatus, cursor string, size int) (model.Page[model.Booking], error) {
	switch status {
	case "", model.BookingBooked, model.BookingCheckedIn, model.BookingCancelled, model.BookingNoShow:
	default:
		return model.Page[model.Booking]{}, model.Invalid("status 须为 booked、checked_in、cancelled 或 no_show")
	}
	return s.repo.List(ctx, model.BookingFilter{ResidentID: p.ID, Status: status, Cursor: cursor, Size: size})
}

// Cancel gives a booking's seat back at once (before the cut-off).
func (s *Bookings) Cancel(ctx context.Context, p *model.Principal, id int64) (*model.Booking, error) {
	now := s.now()
	b, err := s.repo.Cancel(ctx, id, p.ID, func(b *model.Booking) error { return b.Cancel("居民取消", false, now) })
	if model.IsCode(err, model.CodeNotFound) {
		return nil, errBookingNotFound
	}
	if err != nil {
		return nil, err
	}
	s.cache.Drop(ctx, b.PointID)
	return s.repo.Get(ctx, b.ID)
}

// RemindTomorrow queues the day-before reminder for every booking of
// tomorrow's sessions (Asia/Shanghai). One reminder per booking however often
// it runs: the notice's dedup key is the booking's.
func (s *Bookings) RemindTomorrow(ctx context.Context) (int, error) {
	now := s.now()
	tomorrow := model.FormatDate(model.DayOf(now).AddDate(0, 0, 1))
	due, err := s.repo.ForReminder(ctx, tomorrow)
	if err != nil {
		return 0, err
	}
	msgs := make([]*model.OutboxMessage, len(due))
	for i := range due {
		msgs[i] = due[i].Notice(model.EventSessionReminder, due[i].PointName, "明天接访，请准时到场", now)
	}
	return len(msgs), s.repo.Enqueue(ctx, msgs...)
}
