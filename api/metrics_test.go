package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

// scrape reads a path of the metrics listener's handler (ZL_METRICS_ADDR).
func scrape(t *testing.T, e *testutil.Env, path string) string {
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

	m := scrape(t, e, "/metrics")
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
	if !strings.Contains(scrape(t, e, "/debug/pprof/"), "goroutine") {
		t.Fatal("no profiles on the metrics listener")
	}
}
