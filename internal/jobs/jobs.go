// Package jobs runs Zhilian's background jobs on a gocron scheduler: keeping
// liaison sessions generated, marking no-shows, queueing reminders, purging
// expired sign-ins. A Redis lock makes sure
// that with several instances each run happens once; every job is idempotent
// anyway, and callable directly (tests run them with a set clock).
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"

	"zhilian/model"
)

// SessionGenerator keeps sessions generated ahead.
type SessionGenerator interface {
	GenerateAll(ctx context.Context) (int, error)
}

// NoShowMarker marks the bookings of ended sessions that nobody checked in.
type NoShowMarker interface {
	MarkNoShows(ctx context.Context) (int, error)
}

// Reminder queues the day-before reminders of tomorrow's bookings.
type Reminder interface {
	RemindTomorrow(ctx context.Context) (int, error)
}

// LoginPurger deletes expired logins (sign-ins).
type LoginPurger interface {
	PurgeExpired(ctx context.Context) (int64, error)
}

// DeadlineReminder queues the cadres' due-tomorrow and overdue reminders.
type DeadlineReminder interface {
	DueTomorrow(ctx context.Context, now time.Time) (int, error)
	Overdue(ctx context.Context, now time.Time) (int, error)
}

// TopicRefresher computes the daily hot topics of the city and districts.
type TopicRefresher interface {
	RefreshTopics(ctx context.Context) (int, error)
}

// Jobs holds the job bodies.
type Jobs struct {
	gen       SessionGenerator
	noShow    NoShowMarker
	remind    Reminder
	purge     LoginPurger
	deadlines DeadlineReminder
	topics    TopicRefresher
	observe   func(job string, err error, took time.Duration)
	now       func() time.Time
	log       *slog.Logger
}

// Names are the jobs' names, as logs and metrics report them.
func Names() []string {
	return []string{"sessions.generate", "bookings.no_show", "bookings.remind", "auth.purge",
		"requests.due_tomorrow", "requests.overdue", "topics.refresh"}
}

// Deps are the jobs' collaborators.
type Deps struct {
	Sessions  SessionGenerator
	NoShows   NoShowMarker
	Reminder  Reminder
	Purger    LoginPurger
	Deadlines DeadlineReminder
	Topics    TopicRefresher
	// Observe hears of every run (the metrics); nil: nobody.
	Observe func(job string, err error, took time.Duration)
	Now     func() time.Time
	Log     *slog.Logger
}

// New builds the jobs.
func New(d Deps) *Jobs {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Observe == nil {
		d.Observe = func(string, error, time.Duration) {}
	}
	return &Jobs{gen: d.Sessions, noShow: d.NoShows, remind: d.Reminder, purge: d.Purger, deadlines: d.Deadlines,
		topics: d.Topics, observe: d.Observe, now: d.Now, log: d.Log}
}

// DueTomorrow reminds cadres of items due by the end of the next working day (daily at 16:00).
func (j *Jobs) DueTomorrow(ctx context.Context) error {
	return j.count(ctx, "requests.due_tomorrow", "queued", func(ctx context.Context) (int, error) {
		return j.deadlines.DueTomorrow(ctx, j.now())
	})
}

// Overdue reminds assignees and the handling org's admins of overdue items (daily at 09:00).
func (j *Jobs) Overdue(ctx context.Context) error {
	return j.count(ctx, "requests.overdue", "queued", func(ctx context.Context) (int, error) {
		return j.deadlines.Overdue(ctx, j.now())
	})
}

// count runs a job body, logs its outcome and reports it to the metrics.
func (j *Jobs) count(ctx context.Context, name, what string, fn func(context.Context) (int, error)) error {
	start := time.Now()
	n, err := fn(ctx)
	took := time.Since(start)
	j.observe(name, err, took)
	if err != nil {
		j.log.ErrorContext(ctx, "job failed", "job", name, "took_ms", took.Milliseconds(), "err", err)
		return err
	}
	j.log.InfoContext(ctx, "job done", "job", name, what, n, "took_ms", took.Milliseconds())
	return nil
}

// RefreshTopics computes the hot topics of the city and districts (daily at 02:30).
func (j *Jobs) RefreshTopics(ctx context.Context) error {
	return j.count(ctx, "topics.refresh", "stored", j.topics.RefreshTopics)
}

