package telemetry

import (
	"context"
	"time"

	"zhilian/model"
	"zhilian/service"
)

// CountSubmissions counts every request the repository records (the
// residents' and the cadres' alike), not idempotent replays.
func (m *Metrics) CountSubmissions(next service.RequestRepo) service.RequestRepo {
	return submissions{next, m}
}

type submissions struct {
	service.RequestRepo
	m *Metrics
}

func (s submissions) Submit(ctx context.Context, rec service.NewRequestRecord) (*model.IdempotencyRecord, error) {
	prior, err := s.RequestRepo.Submit(ctx, rec)
	if err == nil && prior == nil {
		s.m.submitted.WithLabelValues(string(rec.Request.Source)).Inc()
	}
	return prior, err
}

// CountBookings counts the bookings the repository makes (not replays).
func (m *Metrics) CountBookings(next service.BookingRepo) service.BookingRepo {
	return bookings{next, m}
}

type bookings struct {
	service.BookingRepo
	m *Metrics
}

func (b bookings) Book(ctx context.Context, key *model.IdempotencyRecord, residentID, slotID int64, now time.Time,
	build func(*model.LiaisonSession, *model.Slot, int) (*model.Booking, error)) (*model.Booking, bool, error) {
	bk, replayed, err := b.BookingRepo.Book(ctx, key, residentID, slotID, now, build)
	if err == nil && !replayed {
		b.m.booked.Inc()
	}
	return bk, replayed, err
}

// CountCheckIns counts the check-ins the desk records.
func (m *Metrics) CountCheckIns(next service.DeskRepo) service.DeskRepo { return checkIns{next, m} }

type checkIns struct {
	service.DeskRepo
	m *Metrics
}

func (c checkIns) CheckIn(ctx context.Context, sessionID int64, code string,
	change func(*model.LiaisonSession, *model.Booking) error) (*model.Booking, error) {
	b, err := c.DeskRepo.CheckIn(ctx, sessionID, code, change)
	if err == nil {
		c.m.checkedIn.Inc()
	}
	return b, err
}

// CountRejections counts the calls a rate limiter refuses, by limit.
func (m *Metrics) CountRejections(next service.RateLimiter) service.RateLimiter {
	return limiter{next, m}
}

type limiter struct {
	next service.RateLimiter
	m    *Metrics
}

func (l limiter) Allow(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	ok, wait, err := l.next.Allow(ctx, key, n, period)
	if !ok {
		l.m.rateLimited.WithLabelValues(limitName(key)).Inc()
	}
	return ok, wait, err
}

func (l limiter) Check(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	ok, wait, err := l.next.Check(ctx, key, n, period)
	if !ok {
		l.m.rateLimited.WithLabelValues(limitName(key)).Inc()
	}
	return ok, wait, err
}
