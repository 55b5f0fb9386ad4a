package telemetry

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// InstrumentRedis registers Redis's connection pool figures (read at scrape
// time) and adds a hook that times every command and pipeline, counting the
// failures (a cache miss, redis.Nil, is not one).
func InstrumentRedis(reg prometheus.Registerer, rdb redis.UniversalClient) {
	h := &redisHook{
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "zhilian_redis_command_duration_seconds",
			Help:    "Redis command latency by command (pipelines as \"pipeline\").",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}}, []string{"command"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "zhilian_redis_command_errors_total",
			Help: "Redis commands that failed (a miss is not a failure), by command."}, []string{"command"}),
	}
	reg.MustRegister(h.latency, h.errors, &poolCollector{rdb: rdb,
		hits:     prometheus.NewDesc("zhilian_redis_pool_hits_total", "Times a free connection was found in the pool.", nil, nil),
		misses:   prometheus.NewDesc("zhilian_redis_pool_misses_total", "Times no free connection was in the pool.", nil, nil),
		timeouts: prometheus.NewDesc("zhilian_redis_pool_timeouts_total", "Times a wait for a connection timed out.", nil, nil),
		total:    prometheus.NewDesc("zhilian_redis_pool_connections", "Connections in the pool.", nil, nil),
		idle:     prometheus.NewDesc("zhilian_redis_pool_idle_connections", "Idle connections in the pool.", nil, nil),
		stale:    prometheus.NewDesc("zhilian_redis_pool_stale_connections_total", "Stale connections removed from the pool.", nil, nil),
	})
	rdb.AddHook(h)
}

type redisHook struct {
	latency *prometheus.HistogramVec
	errors  *prometheus.CounterVec
}

func (h *redisHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (h *redisHook) observe(name string, start time.Time, err error) {
	h.latency.WithLabelValues(name).Observe(time.Since(start).Seconds())
	if err != nil && !errors.Is(err, redis.Nil) {
		h.errors.WithLabelValues(name).Inc()
	}
}

func (h *redisHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		start := time.Now()
		err := next(ctx, cmd)
		h.observe(cmd.Name(), start, err)
		return err
	}
}

func (h *redisHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		start := time.Now()
		err := next(ctx, cmds)
		h.observe("pipeline", start, err)
		return err
	}
}

type poolCollector struct {
	rdb                                        redis.UniversalClient
	hits, misses, timeouts, total, idle, stale *prometheus.Desc
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.hits, c.misses, c.timeouts, c.total, c.idle, c.stale} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.rdb.PoolStats()
	ch <- prometheus.MustNewConstMetric(c.hits, prometheus.CounterValue, float64(s.Hits))
	ch <- prometheus.MustNewConstMetric(c.misses, prometheus.CounterValue, float64(s.Misses))
	ch <- prometheus.MustNewConstMetric(c.timeouts, prometheus.CounterValue, float64(s.Timeouts))
	ch <- prometheus.MustNewConstMetric(c.total, prometheus.GaugeValue, float64(s.TotalConns))
	ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.IdleConns))
	ch <- prometheus.MustNewConstMetric(c.stale, prometheus.CounterValue, float64(s.StaleConns))
}
