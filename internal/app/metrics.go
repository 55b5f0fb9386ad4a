package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

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
