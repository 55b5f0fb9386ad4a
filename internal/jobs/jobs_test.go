package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/redis/go-redis/v9"

	"zhilian/internal/jobs"
	"zhilian/internal/testutil"
)

func redisClient(t *testing.T) redis.UniversalClient {
	rdb := redis.NewClient(&redis.Options{Addr: testutil.RedisAddr()})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func TestRedisLockerIsExclusive(t *testing.T) {
	t.Parallel()
	rdb, prefix := redisClient(t), testutil.NewRedisPrefix(t)
	ctx := context.Background()
	a := jobs.NewRedisLocker(rdb, prefix, time.Minute, 0)
	b := jobs.NewRedisLocker(rdb, prefix, time.Minute, 0)
	lock, err := a.Lock(ctx, "sessions.generate")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lock(ctx, "sessions.generate"); !errors.Is(err, jobs.ErrLocked) {
		t.Fatalf("second lock: %v", err)
	}
	if _, err := b.Lock(ctx, "bookings.no_show"); err != nil {
		t.Fatalf("another job's lock: %v", err)
	}
	if ttl := rdb.PTTL(ctx, prefix+"lock:job:sessions.generate").Val(); ttl <= 0 || ttl > time.Minute {
		t.Fatalf("lock key under the prefix with ttl %v", ttl)
	}
	if err := lock.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lock(ctx, "sessions.generate"); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	// An unlock by a holder whose lock expired and was taken over does not free the new holder's lock.
	if err := lock.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lock(ctx, "sessions.generate"); !errors.Is(err, jobs.ErrLocked) {
		t.Fatalf("stale unlock freed the lock: %v", err)
	}
}

func TestRedisLockerMinimumHold(t *testing.T) {
	t.Parallel()
	rdb, prefix := redisClient(t), testutil.NewRedisPrefix(t)
	ctx := context.Background()
	a := jobs.NewRedisLocker(rdb, prefix, time.Minute, 400*time.Millisecond)
	lock, err := a.Lock(ctx, "j")
	if err != nil {
		t.Fatal(err)
	}
	_ = lock.Unlock(ctx)
	if _, err := a.Lock(ctx, "j"); !errors.Is(err, jobs.ErrLocked) {
		t.Fatalf("a quick run released the lock at once: %v", err)
	}
	time.Sleep(600 * time.Millisecond)
	if _, err := a.Lock(ctx, "j"); err != nil {
		t.Fatalf("after the minimum hold: %v", err)
	}
}

// Two schedulers (two instances) due to run the same job at the same moment:
// it runs once.
func TestTwoSchedulersRunAJobOnce(t *testing.T) {
	t.Parallel()
	rdb, prefix := redisClient(t), testutil.NewRedisPrefix(t)
	var runs atomic.Int32
	var scheds []gocron.Scheduler
	at := time.Now().Add(700 * time.Millisecond)
	for i := 0; i < 2; i++ {
		s, err := gocron.NewScheduler(gocron.WithDistributedLocker(jobs.NewRedisLocker(rdb, prefix, time.Minute, 30*time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.NewJob(gocron.OneTimeJob(gocron.OneTimeJobStartDateTime(at)),
			gocron.NewTask(func() { runs.Add(1); time.Sleep(50 * time.Millisecond) }), gocron.WithName("once"))
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		scheds = append(scheds, s)
	}
	time.Sleep(1500 * time.Millisecond)
	for _, s := range scheds {
		_ = s.Shutdown()
	}
	if n := runs.Load(); n != 1 {
		t.Fatalf("job ran %d times", n)
	}
}

type countGen struct{ n atomic.Int32 }

func (c *countGen) GenerateAll(context.Context) (int, error)   { c.n.Add(1); return 0, nil }
func (c *countGen) MarkNoShows(context.Context) (int, error)   { return 0, nil }
func (c *countGen) RefreshTopics(context.Context) (int, error) { return 0, nil }

func TestStartRunsGenerationAndStops(t *testing.T) {
	t.Parallel()
	rdb, prefix := redisClient(t), testutil.NewRedisPrefix(t)
	g := &countGen{}
	s, err := jobs.Start(jobs.New(jobs.Deps{Sessions: g, NoShows: g, Topics: g, Log: testutil.Quiet()}), jobs.NewRedisLocker(rdb, prefix, time.Minute, time.Second), "", testutil.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for g.n.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if g.n.Load() != 1 {
		t.Fatalf("generation ran %d times at start-up", g.n.Load())
	}
}

// TestCronReplacesTheDailyTimes: with a test timetable the daily jobs run on
// its ticks (here every second) instead of once a day, and not at start-up.
func TestCronReplacesTheDailyTimes(t *testing.T) {
	t.Parallel()
	rdb, prefix := redisClient(t), testutil.NewRedisPrefix(t)
	g := &countGen{}
	s, err := jobs.Start(jobs.New(jobs.Deps{Sessions: g, NoShows: g, Reminder: idle{}, Purger: idle{}, Deadlines: idle{}, Topics: idle{}, Log: testutil.Quiet()}),
		jobs.NewRedisLocker(rdb, prefix, time.Minute, 100*time.Millisecond), "* * * * * *", testutil.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if n := g.n.Load(); n < 2 || n > 3 {
		t.Fatalf("generation ran %d times in 2.5 s on a 1-second timetable", n)
	}
}

// idle is every other job's body, doing nothing.
type idle struct{}

func (idle) RemindTomorrow(context.Context) (int, error)         { return 0, nil }
func (idle) PurgeExpired(context.Context) (int64, error)         { return 0, nil }
func (idle) DueTomorrow(context.Context, time.Time) (int, error) { return 0, nil }
func (idle) Overdue(context.Context, time.Time) (int, error)     { return 0, nil }
func (idle) RefreshTopics(context.Context) (int, error)          { return 0, nil }

type failingGen struct{}

func (failingGen) GenerateAll(context.Context) (int, error) { return 0, errors.New("database gone") }

// TestJobsReportEveryRun: the metrics hear of each run, failures included.
func TestJobsReportEveryRun(t *testing.T) {
	t.Parallel()
	type run struct {
		job string
		err error
	}
	var runs []run
	j := jobs.New(jobs.Deps{Sessions: failingGen{}, Log: testutil.Quiet(),
		Observe: func(job string, err error, took time.Duration) { runs = append(runs, run{job, err}) }})
	if err := j.GenerateSessions(context.Background()); err == nil {
		t.Fatal("a failing job reported success")
	}
	if len(runs) != 1 || runs[0].job != "sessions.generate" || runs[0].err == nil {
		t.Fatalf("observed %+v", runs)
	}
	known := map[string]bool{}
	for _, n := range jobs.Names() {
		known[n] = true
	}
	if !known[runs[0].job] {
		t.Fatalf("%s is not in jobs.Names()", runs[0].job)
	}
}
