package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"zhilian/internal/telemetry"
	"zhilian/internal/testutil"
)

// scrapeText reads a path of the metrics listener's handler (ZL_METRICS_ADDR).
func scrapeText(t *testing.T, e *testutil.Env, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	e.App.Metrics.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != 200 {
		t.Fatalf("metrics listener %s: %d", path, rec.Code)
	}
	return rec.Body.String()
}

// TestMetricsSeriesAreBoundedAndPrivate: invented HTTP methods collapse into
// one label value, so a client cannot grow /metrics; and /metrics and the
// profiles are served only on the metrics listener, not on the API port.
func TestMetricsSeriesAreBoundedAndPrivate(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	for i := 0; i < 300; i++ {
		req, _ := http.NewRequest(fmt.Sprintf("X%03dMETHOD", i), e.Server.URL+[]string{"/healthz", "/api/v1/orgs", "/nowhere"}[i%3], nil)
		res, err := e.Server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	e.Do("GET", "/metrics", "", nil).MustErr(t, 404, "not_found")
	e.Do("GET", "/debug/pprof/", "", nil).MustErr(t, 404, "not_found")

	m := scrapeText(t, e, "/metrics")
	methods := map[string]bool{}
	for _, sub := range regexp.MustCompile(`zhilian_http_requests_total\{method="([^"]*)"`).FindAllStringSubmatch(m, -1) {
		methods[sub[1]] = true
	}
	if len(methods) > 10 || !methods["other"] {
		t.Fatalf("%d method labels after 300 invented methods: %v", len(methods), methods)
	}
	if len(m) > 200<<10 {
		t.Fatalf("/metrics grew to %d bytes", len(m))
	}
	if !strings.Contains(scrapeText(t, e, "/debug/pprof/"), "goroutine") {
		t.Fatal("no profiles on the metrics listener")
	}
}

// scrape reads /metrics (on the metrics listener) into metric families.
func scrape(t *testing.T, e *testutil.Env) map[string]*dto.MetricFamily {
	t.Helper()
	raw := []byte(scrapeText(t, e, "/metrics"))
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// value is the sample of name whose labels include want (counter, gauge or a
// histogram's count); ok is false when there is none.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

func mustValue(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	t.Helper()
	v, ok := value(fams, name, labels)
	if !ok {
		t.Fatalf("/metrics has no %s%v", name, labels)
	}
	return v
}

// TestOperatorMetrics drives the API as users would and reads what an
// operator sees in one scrape: the build, the database pool under its real
// name, Redis, the jobs, the rate limits, WeChat, the outbox and the business
// counts.
func TestOperatorMetrics(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(sep20)
	e := testutil.New(t, func(s *testutil.Setup) {
		s.Clock = clock
		s.Options.Build = telemetry.Build{Version: "v9.9.9-test", Commit: "c0ffee"}
	})
	l := setupLiaison(t, e, clock)
	fams := scrape(t, e)

	// Known before anything happened: every outbox outcome, job and source at 0.
	for _, o := range []string{"sent", "pending", "refused", "skipped", "dead"} {
		if v := mustValue(t, fams, "zhilian_outbox_messages_total", map[string]string{"outcome": o}); v != 0 {
			t.Errorf("outbox %s = %v on a fresh server", o, v)
		}
	}
	mustValue(t, fams, "zhilian_job_runs_total", map[string]string{"job": "bookings.no_show", "outcome": "failure"})
	mustValue(t, fams, "zhilian_requests_submitted_total", map[string]string{"source": "walk_in"})
	if v := mustValue(t, fams, "zhilian_build_info", map[string]string{"version": "v9.9.9-test", "commit": "c0ffee",
		"goversion": runtime.Version()}); v != 1 {
		t.Errorf("build_info = %v", v)
	}
	dsn, _ := mysql.ParseDSN(e.Config.MySQLDSN)
	mustValue(t, fams, "go_sql_open_connections", map[string]string{"db_name": dsn.DBName})

	// A resident signs in (WeChat), submits twice with one Idempotency-Key,
	// books twice with one key, and is checked in on the day.
	_, tok := e.Resident(testutil.UniqueCode("met"))
	e.Do("POST", "/api/v1/auth/wechat", "", map[string]string{"code": "invalid"}).MustErr(t, 401, "unauthorized")
	var cats struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &cats)
	body := map[string]any{"category_id": cats.Items[0].ID, "content": "小区门口路灯坏了", "community_id": l.community}
	for range 2 {
		e.Call(testutil.Req{Method: "POST", Path: "/api/v1/my/requests", Token: tok, Body: body,
			Headers: map[string]string{"Idempotency-Key": "metrics-submit-1"}}).Must(t, 201)
	}
	s1 := l.session(t, "2026-09-22")
	var b bookingOut
	for range 2 {
		e.Call(testutil.Req{Method: "POST", Path: "/api/v1/my/bookings", Token: tok, Body: map[string]any{"slot_id": s1.Slots[0].ID},
			Headers: map[string]string{"Idempotency-Key": "metrics-book-1"}}).Must(t, 201).Decode(t, &b)
	}
	_, cadre := e.Staff(l.admin, l.community, "cadre", "metrics_cadre")
	clock.Set(time.Date(2026, 9, 22, 9, 5, 0, 0, sep20.Location()))
	e.Do("POST", fmt.Sprintf("/api/v1/work/sessions/%d/checkin", s1.ID), cadre, map[string]string{"code": b.Code}).Must(t, 200)

	// Wrong passwords until the sign-in limit refuses.
	for i := 0; i < 30; i++ {
		r := e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "metrics_cadre", "password": "wrong-pass-1"})
		if r.Status == 429 {
			break
		}
	}
	// A scheduled job runs (the scheduler calls the same body).
	if err := e.App.Jobs.MarkNoShows(context.Background()); err != nil {
		t.Fatal(err)
	}

	fams = scrape(t, e)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"zhilian_requests_submitted_total", map[string]string{"source": "miniprogram"}, 1},
		{"zhilian_bookings_total", nil, 1},
		{"zhilian_checkins_total", nil, 1},
		{"zhilian_job_runs_total", map[string]string{"job": "bookings.no_show", "outcome": "success"}, 1},
		{"zhilian_job_last_success_timestamp_seconds", map[string]string{"job": "bookings.no_show"}, float64(clock.Now().Unix())},
		{"zhilian_wechat_calls_total", map[string]string{"api": "code2session", "outcome": "errcode_40029"}, 1},
	} {
		if got := mustValue(t, fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if v := mustValue(t, fams, "zhilian_wechat_calls_total", map[string]string{"api": "code2session", "outcome": "ok"}); v < 1 {
		t.Errorf("successful WeChat logins = %v", v)
	}
	if v := mustValue(t, fams, "zhilian_wechat_call_duration_seconds", map[string]string{"api": "code2session"}); v < 2 {
		t.Errorf("WeChat latency samples = %v", v)
	}
	mustValue(t, fams, "zhilian_job_last_duration_seconds", map[string]string{"job": "bookings.no_show"})
	limited := 0.0
	for _, m := range fams["zhilian_rate_limit_rejections_total"].GetMetric() {
		for _, lb := range m.GetLabel() {
			if lb.GetName() == "limit" && strings.HasPrefix(lb.GetValue(), "login") {
				limited += m.GetCounter().GetValue()
			}
		}
	}
	if limited < 1 {
		t.Error("no sign-in rate-limit rejection counted")
	}
	for _, cmd := range []string{"get", "set"} {
		if v := mustValue(t, fams, "zhilian_redis_command_duration_seconds", map[string]string{"command": cmd}); v < 1 {
			t.Errorf("redis %s latency samples = %v", cmd, v)
		}
	}
	if v := mustValue(t, fams, "zhilian_redis_pool_connections", nil); v < 1 {
		t.Errorf("redis pool connections = %v", v)
	}
	mustValue(t, fams, "zhilian_redis_pool_hits_total", nil)
}
