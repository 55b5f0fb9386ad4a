// Command server runs the Zhilian API.
//
//	zhilian                                  serve (configuration from ZL_* variables)
//	zhilian admin reset-password <username>  print a new one-time password for an account
//	zhilian -healthcheck <url>               exit 0 when url answers 200 (the container's probe)
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"zhilian/internal/app"
	"zhilian/internal/config"
	"zhilian/internal/logx"
	"zhilian/internal/telemetry"
	"zhilian/internal/wechat"
)

// version and commit are set at build time (-ldflags "-X main.version=… -X
// main.commit=…"); without them the Go toolchain's VCS stamp is used.
var version, commit string

// defaultMemoryLimit is the soft heap limit when GOMEMLIMIT is unset.
const defaultMemoryLimit = 100 << 20

func build() telemetry.Build {
	b := telemetry.Build{Version: version, Commit: commit}
	if info, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && b.Commit == "" {
				b.Commit = s.Value
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	return b
}

func main() {
	// `zhilian -healthcheck URL` probes a URL and exits 0 on HTTP 200: the
	// container image has no shell or curl, so the binary is its own probe.
	if len(os.Args) == 3 && os.Args[1] == "-healthcheck" {
		os.Exit(healthcheck(os.Args[2]))
	}
	if len(os.Args) > 1 && os.Args[1] == "admin" {
		os.Exit(admin(context.Background(), os.Args[2:], os.Getenv, os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 {
		fmt.Fprintf(os.Stderr, "zhilian: unknown arguments %q\n%s", os.Args[1:], usage)
		os.Exit(2)
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "zhilian:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := logx.New(os.Stdout, cfg.LogLevel)
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft heap limit: the collector works harder as the heap nears it,
		// so RSS stays near it under load (the admission limit bounds the
		// live requests). GOMEMLIMIT overrides it, as Go's own setting.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	gin.SetMode(gin.ReleaseMode)
	redis.SetLogger(logx.Printf{L: log}) // go-redis keeps its logger process-wide
	log.Info("starting zhilian", "version", build().Version, "commit", build().Commit, "env", cfg.Env, "http_addr", cfg.HTTPAddr, "metrics_addr", cfg.MetricsAddr, "demo", cfg.Demo,
		"wechat", map[bool]string{true: "fake (dev)", false: "real"}[cfg.FakeWechat()])
	if cfg.DataKeyIsDev {
		log.Warn("ZL_DATA_KEY not set: using the fixed DEVELOPMENT key for personal data; never use it in production")
	}

	fakeURL := ""
	if cfg.FakeWechat() && cfg.WechatFakeURL != "" {
		fakeURL = cfg.WechatFakeURL // one fake shared by several instances (tests)
		log.Warn("WeChat is FAKED (dev mode) by a shared fake server", "fake_url", fakeURL)
	} else if cfg.FakeWechat() {
		fake, err := wechat.StartFake()
		if err != nil {
			return err
		}
		defer fake.Close()
		fakeURL = fake.URL
		log.Warn("WeChat is FAKED (dev mode): a login code X signs in as openid fake_X", "fake_url", fake.URL)
	}
	hc, err := wechat.HTTPClient(fakeURL)
	if err != nil {
		return err
	}
	wechat.Install(hc)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	a, err := app.New(ctx, cfg, log, app.Options{Build: build()})
	if err != nil {
		return err
	}
	defer a.Close()
	wctx, stopWorkers := context.WithCancel(context.Background())
	waitWorkers, err := a.Start(wctx)
	if err != nil {
		stopWorkers()
		return err
	}
	// Metrics and profiles listen apart from the API (loopback by default).
	mctx, stopMetrics := context.WithCancel(ctx)
	metricsDone := make(chan error, 1)
	go func() { metricsDone <- app.Serve(mctx, "metrics", cfg.MetricsAddr, a.Metrics, time.Second, log) }()
	apiDone := make(chan error, 1)
	go func() { apiDone <- app.Serve(ctx, "api", cfg.HTTPAddr, a.Served, cfg.ShutdownTimeout, log) }()
	select {
	case err = <-apiDone:
	case err = <-metricsDone: // the metrics listener could not start: stop the API too
		stop()
		<-apiDone
		metricsDone <- err
	}
	stopMetrics()
	if merr := <-metricsDone; err == nil {
		err = merr
	}
	stopWorkers() // after the HTTP drain: requests in flight may still enqueue
	waitWorkers()
	return err
}

func healthcheck(url string) int {
	c := &http.Client{Timeout: 4 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "status", res.StatusCode)
		return 1
	}
	return 0
}
