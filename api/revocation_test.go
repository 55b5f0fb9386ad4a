package api_test

import (
	"context"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// staleCache copies every string key of the test's Redis prefix; putting the
// copy back later is what a failed cache delete (Redis frozen during the
// revocation) leaves behind.
func staleCache(t *testing.T, e *testutil.Env) (restore func()) {
	t.Helper()
	ctx := context.Background()
	rdb := e.App.Redis
	type entry struct {
		val string
		ttl time.Duration
	}
	saved := map[string]entry{}
	iter := rdb.Scan(ctx, 0, e.Config.RedisPrefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		if rdb.Type(ctx, k).Val() != "string" {
			continue
		}
		saved[k] = entry{rdb.Get(ctx, k).Val(), rdb.PTTL(ctx, k).Val()}
	}
	if len(saved) == 0 {
		t.Fatal("nothing cached to go stale")
	}
	return func() {
		for k, v := range saved {
			if v.ttl <= 0 {
				v.ttl = time.Minute
			}
			rdb.Set(ctx, k, v.val, v.ttl)
		}
	}
}

// TestRevocationSurvivesAStaleCache: a revoked token stays dead even when the
// cache still holds its principal (the delete failed): logout, disable,
// password reset, role change, org change and org deactivation.
func TestRevocationSurvivesAStaleCache(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	admin := e.AdminToken()
	town := e.Org(admin, e.RootOrgID(), "district", "南海区")
	other := e.Org(admin, e.RootOrgID(), "district", "顺德区")
	revocations := map[string]func(id int64, tok string){
		"logout": func(_ int64, tok string) { e.Do("POST", "/api/v1/auth/logout", tok, nil).Must(t, 200) },
		"disable": func(id int64, _ string) {
			e.Do("POST", path("/api/v1/admin/accounts/%d/disable", id), admin, nil).Must(t, 200)
		},
		"reset": func(id int64, _ string) {
			e.Do("POST", path("/api/v1/admin/accounts/%d/reset-password", id), admin, map[string]string{"password": "Temp-2026-zl"}).Must(t, 200)
		},
		"role change": func(id int64, _ string) {
			e.Do("PATCH", path("/api/v1/admin/accounts/%d", id), admin, map[string]any{"role": "admin"}).Must(t, 200)
		},
		"org change": func(id int64, _ string) {
			e.Do("PATCH", path("/api/v1/admin/accounts/%d", id), admin, map[string]any{"org_id": other}).Must(t, 200)
		},
		"org disabled": func(_ int64, _ string) {
			e.Do("POST", path("/api/v1/admin/orgs/%d/deactivate", town), admin, nil).Must(t, 200)
		},
	}
	i := 0
	for name, revoke := range revocations {
		i++
		id, tok := e.Staff(admin, town, "cadre", "rev_"+string(rune('a'+i)))
		e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200) // the principal is now cached
		restore := staleCache(t, e)
		revoke(id, tok)
		restore() // the cache delete "failed": the old entry is back
		e.Do("GET", "/api/v1/auth/me", tok, nil).MustErr(t, 401, "unauthorized")
		e.Do("GET", "/api/v1/work/requests", tok, nil).MustErr(t, 401, "unauthorized")
		if name == "org disabled" {
			e.Do("POST", path("/api/v1/admin/orgs/%d/activate", town), admin, nil).Must(t, 200)
		}
	}
}
