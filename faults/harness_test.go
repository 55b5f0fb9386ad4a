package faults

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // the test reads the database directly

	"zhilian/internal/testutil"
)

// world is what TestMain starts: one MariaDB, one Redis, two server instances.
type world struct {
	dir     string
	bin     string // the server binary (built once, or ZL_FAULTS_SERVER_BIN)
	mysql   *proc
	myPort  int
	redis   *proc
	rdPort  int
	a, b    *server
	db      *sql.DB
	skipped string // why the package skips (binaries absent)
}

// w is set once by TestMain and read by the tests, which run one at a time.
var w world

// proc is a child process this package started (and the only kind it stops).
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

func start(name string, logPath string, env []string, bin string, args ...string) (*proc, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr, cmd.Env = logf, logf, env
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	return p, nil
}

// signal sends sig to this child only.
func (p *proc) signal(sig syscall.Signal) error { return p.cmd.Process.Signal(sig) }

// stop ends the child (SIGTERM, then SIGKILL after grace) and waits for it.
func (p *proc) stop(grace time.Duration) {
	if p == nil {
		return
	}
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.signal(syscall.SIGCONT) // a frozen child cannot shut down
	_ = p.signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.signal(syscall.SIGKILL)
		<-p.done
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitFor polls ok until it is true or timeout passes.
func waitFor(timeout time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if ok() {
			return true
		}
		time.Sleep(25 * time.Millisecond)
	}
	return ok()
}

