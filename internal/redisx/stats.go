package redisx

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// StatsCache keeps computed statistics reports for a short time.
type StatsCache struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewStatsCache builds the cache; keys are prefix + "stats:" + the query and data version.
func NewStatsCache(rdb redis.UniversalClient, prefix string) *StatsCache {
	return &StatsCache{rdb: rdb, prefix: prefix + "stats:"}
}

// Get returns the cached report, or nil on a miss.
func (c *StatsCache) Get(ctx context.Context, key string) ([]byte, error) {
	b, err := c.rdb.Get(ctx, c.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	return b, err
}

// Set stores a report for ttl.
func (c *StatsCache) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return c.rdb.Set(ctx, c.prefix+key, val, ttl).Err()
}
