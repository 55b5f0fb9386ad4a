package telemetry

import (
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestJobOutcomes(t *testing.T) {
	now := time.Date(2026, 9, 22, 9, 0, 0, 0, time.UTC)
	m := NewMetrics(prometheus.NewRegistry(), Build{Version: "v", Commit: "c"}, []string{"a.job"}, func() time.Time { return now })
	m.Job("a.job", nil, 2*time.Second)
	now = now.Add(time.Hour)
	m.Job("a.job", errors.New("database gone"), 3*time.Second)
	for _, c := range []struct {
		got, want float64
		what      string
	}{
		{testutil.ToFloat64(m.jobRuns.WithLabelValues("a.job", "success")), 1, "successes"},
		{testutil.ToFloat64(m.jobRuns.WithLabelValues("a.job", "failure")), 1, "failures"},
		{testutil.ToFloat64(m.jobLastSuccess.WithLabelValues("a.job")), float64(now.Add(-time.Hour).Unix()), "last success"},
		{testutil.ToFloat64(m.jobLastFailure.WithLabelValues("a.job")), float64(now.Unix()), "last failure"},
		{testutil.ToFloat64(m.jobDuration.WithLabelValues("a.job")), 3, "last duration"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestLabelsStayBounded(t *testing.T) {
	for key, want := range map[string]string{
		"login:ip:2001:db8::1":   "login:ip",
		"login:user:somebody":    "login:user",
		"upload:resident:42":     "upload:resident",
		"pwchange:42":            "pwchange",
		"wxbind:staff:7":         "wxbind:staff",
		"weird:someone-chosen:x": "weird",
	} {
		if got := limitName(key); got != want {
			t.Errorf("limitName(%q) = %q, want %q", key, got, want)
		}
	}
	for code, want := range map[int64]string{0: "no_answer", 40029: "errcode_40029", -1: "errcode_-1", 12345: "error"} {
		if got := wechatOutcome(code); got != want {
			t.Errorf("wechatOutcome(%d) = %q, want %q", code, got, want)
		}
	}
}