func tcpUp(port int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func lookPath(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/usr/local/bin"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// startMariaDB runs mariadbd on the world's datadir and port and waits until
// it accepts connections.
func (w *world) startMariaDB() error {
	dd := filepath.Join(w.dir, "mysql")
	p, err := start("mariadbd", filepath.Join(w.dir, "mariadbd.log"), minimalEnv(), lookPath("mariadbd"),
		"--no-defaults", "--datadir="+dd, "--port="+strconv.Itoa(w.myPort), "--bind-address=127.0.0.1",
		"--socket="+filepath.Join(w.dir, "mysqld.sock"), "--pid-file="+filepath.Join(w.dir, "mysqld.pid"),
		"--user=root", "--skip-name-resolve", "--innodb-buffer-pool-size=64M", "--max-connections=300",
		"--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci")
	if err != nil {
		return err
	}
	w.mysql = p
	if !waitFor(30*time.Second, func() bool { return tcpUp(w.myPort) }) {
		return errors.New("mariadbd did not come up (see mariadbd.log)")
	}
	return nil
}

// stopMariaDB shuts MariaDB down cleanly and waits until it is gone.
func (w *world) stopMariaDB() { w.mysql.stop(30 * time.Second) }

func (w *world) startRedis() error {
	p, err := start("redis-server", filepath.Join(w.dir, "redis.log"), minimalEnv(), lookPath("redis-server"),
		"--port", strconv.Itoa(w.rdPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", w.dir)
	if err != nil {
		return err
	}
	w.redis = p
	if !waitFor(10*time.Second, func() bool { return tcpUp(w.rdPort) }) {
		return errors.New("redis-server did not come up")
	}
	return nil
}

func minimalEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
}

func (w *world) dsn() string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/zhilian?parseTime=true&loc=UTC&charset=utf8mb4", w.myPort)
}

// server is one instance of the server binary.
type server struct {
	name string
	port int
	url  string
	p    *proc
	http *http.Client
}

// startServer runs an instance and waits for /healthz (and /readyz when
// ready is true).
func (w *world) startServer(name string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	env := append(minimalEnv(),
		"ZL_ENV=test", "ZL_DEMO=1", "ZL_WORKERS=0", "ZL_LOG_LEVEL=warn",
		"ZL_ADMIN_PASSWORD="+testutil.AdminPassword,
		"ZL_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(port), "ZL_METRICS_ADDR=127.0.0.1:0",
		"ZL_MYSQL_DSN="+w.dsn(), "ZL_REDIS_ADDR=127.0.0.1:"+strconv.Itoa(w.rdPort), "ZL_REDIS_PREFIX=zlf:",
		"ZL_BLOB_URL=file://"+filepath.Join(w.dir, "data"), "GOMAXPROCS=2")
	p, err := start(name, filepath.Join(w.dir, name+".log"), env, w.bin)
	if err != nil {
		return nil, err
	}
	s := &server{name: name, port: port, url: fmt.Sprintf("http://127.0.0.1:%d", port), p: p,
		http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	if !waitFor(90*time.Second, func() bool { st, _, _ := s.call("GET", "/readyz", "", nil, nil); return st == 200 }) {
		p.stop(5 * time.Second)
		log, _ := os.ReadFile(filepath.Join(w.dir, name+".log"))
		return nil, fmt.Errorf("%s not ready; log:\n%s", name, tail(string(log), 3000))
	}
	return s, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// call sends one request; it never fails the test (many goroutines use it).
func (s *server) call(method, path, token string, body any, headers map[string]string) (int, string, json.RawMessage) {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case multipartBody:
		rd, ctype = bytes.NewReader(b.data), b.ctype
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		return 0, err.Error(), nil
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := s.http.Do(req)
	if err != nil {
		return 0, "connection error", nil
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var env struct {
		Code string          `json:"code"`
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(raw, &env)
	return res.StatusCode, env.Code, env.Data
}

type multipartBody struct {
	data  []byte
	ctype string
}

// mustToken signs in (a resident by code, or staff by username) and returns the token.
func (s *server) resident(t *testing.T, code string) string {
	t.Helper()
	st, c, data := s.call("POST", "/api/v1/auth/wechat", "", map[string]string{"code": code}, nil)
	if st != 200 {
		t.Fatalf("%s: resident sign-in %d %s", s.name, st, c)
	}
	var out struct {
		Token string `json:"token"`
	}
	_ = json.Unmarshal(data, &out)
	return out.Token
}

func (s *server) staff(t *testing.T, username, password string) string {
	t.Helper()
	st, c, data := s.call("POST", "/api/v1/auth/staff", "", map[string]string{"username": username, "password": password}, nil)
	if st != 200 {
		t.Fatalf("%s: staff sign-in %s: %d %s", s.name, username, st, c)
	}
	var out struct {
		Token string `json:"token"`
	}
	_ = json.Unmarshal(data, &out)
	return out.Token
}

// vmHWM reads the peak resident memory of the instance (kB in /proc).
func (s *server) memory(t *testing.T) (hwm, rss int64) {
	t.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "VmHWM:" || f[0] == "VmRSS:") {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			if f[0] == "VmHWM:" {
				hwm = kb << 10
			} else {
				rss = kb << 10
			}
		}
	}
	return hwm, rss
}

// ensure brings back whatever an earlier test left stopped.
func (w *world) ensure(t *testing.T) {
	t.Helper()
	if !tcpUp(w.myPort) {
		if err := w.startMariaDB(); err != nil {
			t.Fatal(err)
		}
	}
	if !tcpUp(w.rdPort) {
		if err := w.startRedis(); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []**server{&w.a, &w.b} {
		if st, _, _ := (*s).call("GET", "/healthz", "", nil, nil); st != 200 {
			name := (*s).name
			ns, err := w.startServer(name)
			if err != nil {
				t.Fatal(err)
			}
			*s = ns
		}
	}
}

// submission is what a resident submits, valid in the demo city.
type city struct {
	category, community int64
}

func (w *world) city(t *testing.T) city {
	t.Helper()
	var c city
	if err := w.db.QueryRow("SELECT id FROM categories ORDER BY id LIMIT 1").Scan(&c.category); err != nil {
		t.Fatal(err)
	}
	if err := w.db.QueryRow("SELECT id FROM orgs WHERE kind = 'community' AND active = 1 ORDER BY id LIMIT 1").Scan(&c.community); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c city) body(content string) map[string]any {
	return map[string]any{"category_id": c.category, "content": content, "community_id": c.community, "address": "故障测试路 1 号"}
}

// tally counts statuses by name, safely from many goroutines.
type tally struct {
	mu sync.Mutex
	m  map[string]int
}

func newTally() *tally { return &tally{m: map[string]int{}} }

func (t *tally) add(k string) {
	t.mu.Lock()
	t.m[k]++
	t.mu.Unlock()
}

func (t *tally) get(k string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[k]
}

func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := make([]string, 0, len(t.m))
	for k := range t.m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s × %d", k, t.m[k])
	}
	return b.String()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	for _, b := range []string{"mariadbd", "mariadb-install-db", "redis-server"} {
		if lookPath(b) == "" {
			w.skipped = "fault tests skipped: " + b + " is not installed (apt-get install mariadb-server redis-server)"
			fmt.Println(w.skipped)
			return m.Run()
		}
	}
	dir, err := os.MkdirTemp("", "zl-faults-")
	if err != nil {
		fmt.Println(err)
		return 1
	}
	defer os.RemoveAll(dir)
	w.dir = dir
	defer func() {
		for _, s := range []*server{w.a, w.b} {
			if s != nil {
				s.p.stop(10 * time.Second)
			}
		}
		w.redis.stop(5 * time.Second)
		if w.mysql != nil {
			w.stopMariaDB()
		}
	}()
	if err := w.setUp(); err != nil {
		fmt.Println("fault tests: set-up failed:", err)
		return 1
	}
	return m.Run()
}

func (w *world) setUp() error {
	started := time.Now()
	if w.bin = os.Getenv("ZL_FAULTS_SERVER_BIN"); w.bin == "" {
		w.bin = filepath.Join(w.dir, "zhilian")
		build := exec.Command("go", "build", "-o", w.bin, "./cmd/server")
		build.Dir = ".."
		build.Env = os.Environ() // the settings of the test run, so the build cache serves it
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("build server: %v\n%s", err, out)
		}
	}
	var err error
	if w.myPort, err = freePort(); err != nil {
		return err
	}
	if w.rdPort, err = freePort(); err != nil {
		return err
	}
	install := exec.Command(lookPath("mariadb-install-db"), "--no-defaults", "--datadir="+filepath.Join(w.dir, "mysql"),
		"--user=root", "--auth-root-authentication-method=normal", "--skip-test-db")
	install.Env = minimalEnv()
	if out, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("mariadb-install-db: %v\n%s", err, out)
	}
	if err := w.startMariaDB(); err != nil {
		return err
	}
	if err := w.startRedis(); err != nil {
		return err
	}
	if w.a, err = w.startServer("a"); err != nil {
		return err
	}
	if w.b, err = w.startServer("b"); err != nil {
		return err
	}
	if w.db, err = sql.Open("mysql", w.dsn()); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.db.PingContext(ctx); err != nil {
		return err
	}
	fmt.Printf("fault tests: MariaDB :%d, Redis :%d, instances %s and %s ready in %v\n",
		w.myPort, w.rdPort, w.a.url, w.b.url, time.Since(started).Round(time.Millisecond))
	return nil
}

// setup skips when the binaries are absent and restores the world.
func setup(t *testing.T) {
	t.Helper()
	if w.skipped != "" {
		t.Skip(w.skipped)
	}
	w.ensure(t)
}
