// Package app is the composition root: config → MySQL → migrations → Redis →
// services → HTTP. main and the tests build the server through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-sql-driver/mysql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"

	"zhilian/api"
	"zhilian/internal/blob"
	"zhilian/internal/config"
	"zhilian/internal/jobs"
	"zhilian/internal/media"
	"zhilian/internal/memlimit"
	"zhilian/internal/pii"
	"zhilian/internal/redisx"
	"zhilian/internal/similar"
	"zhilian/internal/store"
	"zhilian/internal/telemetry"
	"zhilian/internal/webui"
	"zhilian/internal/wechat"
	"zhilian/model"
	"zhilian/service"
)

// Options are knobs the tests turn; main uses the zero value.
type Options struct {
	Now         func() time.Time    // clock; time.Now when nil
	BcryptCost  int                 // 0: bcrypt's default
	LoginLimits service.LoginLimits // zero: the defaults
	// StatsSections are extra report sections, after the built-in ones (liaison points, departments).
	StatsSections []service.StatsSection
	// Analyzer is the Chinese text analyzer (its dictionary takes ~50 MB):
	// tests share one per process; nil builds one and loads it in the background.
	Analyzer *similar.Analyzer
	// Build is the version and commit /metrics reports (build_info).
	Build telemetry.Build
	// Tracer receives the spans when set (tests: an in-memory exporter);
	// otherwise ZL_OTEL_ENDPOINT decides.
	Tracer trace.TracerProvider
}

// App is a built server.
type App struct {
	Handler *gin.Engine
	// Served is what the API listener serves: Handler, behind the contract
	// check when ZL_CONTRACT_CHECK=1.
	Served http.Handler
	// Metrics serves /metrics and /debug/pprof/ on the metrics listener.
	Metrics http.Handler
	DB      *gorm.DB
	Redis   redis.UniversalClient
	Store   *store.Store
	// Registry holds every metric /metrics serves.
	Registry *prometheus.Registry

	// Wechat is the WeChat API client.
	Wechat *wechat.Client
	// Notifier delivers the outbox (started by Start when workers are on).
	Notifier *service.Notifier
	workers  bool
	log      *slog.Logger
	// closeReplicas closes the read replicas' pools (ZL_MYSQL_REPLICA_DSN).
	closeReplicas func() error
	// stopTracing flushes and stops the OTLP exporter (nil when tracing is off).
	stopTracing func(context.Context) error

	// AdminPassword is set when the bootstrap admin was just created with a
	// generated one-time password (logged once; it must be changed at the
	// first sign-in).
	AdminPassword string

	// Jobs are the background jobs' bodies (tests call them directly).
	Jobs   *jobs.Jobs
	locker *jobs.RedisLocker
	sched  *jobs.Scheduler
	// jobsCron replaces the daily jobs' times (ZL_JOBS_CRON, tests).
	jobsCron string
	// Reminders are the daily due-tomorrow and overdue jobs (a scheduler calls them).
	Reminders *service.Reminders
	// Similar is look-alike items, follows, merges and hot topics (tests call its daily job).
	Similar *service.Similar
}

