package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// statsCold measures city-year statistics with nothing cached, on a city of
// o.statsRequests requests (seeded once and cached like the other): whole
// years and months, and periods that cut a month at either end. Each query
// runs after the server's statistics cache is emptied; the table shows the
// median of the runs.
func statsCold(ctx context.Context, o options, bin, label string, rdb *redis.Client, prefix string) ([]row, error) {
	c, err := openCity(ctx, o.mysql, o.statsRequests, o.statsRes, say)
	if err != nil {
		return nil, err
	}
	defer c.db.Close()
	if err := fitSchema(ctx, c, o.before, label != ""); err != nil {
		return nil, err
	}
	srv, err := startServer(ctx, bin, c.dsn, o.redis, prefix, filepath.Join(o.out, "server-stats"+strings.ReplaceAll(label, " ", "")+".log"))
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	defer cleanRedis(ctx, rdb, prefix)
	adminID, err := c.cityAdmin(ctx)
	if err != nil {
		return nil, err
	}
	toks, err := c.issue(ctx, "staff", []int64{adminID}, 1)
	if err != nil {
		return nil, err
	}
	var n int64
	if err := c.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM requests").Scan(&n); err != nil {
		return nil, err
	}
	y := time.Now().Year() - 1
	periods := []struct{ name, from, to string }{
		{"whole year", fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-01-01", y+1)},
		{"year cutting both ends' months", fmt.Sprintf("%d-01-15", y), fmt.Sprintf("%d-12-20", y)},
		{"quarter cutting months", fmt.Sprintf("%d-03-10", y), fmt.Sprintf("%d-06-20", y)},
		{"inside one month", fmt.Sprintf("%d-05-03", y), fmt.Sprintf("%d-05-27", y)},
	}
	const runs = 7
	var out []row
	for _, p := range periods {
		var lat []time.Duration
		codes := map[string]int{}
		load := loadavg()
		for i := 0; i < runs; i++ {
			cleanRedis(ctx, rdb, prefix+"stats:")
			req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/work/stats?from=%s&to=%s", srv.url, p.from, p.to), nil)
			req.Header.Set("Authorization", "Bearer "+toks[0].Token)
			t0 := time.Now()
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return nil, err
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			lat = append(lat, time.Since(t0))
			codes[fmt.Sprint(res.StatusCode)]++
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		r := row{Name: "GET /work/stats city, cold: " + p.name + label, Conc: 1, Achieved: float64(runs) / sum(lat).Seconds(),
			P50: lat[len(lat)/2], P90: lat[len(lat)*9/10], P99: lat[len(lat)-1], Max: lat[len(lat)-1], Codes: codes, Load: load,
			Note: fmt.Sprintf("%s → %s, %d requests in the city, median of %d", p.from, p.to, n, runs)}
		for code, k := range codes {
			if code[0] != '2' {
				r.Errors += k
			}
		}
		say("%-44s p50 %s ms", r.Name, ms(r.P50))
		out = append(out, r)
	}
	return out, nil
}

func sum(d []time.Duration) time.Duration {
	var t time.Duration
	for _, x := range d {
		t += x
	}
	return t
}
