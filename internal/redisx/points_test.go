package redisx_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zhilian/internal/redisx"
	"zhilian/internal/testutil"
	"zhilian/model"
)

func sessionsCache(t *testing.T) (*redisx.SessionsCache, redis.UniversalClient, string) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: testutil.RedisAddr()})
	t.Cleanup(func() { _ = rdb.Close() })
	prefix := testutil.UniqueCode("zlt_cache_") + ":"
	t.Cleanup(func() {
		keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			_ = rdb.Del(context.Background(), keys...).Err()
		}
	})
	return redisx.NewSessionsCache(rdb, prefix, time.Minute), rdb, prefix
}

// TestSessionsCacheKeepsWhatTheListShows stores a point's sessions and reads
// back every field the public list and its seats are made of.
func TestSessionsCacheKeepsWhatTheListShows(t *testing.T) {
	t.Parallel()
	cache, _, _ := sessionsCache(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	summary, n := "小结", 3
	want := []model.LiaisonSession{{ID: 7, PointID: 42, Date: "2026-12-01", Kind: model.SessionExtra, Status: model.SessionClosed,
		StartsAt: at, EndsAt: at.Add(3 * time.Hour), Reason: "补班", CancelReason: "", Summary: &summary, ClosedAt: &at,
		Attendees: &n, NoShows: &n, Collected: &n, SolvedOnSpot: &n, CreatedAt: at, UpdatedAt: at, PointName: "一号驻点",
		PointAddress: "幸福路 1 号", OrgID: 9,
		Slots: []model.Slot{{ID: 70, SessionID: 7, StartAt: at, EndAt: at.Add(30 * time.Minute), ClosesAt: at.Add(-12 * time.Hour),
			Capacity: 5, Booked: 2}}},
		{ID: 8, PointID: 42, Date: "2026-12-08", Kind: model.SessionRegular, Status: model.SessionOpen, StartsAt: at.AddDate(0, 0, 7),
			EndsAt: at.AddDate(0, 0, 7).Add(time.Hour), CreatedAt: at, UpdatedAt: at, Slots: []model.Slot{}}}
	if _, ok := cache.Get(ctx, 42); ok {
		t.Fatal("hit before any Set")
	}
	cache.Set(ctx, 42, want)
	got, ok := cache.Get(ctx, 42)
	if !ok {
		t.Fatal("miss after Set")
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	cache.Drop(ctx, 42)
	if _, ok := cache.Get(ctx, 42); ok {
		t.Fatal("hit after Drop")
	}
}

// TestSessionsCacheReadsEntriesOfTheEarlierFormat reads an entry as the cache
// wrote it when it encoded the model directly, so a deploy does not turn the
// entries of the instances still running into misses or empty fields.
func TestSessionsCacheReadsEntriesOfTheEarlierFormat(t *testing.T) {
	t.Parallel()
	cache, rdb, prefix := sessionsCache(t)
	ctx := context.Background()
	old := `[{"id":7,"point_id":42,"date":"2026-12-01","kind":"regular","status":"open","starts_at":"2026-12-01T09:00:00+08:00",` +
		`"ends_at":"2026-12-01T12:00:00+08:00","created_at":"2026-11-20T10:00:00+08:00","updated_at":"2026-11-20T10:00:00+08:00",` +
		`"point_name":"一号驻点","point_address":"幸福路 1 号","org_id":9,"slots":[{"id":70,"session_id":7,` +
		`"start_at":"2026-12-01T09:00:00+08:00","end_at":"2026-12-01T09:30:00+08:00","closes_at":"2026-11-30T21:00:00+08:00",` +
		`"capacity":5,"booked":2}]}]`
	if err := rdb.Set(ctx, prefix+"pts:42", old, time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	got, ok := cache.Get(ctx, 42)
	if !ok || len(got) != 1 || len(got[0].Slots) != 1 {
		t.Fatalf("old entry not read: %v %+v", ok, got)
	}
	s, sl := got[0], got[0].Slots[0]
	start := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	if s.ID != 7 || s.PointName != "一号驻点" || s.PointAddress != "幸福路 1 号" || s.OrgID != 9 || s.Status != model.SessionOpen ||
		!s.StartsAt.Equal(start) || sl.ID != 70 || sl.Capacity != 5 || sl.Booked != 2 || !sl.StartAt.Equal(start) {
		t.Fatalf("old entry read wrong: %+v", got)
	}
}
