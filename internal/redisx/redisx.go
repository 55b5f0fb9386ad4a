// Package redisx holds the Redis adapters: the login cache, the rate limiter
// and the WeChat access-token cache. Every key carries the configured prefix.
package redisx

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"zhilian/model"
)

// NewClient builds a UniversalClient: one address is a plain client, several a
// cluster; with a Sentinel master name the addresses are the sentinels and the
// client follows the master they elect (go-redis's failover client).
func NewClient(addrs []string, masterName, password string) redis.UniversalClient {
	return redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:        addrs,
		MasterName:   masterName,
		Password:     password,
		DialTimeout:  2 * time.Second,
		ReadTimeout:  time.Second,
		WriteTimeout: time.Second,
		PoolTimeout:  2 * time.Second,
		// Redis is a cache here: fail fast when it is down rather than stall requests.
		MaxRetries:         1,
		DialerRetries:      1,
		DialerRetryTimeout: 50 * time.Millisecond,
	})
}

// LoginCache caches resolved principals by token hash.
type LoginCache struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewLoginCache builds the cache; entries live at most ttl.
func NewLoginCache(rdb redis.UniversalClient, prefix string, ttl time.Duration) *LoginCache {
	return &LoginCache{rdb: rdb, prefix: prefix + "login:", ttl: ttl}
}

// Get returns the cached principal, or nil on a miss.
func (c *LoginCache) Get(ctx context.Context, hash string) (*model.Principal, error) {
	b, err := c.rdb.Get(ctx, c.prefix+hash).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec principalRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, nil
	}
	p := rec.principal()
	p.TokenHash = hash
	return &p, nil
}

// principalRecord is the cached form of a principal: the cache owns its
// encoding (model knows no JSON). The token hash is the key, not the value.
type principalRecord struct {
	Kind               model.SubjectKind `json:"kind"`
	ID                 int64             `json:"id"`
	Name               string            `json:"name"`
	Role               model.Role        `json:"role"`
	OrgID              int64             `json:"org_id,omitempty"`
	OrgPath            string            `json:"org_path,omitempty"`
	OrgKind            model.OrgKind     `json:"org_kind,omitempty"`
	MustChangePassword bool              `json:"must_change_password,omitempty"`
	Generation         int64             `json:"generation"`
	ExpiresAt          time.Time         `json:"expires_at"`
}

func recordOf(p *model.Principal) principalRecord {
	return principalRecord{Kind: p.Kind, ID: p.ID, Name: p.Name, Role: p.Role, OrgID: p.OrgID, OrgPath: p.OrgPath,
		OrgKind: p.OrgKind, MustChangePassword: p.MustChangePassword, Generation: p.Generation, ExpiresAt: p.ExpiresAt}
}

func (r principalRecord) principal() model.Principal {
	return model.Principal{Kind: r.Kind, ID: r.ID, Name: r.Name, Role: r.Role, OrgID: r.OrgID, OrgPath: r.OrgPath,
		OrgKind: r.OrgKind, MustChangePassword: r.MustChangePassword, Generation: r.Generation, ExpiresAt: r.ExpiresAt}
}

// Set caches a principal until min(ttl, its expiry).
func (c *LoginCache) Set(ctx context.Context, p *model.Principal, now time.Time) error {
	ttl := c.ttl
	if left := p.ExpiresAt.Sub(now); left < ttl {
		ttl = left
	}
	if ttl <= 0 {
		return nil
	}
	b, _ := json.Marshal(recordOf(p))
	return c.rdb.Set(ctx, c.prefix+p.TokenHash, b, ttl).Err()
}

// Delete drops cached sign-ins (logins).
func (c *LoginCache) Delete(ctx context.Context, hashes ...string) error {
	if len(hashes) == 0 {
		return nil
	}
	keys := make([]string, len(hashes))
	for i, h := range hashes {
		keys[i] = c.prefix + h
	}
	return c.rdb.Del(ctx, keys...).Err()
}

// Limiter is a GCRA rate limiter in Redis (shared by every instance).
type Limiter struct {
	l      *redis_rate.Limiter
	prefix string
}

// NewLimiter builds a limiter over rdb.
func NewLimiter(rdb redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{l: redis_rate.NewLimiter(rdb), prefix: prefix + "rl:"}
}

// Allow takes one token from key's bucket of n per period; it returns how long
// to wait when none is left.
func (l *Limiter) Allow(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	res, err := l.l.Allow(ctx, l.prefix+key, redis_rate.Limit{Rate: n, Burst: n, Period: period})
	if err != nil {
		return true, 0, err
	}
	if res.Allowed > 0 {
		return true, 0, nil
	}
	return false, res.RetryAfter, nil
}

// Check reports whether key's bucket has a token left without taking it, and
// how long until one is back when it has not.
func (l *Limiter) Check(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	res, err := l.l.AllowN(ctx, l.prefix+key, redis_rate.Limit{Rate: n, Burst: n, Period: period}, 0)
	if err != nil {
		return true, 0, err
	}
	if res.Remaining >= 1 {
		return true, 0, nil
	}
	// ResetAfter is when the bucket is full again; one token is back
	// (n-1) emission intervals before that.
	wait := res.ResetAfter - period*time.Duration(n-1)/time.Duration(n)
	if wait < 0 {
		wait = 0
	}
	return false, wait, nil
}

// Ping checks Redis answers (readiness).
func Ping(ctx context.Context, rdb redis.UniversalClient) error { return rdb.Ping(ctx).Err() }