// New builds the whole server from the configuration. The caller installs the
// WeChat HTTP client first (wechat.Install): the SDK keeps it process-wide.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opt Options) (*App, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	db, err := store.Open(ctx, cfg.MySQLDSN, now, log)
	if err != nil {
		return nil, err
	}
	a := &App{DB: db}
	ok := false
	defer func() {
		if !ok {
			a.Close()
		}
	}()
	if a.closeReplicas, err = store.UseReplicas(db, cfg.MySQLReplicaDSNs); err != nil {
		return nil, err
	}
	tp := opt.Tracer
	if tp == nil && cfg.OtelEndpoint != "" {
		sdk, err := telemetry.NewOTLP(ctx, cfg.OtelEndpoint, opt.Build)
		if err != nil {
			return nil, err
		}
		a.stopTracing, tp = sdk.Shutdown, sdk
		log.Info("tracing on: spans go to the OTLP collector", "endpoint", cfg.OtelEndpoint)
	}
	if tp != nil {
		if err := telemetry.TraceSQL(db, tp); err != nil {
			return nil, err
		}
	}
	v, err := store.Migrate(cfg.MySQLDSN)
	if err != nil {
		return nil, err
	}
	log.Info("migrations applied", "version", v)

	reg := prometheus.NewRegistry()
	a.Registry = reg
	metrics := telemetry.NewMetrics(reg, opt.Build, jobs.Names(), now)
	a.Redis = redisx.NewClient(cfg.RedisAddrs, cfg.RedisSentinelMaster, cfg.RedisPassword)
	telemetry.InstrumentRedis(reg, a.Redis)
	if tp != nil {
		if err := telemetry.TraceRedis(a.Redis, tp); err != nil {
			return nil, err
		}
	}
	if err := a.Redis.Ping(ctx).Err(); err != nil {
		log.Warn("redis unavailable at start-up; serving without cache and rate limits until it answers", "err", err)
	}
	st := store.New(db)
	a.Store = st

	appID, secret := cfg.WechatAppID, cfg.WechatSecret
	if cfg.FakeWechat() {
		appID, secret = wechat.FakeAppID, wechat.FakeSecret
	}
	wx := wechat.New(appID, secret, cfg.MPState, a.Redis, cfg.RedisPrefix, log, wechat.WithObserver(metrics.Wechat))
	a.Wechat = wx

	passwords := service.NewPasswords(opt.BcryptCost)
	sealer, err := pii.New(cfg.DataKeys)
	if err != nil {
		return nil, err
	}
	staffPhones := service.NewStaffPhones(sealer, log)
	if n, err := st.Accounts().SealPlainPhones(ctx, staffPhones.SealPlain); err != nil {
		return nil, fmt.Errorf("encrypt staff phone numbers: %w", err)
	} else if n > 0 {
		log.Info("staff phone numbers encrypted at rest", "moved", n)
	}
	fallback, err := memlimit.New(50_000, nil)
	if err != nil {
		return nil, err
	}
	auth := service.NewAuth(service.AuthDeps{
		Accounts: st.Accounts(), Residents: service.LoadResidentPrincipal(st.Residents()), Logins: st.Logins(), Revoked: st.Logins(),
		Cache:     redisx.NewLoginCache(a.Redis, cfg.RedisPrefix, 5*time.Minute),
		Limiter:   metrics.CountRejections(redisx.NewLimiter(a.Redis, cfg.RedisPrefix)),
		Fallback:  metrics.CountRejections(fallback),
		Passwords: passwords, Phones: staffPhones, Now: now, TTL: cfg.LoginTTL, Limits: opt.LoginLimits, Log: log,
	})
	accounts := service.NewAccounts(st.Accounts(), st.Orgs(), auth, passwords, now)
	orgs := service.NewOrgs(st.Orgs(), auth, now)
	residents := service.NewResidents(st.Residents(), wx, auth, now, log)

	blobs, err := blob.Open(ctx, cfg.BlobURL, blob.Credentials{AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey}, now)
	if err != nil {
		return nil, err
	}
	links, err := blob.NewSigner(cfg.DataKeys, now)
	if err != nil {
		return nil, err
	}
	calendar := service.NewCalendar(st.Calendar(), now)
	categories := service.NewCategories(st.Categories(), now)
	profiles := service.NewProfiles(service.ProfilesDeps{Repo: st.Residents(), Orgs: st.Orgs(), Sealer: sealer,
		Phones: wx, Blobs: blobs, Auth: auth, Now: now, Log: log})
	requestRepo := metrics.CountSubmissions(st.Requests())
	requests := service.NewRequests(service.RequestsDeps{Repo: requestRepo, Residents: st.Residents(),
		Categories: st.Categories(), Orgs: st.Orgs(), Calendar: calendar, Checker: wx, Auth: auth, Staff: st.Work(),
		Now: now, Log: log})
	work := service.NewWork(service.WorkDeps{Repo: st.Work(), Requests: requestRepo, Submitter: requests,
		Residents: st.Residents(), Orgs: st.Orgs(), Accounts: st.Accounts(), Categories: st.Categories(),
		Calendar: calendar, Sealer: sealer, Now: now, Log: log})
	integrators := service.NewIntegrators(st.Integrators(), st.Orgs(), now)
	open311 := service.NewOpen311(service.Open311Deps{Repo: st.Open311(), Requests: st.Requests(),
		Categories: st.Categories(), Orgs: st.Orgs(), Integrators: integrators, Calendar: calendar, Sealer: sealer,
		Staff: st.Work(), Limiter: auth, Now: now})
	a.Reminders = service.NewReminders(st.Work(), st.Outbox(), calendar)
	uploads := service.NewUploads(service.UploadsDeps{Repo: st.Uploads(), Blobs: blobs, Cleaner: media.New(media.DefaultLimits()),
		Guard: work, Links: links, Auth: auth, Now: now, Log: log})
	sessionsCache := redisx.NewSessionsCache(a.Redis, cfg.RedisPrefix, 5*time.Second)
	points := service.NewPoints(st.Points(), st.Orgs(), st.Accounts(), wx, now)
	schedules := service.NewSchedules(st.Schedules(), st.Schedules(), points, calendar, sessionsCache, now)
	bookings := service.NewBookings(metrics.CountBookings(st.Bookings()), points, st.Requests(), sessionsCache, now)
	desk := service.NewDesk(metrics.CountCheckIns(st.Desk()), work, sessionsCache, now)
	analyzer := opt.Analyzer
	if analyzer == nil {
		analyzer = similar.NewAnalyzer()
		go loadAnalyzer(analyzer, log)
	}
	similarity := service.NewSimilar(service.SimilarDeps{Repo: st.Similar(), Text: similar.NewEngine(analyzer),
		Requests: st.Requests(), Submitter: requests, Work: work, Orgs: st.Orgs(), Categories: st.Categories(),
		Points: st.Points(), Hosts: st.Desk(), Auth: auth, Now: now, Log: log})
	a.Similar = similarity
	a.Jobs = jobs.New(jobs.Deps{Sessions: schedules, NoShows: desk, Reminder: bookings, Purger: auth,
		Deadlines: a.Reminders, Topics: similarity, Observe: metrics.Job, Now: now, Log: log})
	minHold := time.Minute
	if cfg.JobsCron != "" {
		minHold = 5 * time.Second // the test timetable runs jobs ten seconds apart
	}
	a.locker = jobs.NewRedisLocker(a.Redis, cfg.RedisPrefix, 15*time.Minute, minHold)
	a.jobsCron = cfg.JobsCron

	boot := service.NewBootstrap(st.Orgs(), st.Accounts(), passwords, staffPhones, now, log)
	root, err := boot.Root(ctx, cfg.CityName, cfg.CityCode)
	if err != nil {
		return nil, fmt.Errorf("bootstrap root org: %w", err)
	}
	if a.AdminPassword, err = boot.Admin(ctx, root, cfg.AdminUsername, cfg.AdminPassword); err != nil {
		return nil, fmt.Errorf("bootstrap admin: %w", err)
	}
	if a.AdminPassword != "" {
		// Once, when the admin was just created: a JSON field, not a banner.
		log.Warn("bootstrap admin created: sign in with the one-time password and change it",
			"username", cfg.AdminUsername, "one_time_password", a.AdminPassword, "must_change_password", true)
	}
	if cfg.Demo {
		n, err := boot.Demo(ctx, root)
		if err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
		np, err := service.SeedDemoPoints(ctx, boot, points, schedules, cfg.AdminUsername)
		if err != nil {
			return nil, fmt.Errorf("demo points: %w", err)
		}
		log.Info("demo city ready", "created_rows", n, "created_points", np, "demo_staff_password", "see README (dev only)")
	}

	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	dsn, err := mysql.ParseDSN(cfg.MySQLDSN)
	if err != nil {
		return nil, err
	}
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(sqlDB, dsn.DBName), newOutboxCollector(st.Outbox(), now))

	templates := cfg.Templates
	if cfg.FakeWechat() && len(templates) == 0 {
		templates = map[string]string{}
		for _, ev := range model.AllEvents() {
			templates[ev] = "fake-tpl-" + ev
		}
	}
	a.Notifier = service.NewNotifier(st.Outbox(), st.Outbox(), wx, service.NotifierConfig{
		Templates: templates,
		Observe:   metrics.Outbox,
	}, now, log)
	a.workers = cfg.Workers
	a.log = log

	a.Handler, err = api.NewRouter(api.Deps{
		Auth: auth, Accounts: accounts, Orgs: orgs, Audit: service.NewAudit(st.AuditLogs()),
		Calendar: calendar, Residents: residents,
		Categories: categories, Profiles: profiles, Uploads: uploads, Requests: requests,
		SubscribeTemplates: templates,
		Work:               work, StaffWechat: service.NewStaffWechat(st.Accounts(), wx, auth, now),
		Outbox: service.NewOutbox(st.Outbox(), now),
		Points: points, Schedules: schedules, Bookings: bookings, Desk: desk, Similar: similarity,
		Shares:        service.NewShares(st.Shares(), requests, similarity, auth, now),
		PointCalendar: service.NewPointCalendar(st.Schedules(), points, now),
		WorkTargets:   service.NewWorkTargets(work, st.Directory()),
		Stats: service.NewStats(service.StatsDeps{Repo: st.Stats(), Orgs: st.Orgs(), Categories: st.Categories(),
			Calendar: calendar, Cache: redisx.NewStatsCache(a.Redis, cfg.RedisPrefix), Sections: append([]service.StatsSection{st.PointStats(), st.DepartmentStats()}, opt.StatsSections...),
			Now: now, Log: log}),
		Open311: open311, Integrators: integrators, Open311Contact: cfg.Open311Contact, Production: cfg.Production(),
		Ready: map[string]api.Checker{
			"mysql": st.Ping,
			"redis": func(ctx context.Context) error { return redisx.Ping(ctx, a.Redis) },
		},
		Registry: reg, Tracer: tp, Log: log, TrustedProxies: cfg.TrustedProxies,
		Admission: api.Admission{InFlight: cfg.MaxInFlight, Queued: cfg.MaxQueued, Wait: cfg.QueueWait},
		Web:       webui.New(webui.Embedded()),
	})
	if err != nil {
		return nil, err
	}
	a.Served = a.Handler
	if cfg.ContractCheck {
		if a.Served, err = contractChecked(a.Handler, log); err != nil {
			return nil, err
		}
	}
	a.Metrics = metricsHandler(reg)
	ok = true
	return a, nil
}

