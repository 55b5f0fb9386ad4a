package hatest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// adminPassword is the bootstrap admin's password in the HA stack.
const adminPassword = "Liaison-HA-2026"

// jobsCron runs every daily job every ten seconds, so runs can be counted.
const jobsCron = "*/10 * * * * *"

// instance is one server process.
type instance struct {
	i         int
	port      int
	metrics   int // its own metrics listener (ZL_METRICS_ADDR): one host, three instances
	log       string
	proc      *proc
	startedAt []time.Time     // every start
	ready     []time.Duration // how long each start took to be ready
}

// cluster is the server instances, all from one binary.
type cluster struct {
	ps   *procs
	bin  string
	env  []string
	list []*instance
}

// buildServer compiles the real server once.
func buildServer(dir string) (string, error) {
	bin := filepath.Join(dir, "zhilian")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	_, err := run(ctx, "go", "build", "-o", bin, "zhilian/cmd/server")
	return bin, err
}

func newCluster(t *testing.T, ps *procs, dir, bin string, n int, env []string) *cluster {
	c := &cluster{ps: ps, bin: bin, env: env}
	ports := freePorts(t, 2*n)
	for i := 0; i < n; i++ {
		c.list = append(c.list, &instance{i: i, port: ports[2*i], metrics: ports[2*i+1],
			log: filepath.Join(dir, fmt.Sprintf("app%d.log", i+1))})
	}
	return c
}

func (c *cluster) ports() []int {
	var out []int
	for _, in := range c.list {
		out = append(out, in.port)
	}
	return out
}

// start runs instance in and waits until it is ready.
func (c *cluster) start(t *testing.T, in *instance) time.Duration {
	t.Helper()
	began := time.Now()
	in.startedAt = append(in.startedAt, began)
	env := append([]string{fmt.Sprintf("ZL_HTTP_ADDR=127.0.0.1:%d", in.port), fmt.Sprintf("ZL_METRICS_ADDR=127.0.0.1:%d", in.metrics)}, c.env...)
	in.proc = c.ps.start(t, fmt.Sprintf("app%d", in.i+1), in.log, env, c.bin)
	url := fmt.Sprintf("http://127.0.0.1:%d/readyz", in.port)
	hc := &http.Client{Timeout: 2 * time.Second}
	defer func() { in.ready = append(in.ready, time.Since(began)) }()
	return waitFor(t, fmt.Sprintf("app%d ready", in.i+1), 2*time.Minute, func() error {
		if !in.proc.running() {
			raw, _ := os.ReadFile(in.log)
			t.Fatalf("app%d exited:\n%s", in.i+1, tail(string(raw), 30))
		}
		res, err := hc.Get(url)
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("readyz %d", res.StatusCode)
		}
		return nil
	})
}

// appEnv is the instances' configuration: the database through HAProxy
// (writes and lag-tolerant reads apart), Redis through Sentinel, one fake
// WeChat shared by all, the daily jobs every ten seconds.
func appEnv(b *balancer, s *sentinels, wechatURL, dataDir string) []string {
	return []string{
		"ZL_ENV=test", "ZL_DEMO=0", "ZL_LOG_LEVEL=info", "ZL_WORKERS=1", "ZL_SHUTDOWN_TIMEOUT=5s",
		"ZL_ADMIN_USERNAME=admin", "ZL_ADMIN_PASSWORD=" + adminPassword,
		"ZL_MYSQL_DSN=" + b.dsn(b.write, "zl_ha"),
		"ZL_MYSQL_REPLICA_DSN=" + b.dsn(b.read, "zl_ha"),
		"ZL_REDIS_ADDR=" + strings.Join(s.addrs(), ","),
		"ZL_REDIS_SENTINEL_MASTER=" + masterName,
		"ZL_REDIS_PREFIX=zlha:",
		"ZL_WECHAT_APPID=", "ZL_WECHAT_FAKE_URL=" + wechatURL,
		"ZL_BLOB_URL=file://" + dataDir,
		"ZL_TRUSTED_PROXIES=127.0.0.1/32",
		"ZL_JOBS_CRON=" + jobsCron,
	}
}
