// Package telemetry is what an operator watches beyond the HTTP metrics the
// api registers: Prometheus collectors for Redis, the scheduled jobs, rate
// limits, WeChat calls, the outbox, the build and the business counts, and
// OpenTelemetry tracing (tracing.go). Everything registers on the registry
// internal/app builds; nothing here is package-level state.
package telemetry

import (
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhilian/model"
)

// Metrics are the collectors internal/app wires into the server.
type Metrics struct {
	jobRuns        *prometheus.CounterVec
	jobLastSuccess *prometheus.GaugeVec
	jobLastFailure *prometheus.GaugeVec
	jobDuration    *prometheus.GaugeVec
	rateLimited    *prometheus.CounterVec
	wechatCalls    *prometheus.CounterVec
	wechatLatency  *prometheus.HistogramVec
	submitted      *prometheus.CounterVec
	booked         prometheus.Counter
	checkedIn      prometheus.Counter
	outbox         *prometheus.CounterVec
	now            func() time.Time
}

// Build is what build_info reports.
type Build struct {
	Version string
	Commit  string
}

// NewMetrics registers the collectors on reg. jobs are the scheduled jobs'
// names: their run counters start at 0, like the outbox outcomes and the
// request sources, so a rate is defined from the first scrape. now stamps the
// jobs' last success and failure.
func NewMetrics(reg prometheus.Registerer, b Build, jobs []string, now func() time.Time) *Metrics {
	m := &Metrics{now: now,
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhilian_job_runs_total",
			Help: "Scheduled job runs by job and outcome (success, failure)."}, []string{"job", "outcome"}),
		jobLastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zhilian_job_last_success_timestamp_seconds",
			Help: "When each scheduled job last succeeded (Unix time)."}, []string{"job"}),
		jobLastFailure: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zhilian_job_last_failure_timestamp_seconds",
			Help: "When each scheduled job last failed (Unix time)."}, []string{"job"}),
		jobDuration: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zhilian_job_last_duration_seconds",
			Help: "How long each scheduled job's last run took."}, []string{"job"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhilian_rate_limit_rejections_total",
			Help: "Calls refused by a rate limit, by limit."}, []string{"limit"}),
		wechatCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhilian_wechat_calls_total",
			Help: "WeChat server API calls by API and outcome (ok, no_answer, or WeChat's errcode)."}, []string{"api", "outcome"}),
		wechatLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zhilian_wechat_call_duration_seconds",
			Help:    "WeChat server API call latency by API (retries after a token refresh included).",
			Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"api"}),
		submitted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhilian_requests_submitted_total",
			Help: "Requests (诉求) recorded, by source."}, []string{"source"}),
		booked: prometheus.NewCounter(prometheus.CounterOpts{Name: "zhilian_bookings_total",
			Help: "Liaison session bookings made (idempotent replays not counted)."}),
		checkedIn: prometheus.NewCounter(prometheus.CounterOpts{Name: "zhilian_checkins_total",
			Help: "Residents checked in at a liaison session."}),
		outbox: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhilian_outbox_messages_total",
			Help: "Notifications handled by outcome (sent, pending = retry scheduled, refused, skipped, dead)."}, []string{"outcome"}),
	}
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "zhilian_build_info",
		Help: "The running build: version, commit and Go version (always 1)."}, []string{"version", "commit", "goversion"})
	info.WithLabelValues(b.Version, b.Commit, runtime.Version()).Set(1)
	reg.MustRegister(m.jobRuns, m.jobLastSuccess, m.jobLastFailure, m.jobDuration, m.rateLimited, m.wechatCalls,
		m.wechatLatency, m.submitted, m.booked, m.checkedIn, m.outbox, info)

	for _, s := range []model.OutboxState{model.OutboxSent, model.OutboxPending, model.OutboxRefused, model.OutboxSkipped, model.OutboxDead} {
		m.outbox.WithLabelValues(string(s))
	}
	for _, j := range jobs {
		m.jobRuns.WithLabelValues(j, "success")
		m.jobRuns.WithLabelValues(j, "failure")
	}
	for _, src := range []model.RequestSource{model.SourceMiniProgram, model.SourceSession, model.SourceWalkIn, model.SourceStaff} {
		m.submitted.WithLabelValues(string(src))
	}
	return m
}

// Job records one run of a scheduled job.
func (m *Metrics) Job(name string, err error, took time.Duration) {
	outcome, last := "success", m.jobLastSuccess
	if err != nil {
		outcome, last = "failure", m.jobLastFailure
	}
	m.jobRuns.WithLabelValues(name, outcome).Inc()
	last.WithLabelValues(name).Set(float64(m.now().UnixNano()) / 1e9)
	m.jobDuration.WithLabelValues(name).Set(took.Seconds())
}

// Outbox counts a notification handled with this outcome.
func (m *Metrics) Outbox(s model.OutboxState) { m.outbox.WithLabelValues(string(s)).Inc() }

// Wechat records one WeChat API call: api is the adapter's operation name,
// errcode WeChat's answer (0 with failed: no answer at all).
func (m *Metrics) Wechat(api string, failed bool, errcode int64, took time.Duration) {
	outcome := "ok"
	if failed {
		outcome = wechatOutcome(errcode)
	}
	m.wechatCalls.WithLabelValues(api, outcome).Inc()
	m.wechatLatency.WithLabelValues(api).Observe(took.Seconds())
}

// wechatOutcome keeps the label set bounded: the errcodes the adapter knows,
// else "error".
func wechatOutcome(code int64) string {
	switch code {
	case 0:
		return "no_answer"
	case -1, 40001, 40029, 40037, 40163, 42001, 43101, 45011, 47003:
		return "errcode_" + strconv.FormatInt(code, 10)
	}
	return "error"
}

// limitName is the bounded name of a rate-limit key ("login:ip:1.2.3.4" →
// "login:ip", "pwchange:42" → "pwchange"): the key's first segment, and the
// second when it is a subject kind. The rest (who) never becomes a label.
func limitName(key string) string {
	parts := strings.SplitN(key, ":", 3)
	if len(parts) > 1 {
		switch parts[1] {
		case "ip", "user", "resident", "staff": // a subject kind
			return parts[0] + ":" + parts[1]
		}
	}
	return parts[0]
}
