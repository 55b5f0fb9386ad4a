// Package jobs runs Zhilian's background jobs on a gocron scheduler: keeping
// liaison sessions generated and marking no-shows. A Redis lock makes sure
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

// Jobs holds the job bodies.
type Jobs struct {
	gen    SessionGenerator
	noShow NoShowMarker
	log    *slog.Logger
}

// New builds the jobs.
func New(gen SessionGenerator, noShow NoShowMarker, log *slog.Logger) *Jobs {
	return &Jobs{gen: gen, noShow: noShow, log: log}
}

// GenerateSessions creates the sessions and slots every active point's rule
// asks for up to its booking horizon.
func (j *Jobs) GenerateSessions(ctx context.Context) error {
	n, err := j.gen.GenerateAll(ctx)
	if err != nil {
		j.log.ErrorContext(ctx, "job failed", "job", "sessions.generate", "err", err)
		return err
	}
	j.log.InfoContext(ctx, "job done", "job", "sessions.generate", "sessions_created", n)
	return nil
}

// MarkNoShows marks booked bookings of ended sessions as no_show.
func (j *Jobs) MarkNoShows(ctx context.Context) error {
	n, err := j.noShow.MarkNoShows(ctx)
	if err != nil {
		j.log.ErrorContext(ctx, "job failed", "job", "bookings.no_show", "err", err)
		return err
	}
	j.log.InfoContext(ctx, "job done", "job", "bookings.no_show", "marked", n)
	return nil
}

// Scheduler runs the jobs on a timetable (Asia/Shanghai).
type Scheduler struct{ s gocron.Scheduler }

// Start schedules the jobs and starts them: sessions generated at start-up and
// daily at 00:05, no-shows marked every 30 minutes and at 22:30.
func Start(j *Jobs, locker gocron.Locker, log *slog.Logger) (*Scheduler, error) {
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
	}{
		{"sessions.generate", gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(0, 5, 0))), j.GenerateSessions, true},
		{"bookings.no_show", gocron.DurationJob(30 * time.Minute), j.MarkNoShows, false},
		{"bookings.no_show.evening", gocron.DailyJob(1, gocron.NewAtTimes(gocron.NewAtTime(22, 30, 0))), j.MarkNoShows, false},
	}
	for _, d := range defs {
		opts := []gocron.JobOption{gocron.WithName(d.name), gocron.WithSingletonMode(gocron.LimitModeReschedule)}
		if d.first {
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

// Stop stops scheduling and waits for running jobs (bounded).
func (s *Scheduler) Stop() error { return s.s.Shutdown() }
