package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// server is the real server binary running against a bench city.
type server struct {
	cmd     *exec.Cmd
	url     string // http://127.0.0.1:port
	metrics string // the metrics/pprof listener
	exited  chan struct{}
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// buildServer compiles src's ./cmd/server into dir.
func buildServer(ctx context.Context, src, dir string) (string, error) {
	bin, err := filepath.Abs(filepath.Join(dir, "zhilian-bench-server"))
	if err != nil {
		return "", err
	}
	if src != "." {
		bin += "-before"
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/server")
	cmd.Dir = src
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build server: %w", err)
	}
	return bin, nil
}

// startServer runs bin on free loopback ports with the city's DSN, a Redis
// key prefix of its own, background jobs off (the bench measures the API),
// its log written to logPath (the cost is measured, and a 5xx can be read).
func startServer(ctx context.Context, bin, dsn, redisAddr, prefix, logPath string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	mport, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{url: fmt.Sprintf("http://127.0.0.1:%d", port), metrics: fmt.Sprintf("http://127.0.0.1:%d", mport)}
	s.cmd = exec.Command(bin)
	s.cmd.Env = append(os.Environ(),
		"ZL_ENV=test", "ZL_DEMO=0", "ZL_WORKERS=0",
		"ZL_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(port), "ZL_METRICS_ADDR=127.0.0.1:"+strconv.Itoa(mport),
		"ZL_MYSQL_DSN="+dsn, "ZL_REDIS_ADDR="+redisAddr, "ZL_REDIS_PREFIX="+prefix,
		"ZL_ADMIN_PASSWORD=Bench-Pw-7391-xyz", "ZL_LOG_LEVEL=info")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	s.exited = make(chan struct{})
	go func() { _ = s.cmd.Wait(); logFile.Close(); close(s.exited) }()
	deadline := time.Now().Add(10 * time.Minute) // a first start on a cached city applies new migrations (an index on 1M rows)
	for time.Now().Before(deadline) {
		res, err := http.Get(s.url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("server exited before it was ready")
		case <-time.After(200 * time.Millisecond):
		}
	}
	s.stop()
	return nil, fmt.Errorf("server did not become ready on %s", s.url)
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(20 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	}
}

// rssMB reads the server's resident set size from /proc.
func (s *server) rssMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// profile saves a CPU profile of the server for d into path.
func (s *server) profile(path string, d time.Duration) error {
	return s.save(path, fmt.Sprintf("/debug/pprof/profile?seconds=%d", int(d.Seconds())))
}

// save writes a pprof endpoint's answer (a profile) to path.
func (s *server) save(path, endpoint string) error {
	res, err := http.Get(s.metrics + endpoint)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof: %s", res.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, res.Body)
	return err
}

// buildAt builds the server of a git commit (-before): the commit's tree is
// extracted with `git archive` into dir and built there.
func buildAt(ctx context.Context, ref, dir string) (string, error) {
	src := filepath.Join(dir, "before-src")
	if err := os.RemoveAll(src); err != nil {
		return "", err
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	archive := exec.CommandContext(ctx, "sh", "-c", "git archive --format=tar \"$0\" | tar -x -C \"$1\"", ref, src)
	archive.Stderr = os.Stderr
	if err := archive.Run(); err != nil {
		return "", fmt.Errorf("extract %s: %w", ref, err)
	}
	say("building the server of %s (before)", ref)
	return buildServer(ctx, src, dir)
}

// fitSchema lets an older server start on a city the checkout's server has
// migrated further: for the -before server it sets the recorded migration
// version back to the newest migration of that commit; the checkout's server
// then applies the later ones again, so they must be idempotent (0113 is:
// CREATE TABLE IF NOT EXISTS). Without -before it does nothing.
func fitSchema(ctx context.Context, c *city, ref string, before bool) error {
	if ref == "" {
		return nil
	}
	version := 0
	if before {
		out, err := exec.CommandContext(ctx, "git", "ls-tree", "--name-only", ref, "migrations/").Output()
		if err != nil {
			return fmt.Errorf("migrations of %s: %w", ref, err)
		}
		for _, f := range strings.Fields(string(out)) {
			if n, err := strconv.Atoi(strings.SplitN(filepath.Base(f), "_", 2)[0]); err == nil && n > version {
				version = n
			}
		}
		_, err = c.db.ExecContext(ctx, "UPDATE schema_migrations SET version = ? WHERE version > ?", version, version)
		return err
	}
	return nil
}
