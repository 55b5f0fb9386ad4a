// Package memlimit is the rate limiter of one process: token buckets
// (golang.org/x/time/rate) kept in a bounded LRU. It stands in for the Redis
// limiter while Redis is down, so an outage is not a window for brute force;
// its budgets are per instance.
package memlimit

import (
	"context"
	"fmt"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"

	"zhilian/service"
)

// Limiter keeps one token bucket per key, at most size keys (the least
// recently used are forgotten first).
type Limiter struct {
	buckets *lru.Cache[string, *rate.Limiter]
	now     func() time.Time
}

// New builds a limiter holding at most size keys; now is the wall clock
// (time.Now when nil).
func New(size int, now func() time.Time) (*Limiter, error) {
	c, err := lru.New[string, *rate.Limiter](size)
	if err != nil {
		return nil, fmt.Errorf("memlimit: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{buckets: c, now: now}, nil
}

// bucket returns key's bucket of n per period, creating it full.
func (l *Limiter) bucket(key string, n int, period time.Duration) *rate.Limiter {
	k := fmt.Sprintf("%s|%d|%s", key, n, period)
	if b, ok := l.buckets.Get(k); ok {
		return b
	}
	fresh := rate.NewLimiter(rate.Every(period/time.Duration(n)), n)
	if prev, found, _ := l.buckets.PeekOrAdd(k, fresh); found {
		return prev
	}
	return fresh
}

// wait is how long until b has one token.
func wait(b *rate.Limiter, tokens float64) time.Duration {
	return time.Duration((1 - tokens) / float64(b.Limit()) * float64(time.Second))
}

// Allow takes one token from key's bucket of n per period.
func (l *Limiter) Allow(_ context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	if n <= 0 || period <= 0 {
		return true, 0, nil
	}
	b := l.bucket(key, n, period)
	now := l.now()
	if b.AllowN(now, 1) {
		return true, 0, nil
	}
	return false, wait(b, b.TokensAt(now)), nil
}

// Check reports whether key's bucket has a token left, without taking it.
func (l *Limiter) Check(_ context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	if n <= 0 || period <= 0 {
		return true, 0, nil
	}
	b := l.bucket(key, n, period)
	if t := b.TokensAt(l.now()); t < 1 {
		return false, wait(b, t), nil
	}
	return true, 0, nil
}

var _ service.RateLimiter = (*Limiter)(nil)