// RemindSessions queues tomorrow's reminders (run daily at 18:00).
func (j *Jobs) RemindSessions(ctx context.Context) error {
	return j.count(ctx, "bookings.remind", "queued", j.remind.RemindTomorrow)
}

// PurgeLogins deletes expired logins (run daily at 03:30).
func (j *Jobs) PurgeLogins(ctx context.Context) error {
	return j.count(ctx, "auth.purge", "deleted", func(ctx context.Context) (int, error) {
		n, err := j.purge.PurgeExpired(ctx)
		return int(n), err
	})
}

// GenerateSessions creates the sessions and slots every active point's rule
// asks for up to its booking horizon.
func (j *Jobs) GenerateSessions(ctx context.Context) error {
	return j.count(ctx, "sessions.generate", "sessions_created", j.gen.GenerateAll)
}

// MarkNoShows marks booked bookings of ended sessions as no_show.
func (j *Jobs) MarkNoShows(ctx context.Context) error {
	return j.count(ctx, "bookings.no_show", "marked", j.noShow.MarkNoShows)
}

// Scheduler runs the jobs on a timetable (Asia/Shanghai).
type Scheduler struct{ s gocron.Scheduler }

// Start schedules the jobs and starts them: sessions generated at start-up and
// daily at 00:05, no-shows marked every 30 minutes and at 22:30, tomorrow's
// booking reminders queued at 18:00, expired logins purged at 03:30,
// cadres reminded of items overdue (09:00) and due tomorrow (16:00), the
// city's and districts' hot topics computed at start-up and at 02:30. A
// non-empty cron (6 fields, seconds first; ZL_JOBS_CRON, for tests) replaces
// the time of every daily job.
func Start(j *Jobs, locker gocron.Locker, cron string, log *slog.Logger) (*Scheduler, error) {
	s, err := gocron.NewScheduler(gocron.WithLocation(model.Shanghai), gocron.WithDistributedLocker(locker),
		gocron.WithLogger(log), gocron.WithStopTimeout(20*time.Second))
	if err != nil {
		return nil, err
	}
	run := func(fn func(context.Context) error) func(context.Context) {
		return func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
			defer cancel()
			_ = fn(ctx)
		}
	}
	defs := []struct {
		name  string
		def   gocron.JobDefinition
		fn    func(context.Context) error
		first bool
		daily bool
	}{
		{"sessions.generate", daily(0, 5), j.GenerateSessions, true, true},
		{"bookings.no_show", gocron.DurationJob(30 * time.Minute), j.MarkNoShows, false, false},
		{"bookings.no_show.evening", daily(22, 30), j.MarkNoShows, false, true},
		{"bookings.remind", daily(18, 0), j.RemindSessions, false, true},
		{"auth.purge", daily(3, 30), j.PurgeLogins, false, true},
		{"requests.due_tomorrow", daily(16, 0), j.DueTomorrow, false, true},
		{"requests.overdue", daily(9, 0), j.Overdue, false, true},
		{"topics.refresh", daily(2, 30), j.RefreshTopics, true, true},
	}
	for _, d := range defs {
		if d.daily && cron != "" {
			d.def = gocron.CronJob(cron, true)
		}
		opts := []gocron.JobOption{gocron.WithName(d.name), gocron.WithSingletonMode(gocron.LimitModeReschedule)}
		if d.first && cron == "" { // on the test timetable the next tick comes soon enough
			opts = append(opts, gocron.WithStartAt(gocron.WithStartImmediately()))
		}
		if _, err := s.NewJob(d.def, gocron.NewTask(run(d.fn)), opts...); err != nil {
			_ = s.Shutdown()
			return nil, fmt.Errorf("schedule %s: %w", d.name, err)
		}
	}
	s.Start()
	log.Info("background jobs started", "jobs", len(defs))
	return &Scheduler{s: s}, nil
}

func daily(hour, minute uint) gocron.JobDefinition {
	return gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(hour, minute, 0)))
}

// Stop stops scheduling and waits for running jobs (bounded).
func (s *Scheduler) Stop() error { return s.s.Shutdown() }
