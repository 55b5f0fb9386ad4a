package app

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"zhilian/service"
)

// outboxCollector reports the queue depth and the age of the oldest pending
// message at scrape time (one indexed query).
type outboxCollector struct {
	repo   service.OutboxRepo
	now    func() time.Time
	depth  *prometheus.Desc
	oldest *prometheus.Desc
}

func newOutboxCollector(repo service.OutboxRepo, now func() time.Time) *outboxCollector {
	return &outboxCollector{repo: repo, now: now,
		depth:  prometheus.NewDesc("zhilian_outbox_pending", "Notifications waiting to be sent.", nil, nil),
		oldest: prometheus.NewDesc("zhilian_outbox_oldest_pending_seconds", "Age of the oldest pending notification.", nil, nil),
	}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.depth; ch <- c.oldest }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, age, err := c.repo.Stats(ctx, c.now())
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age.Seconds())
}

// metricsHandler serves Prometheus metrics at /metrics and the Go profiles at
// /debug/pprof/. It is mounted on the metrics listener (ZL_METRICS_ADDR,
// loopback by default), never on the API port.
func metricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
