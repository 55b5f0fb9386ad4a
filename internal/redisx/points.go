package redisx

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"zhilian/model"
	"zhilian/service"
)

var _ service.SessionsCache = (*SessionsCache)(nil)

// SessionsCache keeps a point's public session list (seats left) for a few
// seconds. It is a cache only: bookings always ask the database, and a Redis
// failure just means a miss.
type SessionsCache struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewSessionsCache builds the cache; entries live ttl.
func NewSessionsCache(rdb redis.UniversalClient, prefix string, ttl time.Duration) *SessionsCache {
	return &SessionsCache{rdb: rdb, prefix: prefix + "pts:", ttl: ttl}
}

func (c *SessionsCache) key(pointID int64) string { return c.prefix + strconv.FormatInt(pointID, 10) }

// Get returns the cached list, if any.
func (c *SessionsCache) Get(ctx context.Context, pointID int64) ([]model.LiaisonSession, bool) {
	b, err := c.rdb.Get(ctx, c.key(pointID)).Bytes()
	if err != nil {
		return nil, false
	}
	var v []cachedSession
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, false
	}
	out := make([]model.LiaisonSession, len(v))
	for i := range v {
		out[i] = v[i].model()
	}
	return out, true
}

// Set stores the list.
func (c *SessionsCache) Set(ctx context.Context, pointID int64, v []model.LiaisonSession) {
	rec := make([]cachedSession, len(v))
	for i := range v {
		rec[i] = toCached(&v[i])
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return
	}
	_ = c.rdb.Set(ctx, c.key(pointID), b, c.ttl).Err()
}

// Drop forgets the list after a change (booking, cancellation, new rule).
func (c *SessionsCache) Drop(ctx context.Context, pointID int64) {
	_ = c.rdb.Del(ctx, c.key(pointID)).Err()
}

// cachedSession is a session as the cache stores it: the cache owns its
// encoding (model knows no JSON). The keys are those the cache always wrote,
// so entries written before and after a deploy read the same.
type cachedSession struct {
	ID           int64               `json:"id"`
	PointID      int64               `json:"point_id"`
	Date         string              `json:"date"`
	Kind         model.SessionKind   `json:"kind"`
	Status       model.SessionStatus `json:"status"`
	StartsAt     time.Time           `json:"starts_at"`
	EndsAt       time.Time           `json:"ends_at"`
	Reason       string              `json:"reason,omitempty"`
	CancelReason string              `json:"cancel_reason,omitempty"`
	CancelledAt  *time.Time          `json:"cancelled_at,omitempty"`
	Summary      *string             `json:"summary,omitempty"`
	ClosedAt     *time.Time          `json:"closed_at,omitempty"`
	Attendees    *int                `json:"attendees,omitempty"`
	NoShows      *int                `json:"no_shows,omitempty"`
	Collected    *int                `json:"collected,omitempty"`
	SolvedOnSpot *int                `json:"solved_on_spot,omitempty"`
	CreatedAt    time.Time           `json:"created_at"`
	UpdatedAt    time.Time           `json:"updated_at"`
	PointName    string              `json:"point_name"`
	PointAddress string              `json:"point_address"`
	OrgID        int64               `json:"org_id"`
	Slots        []cachedSlot        `json:"slots"`
}

// cachedSlot is a slot as the cache stores it.
type cachedSlot struct {
	ID        int64     `json:"id"`
	SessionID int64     `json:"session_id"`
	StartAt   time.Time `json:"start_at"`
	EndAt     time.Time `json:"end_at"`
	ClosesAt  time.Time `json:"closes_at"`
	Capacity  int       `json:"capacity"`
	Booked    int       `json:"booked"`
}

func toCached(s *model.LiaisonSession) cachedSession {
	out := cachedSession{ID: s.ID, PointID: s.PointID, Date: s.Date, Kind: s.Kind, Status: s.Status, StartsAt: s.StartsAt,
		EndsAt: s.EndsAt, Reason: s.Reason, CancelReason: s.CancelReason, CancelledAt: s.CancelledAt, Summary: s.Summary,
		ClosedAt: s.ClosedAt, Attendees: s.Attendees, NoShows: s.NoShows, Collected: s.Collected, SolvedOnSpot: s.SolvedOnSpot,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, PointName: s.PointName, PointAddress: s.PointAddress, OrgID: s.OrgID}
	if s.Slots != nil {
		out.Slots = make([]cachedSlot, len(s.Slots))
	}
	for i, sl := range s.Slots {
		out.Slots[i] = cachedSlot{ID: sl.ID, SessionID: sl.SessionID, StartAt: sl.StartAt, EndAt: sl.EndAt,
			ClosesAt: sl.ClosesAt, Capacity: sl.Capacity, Booked: sl.Booked}
	}
	return out
}

func (c *cachedSession) model() model.LiaisonSession {
	out := model.LiaisonSession{ID: c.ID, PointID: c.PointID, Date: c.Date, Kind: c.Kind, Status: c.Status, StartsAt: c.StartsAt,
		EndsAt: c.EndsAt, Reason: c.Reason, CancelReason: c.CancelReason, CancelledAt: c.CancelledAt, Summary: c.Summary,
		ClosedAt: c.ClosedAt, Attendees: c.Attendees, NoShows: c.NoShows, Collected: c.Collected, SolvedOnSpot: c.SolvedOnSpot,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, PointName: c.PointName, PointAddress: c.PointAddress, OrgID: c.OrgID}
	if c.Slots != nil {
		out.Slots = make([]model.Slot, len(c.Slots))
	}
	for i, sl := range c.Slots {
		out.Slots[i] = model.Slot{ID: sl.ID, SessionID: sl.SessionID, StartAt: sl.StartAt, EndAt: sl.EndAt,
			ClosesAt: sl.ClosesAt, Capacity: sl.Capacity, Booked: sl.Booked}
	}
	return out
}
