package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"zhilian/internal/seed"
	"zhilian/internal/store"
	"zhilian/internal/testutil"
	"zhilian/model"
)

// BenchmarkStats measures the whole-city, one-year statistics call on a
// generated data set, cold (cache miss) and cached, against bare baselines
// measured in the same run (a COUNT(*) over the requests table, GET /healthz),
// and the peak heap of exporting about 100,000 items as CSV and as XLSX.
// It runs only when asked:
//
//	ZL_BENCH_ROWS=1000000 go test ./api -run '^$' -bench Stats -benchtime 50x
//
// seeds a throwaway database (ZL_BENCH_ROWS requests, a tenth as many
// residents, dropped afterwards); ZL_BENCH_DSN=… uses a database already
// seeded by cmd/seed (kept), ZL_BENCH_YEAR its year (default last year).
func BenchmarkStats(b *testing.B) {
	rows, _ := strconv.Atoi(os.Getenv("ZL_BENCH_ROWS"))
	dsn := os.Getenv("ZL_BENCH_DSN")
	if rows <= 0 && dsn == "" {
		b.Skip("set ZL_BENCH_ROWS (seed a throwaway database) or ZL_BENCH_DSN (a seeded one)")
	}
	year := time.Now().Year() - 1
	if y, err := strconv.Atoi(os.Getenv("ZL_BENCH_YEAR")); err == nil {
		year = y
	}
	ctx := context.Background()
	if dsn == "" {
		dsn = testutil.NewDatabase(b)
		db, err := store.Open(ctx, dsn, nil, testutil.Quiet())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := store.Migrate(dsn); err != nil {
			b.Fatal(err)
		}
		res, err := seed.Run(ctx, db, seed.Options{Requests: rows, Residents: max(rows/10, 1), Year: year, Seed: 1, Log: testutil.Quiet()})
		if err != nil {
			b.Fatal(err)
		}
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
		b.Logf("seeded %d requests, %d residents, %d orgs in %s", res.Requests, res.Residents, res.Orgs, res.Took.Round(time.Millisecond))
	}
	e := testutil.New(b, func(s *testutil.Setup) { s.Config.MySQLDSN = dsn })
	admin := e.AdminToken()
	var total int64
	if err := e.App.DB.Raw("SELECT COUNT(*) FROM requests").Row().Scan(&total); err != nil {
		b.Fatal(err)
	}
	statsPath := fmt.Sprintf("/api/v1/admin/stats?from=%d-01-01&to=%d-01-01", year, year+1)
	get := func(path string) {
		r := e.Do("GET", path, admin, nil)
		if r.Status != http.StatusOK {
			b.Fatalf("%s: %d %s", path, r.Status, r.Raw)
		}
	}
	var collected float64
	var r report
	e.Do("GET", statsPath, admin, nil).Must(b, 200).Decode(b, &r)
	collected = r["collected"].(float64)
	clearCache := func() {
		keys, err := e.App.Redis.Keys(ctx, e.Config.RedisPrefix+"stats:*").Result()
		if err != nil {
			b.Fatal(err)
		}
		if len(keys) > 0 {
			e.App.Redis.Del(ctx, keys...)
		}
	}
	b.Logf("machine: %d CPUs (GOMAXPROCS %d), %s; %d requests in the table, %.0f collected in %d (rate %v)",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), total, collected, year, r["rate_pct"])

	b.StopTimer()
	countStar := measure(20, func() {
		var n int64
		if err := e.App.DB.Raw("SELECT COUNT(*) FROM requests").Row().Scan(&n); err != nil {
			b.Fatal(err)
		}
	})
	healthz := measure(200, func() { get("/healthz") })
	cold := measure(20, func() { clearCache(); get(statsPath) })
	get(statsPath)
	cached := measure(200, func() { get(statsPath) })
	for _, m := range []struct {
		name string
		d    []time.Duration
	}{{"baseline SELECT COUNT(*) FROM requests", countStar}, {"baseline GET /healthz", healthz},
		{"stats city/year cold (cache miss)", cold}, {"stats city/year cached", cached}} {
		b.Logf("%-40s n=%-4d p50 %8.2f ms   p99 %8.2f ms", m.name, len(m.d), ms(pct(m.d, 0.50)), ms(pct(m.d, 0.99)))
	}
	b.ReportMetric(ms(pct(cold, 0.50)), "cold-p50-ms")
	b.ReportMetric(ms(pct(cold, 0.99)), "cold-p99-ms")
	b.ReportMetric(ms(pct(cached, 0.50)), "cached-p50-ms")
	b.ReportMetric(ms(pct(cached, 0.99)), "cached-p99-ms")
	b.ReportMetric(ms(pct(countStar, 0.50)), "count-p50-ms")

	// Export about 100,000 items: the first days of the year holding them.
	from := time.Date(year, 1, 1, 0, 0, 0, 0, model.Shanghai)
	days := int(100000*int64(365)/max(total, 1)) + 1
	to := from.AddDate(0, 0, min(days, 365))
	var items int64
	if err := e.App.DB.Raw("SELECT COUNT(*) FROM requests WHERE created_at >= ? AND created_at < ?", from.UTC(), to.UTC()).Row().Scan(&items); err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"csv", "xlsx"} {
		path := fmt.Sprintf("/api/v1/admin/stats/export?format=%s&detail=items&from=%s&to=%s", format, model.FormatDate(from), model.FormatDate(to))
		peak, size, took := exportPeak(b, e, admin, path)
		b.Logf("export %-4s %d items: %6.1f MB in %6.2f s, peak heap in use above idle %6.1f MB", format, items,
			float64(size)/(1<<20), took.Seconds(), float64(peak)/(1<<20))
		b.ReportMetric(float64(peak)/(1<<20), format+"-export-peak-MB")
	}

	b.StartTimer()
	for i := 0; i < b.N; i++ {
		get(statsPath)
	}
}

// measure times n calls of fn.
func measure(n int, fn func()) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		t := time.Now()
		fn()
		out[i] = time.Since(t)
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// exportPeak downloads an export (the server runs in this process) while
// sampling the heap, and returns the peak heap in use above the idle level.
func exportPeak(b *testing.B, e *testutil.Env, token, path string) (peak uint64, size int64, took time.Duration) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	idle := ms.HeapInuse
	var top atomic.Uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > top.Load() {
					top.Store(m.HeapInuse)
				}
			}
		}
	}()
	start := time.Now()
	req, _ := http.NewRequest("GET", e.Server.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := e.Server.Client().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	size, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	took = time.Since(start)
	close(done)
	if err != nil || res.StatusCode != 200 {
		b.Fatalf("export %s: %d %v", path, res.StatusCode, err)
	}
	if p := top.Load(); p > idle {
		peak = p - idle
	}
	return peak, size, took
}
