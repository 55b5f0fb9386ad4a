package wechat

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/cache"
)

var _ cache.Cache = (*RedisCache)(nil)

// RedisCache is the SDK's cache.Cache over our go-redis v9 client, so every
// instance shares one access token.
type RedisCache struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisCache builds the cache; keys get prefix + "wx:".
func NewRedisCache(rdb redis.UniversalClient, prefix string) *RedisCache {
	return &RedisCache{rdb: rdb, prefix: prefix + "wx:"}
}

func ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*time.Second)
}

// Get returns the value or nil.
func (c *RedisCache) Get(key string) interface{} {
	cx, cancel := ctx()
	defer cancel()
	v, err := c.rdb.Get(cx, c.prefix+key).Result()
	if err != nil {
		return nil
	}
	return v
}

// Set stores val for timeout; a non-positive timeout is clamped to one second
// (in go-redis v9 zero would mean "never expires").
func (c *RedisCache) Set(key string, val interface{}, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = time.Second
	}
	cx, cancel := ctx()
	defer cancel()
	return c.rdb.Set(cx, c.prefix+key, val, timeout).Err()
}

// IsExist reports whether key is cached.
func (c *RedisCache) IsExist(key string) bool {
	cx, cancel := ctx()
	defer cancel()
	n, err := c.rdb.Exists(cx, c.prefix+key).Result()
	return err == nil && n > 0
}

// Delete drops key.
func (c *RedisCache) Delete(key string) error {
	cx, cancel := ctx()
	defer cancel()
	err := c.rdb.Del(cx, c.prefix+key).Err()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}
