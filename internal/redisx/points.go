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
	var v []model.LiaisonSession
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, false
	}
	return v, true
}

// Set stores the list.
func (c *SessionsCache) Set(ctx context.Context, pointID int64, v []model.LiaisonSession) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	_ = c.rdb.Set(ctx, c.key(pointID), b, c.ttl).Err()
}

// Drop forgets the list after a change (booking, cancellation, new rule).
func (c *SessionsCache) Drop(ctx context.Context, pointID int64) {
	_ = c.rdb.Del(ctx, c.key(pointID)).Err()
}
