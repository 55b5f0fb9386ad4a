// Command bench measures the real server against a generated city, with bare
// baselines in the same run, and checks the invariants afterwards (`make bench`):
//
//	go run ./cmd/bench                      # 300,000 requests / 30,000 residents, stats at 1M
//	go run ./cmd/bench -stats-requests 0    # without the 1M-request statistics city
//
// The seeded databases are cached in MySQL (zl_bench_<seed version>_<requests>_<residents>)
// and reused by later runs; the repository holds none of it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

type options struct {
	mysql, redis              string
	requests, residents       int
	statsRequests, statsRes   int
	step, mixed               time.Duration
	pprof                     bool
	out                       string
	residentTokens, cadreToks int
	seedOnly, statsOnly       bool
	only, before              string
}

func main() {
	var o options
	flag.StringVar(&o.mysql, "mysql", "127.0.0.1:3306", "MySQL/MariaDB address (user root, no password)")
	flag.StringVar(&o.redis, "redis", "127.0.0.1:6379", "Redis address")
	flag.IntVar(&o.requests, "requests", 300000, "requests in the load-test city")
	flag.IntVar(&o.residents, "residents", 30000, "residents in the load-test city")
	flag.IntVar(&o.statsRequests, "stats-requests", 1000000, "requests in the statistics city (0: skip)")
	flag.IntVar(&o.statsRes, "stats-residents", 100000, "residents in the statistics city")
	flag.DurationVar(&o.step, "step", 10*time.Second, "duration of each fixed-rate or maximum run")
	flag.DurationVar(&o.mixed, "mixed", 60*time.Second, "duration of the mixed load")
	flag.BoolVar(&o.pprof, "pprof", false, "save a CPU profile of the server during each maximum run and the mixed load")
	flag.StringVar(&o.out, "out", filepath.Join(os.TempDir(), "zhilian-bench"), "where profiles go")
	flag.IntVar(&o.residentTokens, "resident-tokens", 20000, "residents signed in")
	flag.IntVar(&o.cadreToks, "cadre-tokens", 50, "logins per town cadre")
	flag.BoolVar(&o.statsOnly, "stats-only", false, "run only the cold statistics")
	flag.BoolVar(&o.seedOnly, "seed-only", false, "seed (or check) the cached cities and exit")
	flag.StringVar(&o.only, "only", "", "run only these sections, comma-separated: auth,list,inbox,submit,booking,mixed (stats: -stats-only)")
	flag.StringVar(&o.before, "before", "", "also run the chosen sections against a server built from this git commit, just before the checkout's (before/after in one run)")
	flag.Parse()
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// loadavg is the 1-minute load average (the machine is shared).
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

func run(ctx context.Context, o options) error {
	began := time.Now()
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	c, err := openCity(ctx, o.mysql, o.requests, o.residents, say)
	if err != nil {
		return err
	}
	defer c.db.Close()
	if o.seedOnly {
		if o.statsRequests > 0 {
			sc, err := openCity(ctx, o.mysql, o.statsRequests, o.statsRes, say)
			if err != nil {
				return err
			}
			sc.db.Close()
		}
		return nil
	}
	bin, err := buildServer(ctx, ".", o.out)
	if err != nil {
		return err
	}
	builds := []struct{ bin, label string }{{bin, ""}}
	if o.before != "" {
		old, err := buildAt(ctx, o.before, o.out)
		if err != nil {
			return err
		}
		builds = append([]struct{ bin, label string }{{old, " [before]"}}, builds...)
	}
	prefix := fmt.Sprintf("zlbench:%d:", os.Getpid())
	rdb := redis.NewClient(&redis.Options{Addr: o.redis})
	defer rdb.Close()
	defer cleanRedis(ctx, rdb, prefix)

	var checks []string
	failed := false
	var rows []row
	if !o.statsOnly {
		for i, b := range builds {
			if err := fitSchema(ctx, c, o.before, b.label != ""); err != nil {
				return err
			}
			srv, err := startServer(ctx, b.bin, c.dsn, o.redis, fmt.Sprintf("%s%d:", prefix, i),
				filepath.Join(o.out, fmt.Sprintf("server%d.log", i)))
			if err != nil {
				return err
			}
			say("server%s up at %s (metrics %s)", b.label, srv.url, srv.metrics)
			w, err := newWorld(ctx, c, srv, o)
			if err != nil {
				srv.stop()
				return err
			}
			w.label = b.label
			r, err := w.runAll(ctx, rdb, fmt.Sprintf("%s%d:", prefix, i))
			srv.stop()
			if err != nil {
				return err
			}
			rows = append(rows, r...)
			for _, line := range w.checks {
				checks = append(checks, strings.TrimSpace(b.label+" "+line))
			}
			failed = failed || w.failed
		}
	}
	if o.statsRequests > 0 && (o.statsOnly || o.only == "") {
		for i, b := range builds {
			sr, err := statsCold(ctx, o, b.bin, b.label, rdb, fmt.Sprintf("%ss%d:", prefix, i))
			if err != nil {
				return err
			}
			rows = append(rows, sr...)
		}
	}
	host, _ := os.Hostname()
	cpus := cpuInfo()
	fmt.Printf("\n## Zhilian bench %s — %s, %s; %d requests / %d residents; took %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		host, cpus, o.requests, o.residents, time.Since(began).Round(time.Second))
	printTable(rows)
	fmt.Println()
	for _, line := range checks {
		fmt.Println("- " + line)
	}
	if failed {
		return fmt.Errorf("an invariant does not hold")
	}
	return nil
}

// cpuInfo names the CPU and its count.
func cpuInfo() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	n, model := 0, ""
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "processor") {
			n++
		}
		if strings.HasPrefix(line, "model name") && model == "" {
			model = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
		}
	}
	return fmt.Sprintf("%d × %s", n, model)
}

// cleanRedis drops the run's keys.
func cleanRedis(ctx context.Context, rdb *redis.Client, prefix string) {
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
		if len(keys) == 1000 {
			rdb.Del(ctx, keys...)
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		rdb.Del(ctx, keys...)
	}
}

// dataID reads data.id of an envelope.
func dataID(body []byte) int64 {
	var env struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &env)
	return env.Data.ID
}