// loadAnalyzer loads the segmenter's dictionary at start-up, off the
// serving path (the first similarity call waits for it if it comes sooner),
// and logs what it took.
func loadAnalyzer(a *similar.Analyzer, log *slog.Logger) {
	start := time.Now()
	if err := a.Load(); err != nil {
		log.Error("similarity dictionary failed to load; look-alike items and topics are unavailable", "err", err)
		return
	}
	log.Info("similarity dictionary loaded", "took_ms", time.Since(start).Milliseconds())
}

// Start runs the background workers (when ZL_WORKERS is on) until ctx ends:
// the outbox notifier and the scheduled jobs. Several instances may run them:
// SKIP LOCKED and a Redis lock keep each message and each run to one. The
// returned function waits for them to stop.
func (a *App) Start(ctx context.Context) (wait func(), err error) {
	if !a.workers {
		return func() {}, nil
	}
	if a.sched, err = jobs.Start(a.Jobs, a.locker, a.jobsCron, a.log); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Notifier.Run(ctx)
	}()
	a.log.Info("background workers started", "outbox", true, "jobs", true)
	return func() { <-done }, nil
}

// Close stops the background jobs and releases the pools.
func (a *App) Close() error {
	var errs []error
	if a.sched != nil {
		errs = append(errs, a.sched.Stop())
	}
	if a.Redis != nil {
		errs = append(errs, a.Redis.Close())
	}
	if a.closeReplicas != nil {
		errs = append(errs, a.closeReplicas())
	}
	if a.DB != nil {
		if sqlDB, err := a.DB.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	if a.stopTracing != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		errs = append(errs, a.stopTracing(ctx))
	}
	return errors.Join(errs...)
}

// Serve runs the HTTP server until ctx ends, then stops accepting, drains
// in-flight requests for at most drain, and returns. name tells the
// listeners apart in the log ("api", "metrics"); port 0 picks a free port.
func Serve(ctx context.Context, name, addr string, h http.Handler, drain time.Duration, log *slog.Logger) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: 64 << 10}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s listener: %w", name, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "listener", name, "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "listener", name, "timeout", drain.String())
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	log.Info("http server stopped", "listener", name)
	return nil
}
