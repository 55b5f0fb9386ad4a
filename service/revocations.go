package service

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"zhilian/model"
)

// RevocationLog lists recent login revocations (MySQL, login_revocations).
type RevocationLog interface {
	// Revoked lists the revocations recorded in the last `within`, by the database's clock.
	Revoked(ctx context.Context, within time.Duration) ([]model.LoginRevocation, error)
}

// Revocation timings. A revocation answers only after revocationFresh has
// passed since its commit; an instance trusts the login cache only while its
// list was read less than revocationFresh ago. So once the revoking request
// has answered, every instance that uses a cached principal has read a list
// that includes the revocation, whatever Redis holds (a delete that failed,
// a cache restored from before the revocation, a cache refill that raced it).
const (
	revocationFresh   = 250 * time.Millisecond
	revocationRefresh = revocationFresh / 2 // read again in the background past this age
	revocationWindow  = 2 * time.Minute     // each read takes this much history (a revocation's transaction commits well within it)
	revocationKeep    = 15 * time.Minute    // held in memory: longer than a cached entry can live after its revocation
)

type revocationKey struct {
	hash string
	gen  int64
}

// revocations is this process's copy of the recent revocations, refreshed
// from the log every revocationRefresh while requests come in (idle, it
// reads nothing).
type revocations struct {
	log   RevocationLog
	clock func() time.Time // monotonic (time.Now): freshness, never the injected business clock
	group singleflight.Group
	ahead atomic.Bool // a background read is under way

	mu      sync.RWMutex
	seen    map[revocationKey]time.Time // → when to forget it
	freshAt time.Time                   // start of the last successful read
}

func newRevocations(log RevocationLog) *revocations {
	return &revocations{log: log, clock: time.Now, seen: map[revocationKey]time.Time{}}
}

// usable reports whether a cached principal may be used: the list is fresh
// (read again when not) and does not name its token hash and generation.
// false also when the list cannot be read: the caller reads the login row.
func (r *revocations) usable(ctx context.Context, p *model.Principal) bool {
	if r == nil || r.log == nil {
		return false
	}
	r.mu.RLock()
	age := r.clock().Sub(r.freshAt)
	r.mu.RUnlock()
	switch {
	case age >= revocationFresh:
		if err := r.refresh(ctx); err != nil {
			r.distrust()
			return false
		}
	case age >= revocationRefresh && r.ahead.CompareAndSwap(false, true):
		go func() {
			defer r.ahead.Store(false)
			if err := r.refresh(context.WithoutCancel(ctx)); err != nil {
				r.distrust()
			}
		}()
	}
	r.mu.RLock()
	_, revoked := r.seen[revocationKey{p.TokenHash, p.Generation}]
	fresh := r.clock().Sub(r.freshAt) < revocationFresh
	r.mu.RUnlock()
	return fresh && !revoked
}

// refresh reads the log once for every caller waiting at the same time.
func (r *revocations) refresh(ctx context.Context) error {
	_, err, _ := r.group.Do("", func() (any, error) {
		start := r.clock()
		rows, err := r.log.Revoked(ctx, revocationWindow)
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		forget := start.Add(revocationKeep)
		for _, l := range rows {
			k := revocationKey{l.TokenHash, l.Generation}
			if _, ok := r.seen[k]; !ok {
				r.seen[k] = forget
			}
		}
		for k, until := range r.seen {
			if start.After(until) {
				delete(r.seen, k)
			}
		}
		if start.After(r.freshAt) {
			r.freshAt = start
		}
		return nil, nil
	})
	return err
}

// distrust makes the list stale: the next check reads it (or the login row) first.
func (r *revocations) distrust() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.freshAt = time.Time{}
	r.mu.Unlock()
}

// settle waits until every instance trusting its cache has read a list that
// includes a revocation just committed.
func (r *revocations) settle(ctx context.Context) {
	t := time.NewTimer(revocationFresh)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
