// Package testutil builds an isolated server for a test: its own MySQL
// database (a copy of a template migrated once per schema, see template.go;
// dropped at cleanup) and its own Redis key prefix, so tests run in parallel
// against the real MariaDB and Redis.
package testutil

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"zhilian/internal/app"
	"zhilian/internal/config"
	"zhilian/internal/logx"
	"zhilian/internal/similar"
	"zhilian/internal/store"
	"zhilian/internal/wechat"
)

// Passwords of the test accounts (they meet model.ValidatePassword).
const (
	AdminPassword = "Zl-Boot-2026x" // the bootstrap admin
	InitPassword  = "Init-2026-zl"  // set by an admin when creating an account (Staff)
	WorkPassword  = "Work-2026-zl"  // chosen by the account at first sign-in (Staff)
)

// MySQLDSN returns the server DSN tests use (ZL_TEST_MYSQL_DSN or the local default).
func MySQLDSN() string {
	if v := os.Getenv("ZL_TEST_MYSQL_DSN"); v != "" {
		return v
	}
	return config.DefaultMySQLDSN
}

// RedisAddr returns the Redis tests use (ZL_TEST_REDIS_ADDR or the local default).
func RedisAddr() string {
	if v := os.Getenv("ZL_TEST_REDIS_ADDR"); v != "" {
		return v
	}
	return "127.0.0.1:6379"
}

// Prefix starts the name of every test database, Redis key prefix and bucket
// (ZL_TEST_PREFIX, default "zlt_"), so two checkouts can test against one
// MariaDB and one Redis and tell their leftovers apart.
func Prefix() string {
	if v := os.Getenv("ZL_TEST_PREFIX"); v != "" {
		return v
	}
	return "zlt_"
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewDatabase gives the test a DSN naming a fresh, empty database (created
// when first opened), dropped at cleanup. MigratedDatabase is one with the
// schema already in it.
func NewDatabase(t testing.TB) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(MySQLDSN())
	if err != nil {
		t.Fatalf("ZL_TEST_MYSQL_DSN: %v", err)
	}
	cfg.DBName = Prefix() + randHex(6)
	dsn := cfg.FormatDSN()
	t.Cleanup(func() {
		if os.Getenv("ZL_TEST_KEEP_DB") != "" {
			t.Logf("kept database %s", cfg.DBName)
			return
		}
		if err := store.DropDatabase(context.Background(), dsn); err != nil {
			t.Logf("drop %s: %v", cfg.DBName, err)
		}
	})
	return dsn
}

// NewRedisPrefix gives the test a key prefix whose keys are deleted at cleanup.
func NewRedisPrefix(t testing.TB) string {
	prefix := Prefix() + randHex(6) + ":"
	t.Cleanup(func() {
		rdb := redis.NewClient(&redis.Options{Addr: RedisAddr()})
		defer rdb.Close()
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 500).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
	})
	return prefix
}

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Setup adjusts a test server before it is built.
type Setup struct {
	Config  config.Config
	Options app.Options
	Clock   *Clock // nil: real time
}

// Env is a running test server.
type Env struct {
	T      testing.TB
	App    *app.App
	Server *httptest.Server
	Config config.Config
	Clock  *Clock
	Logs   *bytes.Buffer // every log line the server wrote
	Wechat *wechat.Fake  // the fake WeChat server (shared by the test binary)
	logMu  *sync.Mutex
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestConfig is the configuration of a test server (no demo data, fake WeChat).
func TestConfig(t testing.TB) config.Config {
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "ZL_ENV":
			return "test"
		case "ZL_DEMO":
			return "0"
		case "ZL_ADMIN_PASSWORD":
			return AdminPassword
		case "ZL_REDIS_ADDR":
			return RedisAddr()
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.MySQLDSN = MigratedDatabase(t)
	cfg.RedisPrefix = NewRedisPrefix(t)
	cfg.BlobURL = "file://" + t.TempDir()
	return cfg
}

var (
	fakeOnce sync.Once
	fake     *wechat.Fake
	fakeErr  error
)

// Wechat starts the fake WeChat server once per test binary and sends the
// SDK's HTTP client to it (the SDK keeps that client process-wide).
func Wechat(t testing.TB) *wechat.Fake {
	fakeOnce.Do(func() {
		if fake, fakeErr = wechat.StartFake(); fakeErr != nil {
			return
		}
		var hc *http.Client
		if hc, fakeErr = wechat.HTTPClient(fake.URL); fakeErr == nil {
			wechat.Install(hc)
		}
	})
	if fakeErr != nil {
		t.Fatalf("fake wechat: %v", fakeErr)
	}
	return fake
}

var (
	analyzerOnce sync.Once
	analyzer     *similar.Analyzer
)

// Analyzer is the test binary's one Chinese text analyzer: its dictionary
// (~50 MB, about a second) loads once, when a test first needs it.
func Analyzer() *similar.Analyzer {
	analyzerOnce.Do(func() { analyzer = similar.NewAnalyzer() })
	return analyzer
}

// New builds and starts an isolated server; mods adjust it first.
func New(t testing.TB, mods ...func(*Setup)) *Env {
	t.Helper()
	wx := Wechat(t)
	gin.SetMode(gin.TestMode)
	s := &Setup{Config: TestConfig(t)}
	s.Options.BcryptCost = 4 // bcrypt.MinCost: tests need speed, not strength
	s.Options.Analyzer = Analyzer()
	for _, m := range mods {
		m(s)
	}
	if s.Clock != nil {
		s.Options.Now = s.Clock.Now
	}
	buf, mu := &bytes.Buffer{}, &sync.Mutex{}
	log := logx.New(lockedWriter{mu, buf}, "debug")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	a, err := app.New(ctx, s.Config, log, s.Options)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	checked := checkContract(t, a.Handler)
	srv := httptest.NewServer(checked)
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	return &Env{T: t, App: a, Server: srv, Config: s.Config, Clock: s.Clock, Logs: buf, logMu: mu, Wechat: wx}
}

// LogText returns what the server logged so far.
func (e *Env) LogText() string {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return e.Logs.String()
}

// Resp is a decoded API response.
type Resp struct {
	Status    int
	Header    http.Header
	Raw       []byte
	Code      string          `json:"code"`
	Msg       string          `json:"msg"`
	RequestID string          `json:"request_id"`
	Data      json.RawMessage `json:"data"`
}

// Decode unmarshals data into v.
func (r *Resp) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data %s: %v", r.Raw, err)
	}
}

// M decodes data as a map.
func (r *Resp) M(t testing.TB) map[string]any {
	var m map[string]any
	r.Decode(t, &m)
	return m
}

// Req is one HTTP call.
type Req struct {
	Method  string
	Path    string
	Token   string
	Body    any // marshalled as JSON; []byte or string sent as is
	Headers map[string]string
}

// Call sends r to the server.
func (e *Env) Call(r Req) *Resp {
	e.T.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(r.Method, e.Server.URL+r.Path, body)
	if err != nil {
		e.T.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	res, err := e.Server.Client().Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &Resp{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, out); err != nil {
			e.T.Fatalf("%s %s: bad JSON %q: %v", r.Method, r.Path, raw, err)
		}
	}
	return out
}

// Do is Call with positional arguments.
func (e *Env) Do(method, path, token string, body any) *Resp {
	e.T.Helper()
	return e.Call(Req{Method: method, Path: path, Token: token, Body: body})
}

// Must asserts the status and returns the response.
func (r *Resp) Must(t testing.TB, status int) *Resp {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return r
}

// MustErr asserts an error status and code.
func (r *Resp) MustErr(t testing.TB, status int, code string) *Resp {
	t.Helper()
	if r.Status != status || r.Code != code {
		t.Fatalf("got %d %q, want %d %q: %s", r.Status, r.Code, status, code, r.Raw)
	}
	if r.Msg == "" || r.RequestID == "" {
		t.Fatalf("error without msg or request_id: %s", r.Raw)
	}
	return r
}

// Login signs a staff account in and returns the token.
func (e *Env) Login(username, password string) string {
	e.T.Helper()
	r := e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": username, "password": password}).Must(e.T, 200)
	var out struct {
		Token string `json:"token"`
	}
	r.Decode(e.T, &out)
	return out.Token
}

// AdminToken signs the bootstrap (city) admin in.
func (e *Env) AdminToken() string { return e.Login(e.Config.AdminUsername, AdminPassword) }

// ID reads data.id.
func (r *Resp) ID(t testing.TB) int64 {
	t.Helper()
	var out struct {
		ID int64 `json:"id"`
	}
	r.Decode(t, &out)
	if out.ID == 0 {
		t.Fatalf("no id in %s", r.Raw)
	}
	return out.ID
}

// RootOrgID is the city's id.
func (e *Env) RootOrgID() int64 {
	root, err := e.App.Store.Orgs().Root(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	return root.ID
}

// Org creates an org as the given admin and returns its id.
func (e *Env) Org(token string, parent int64, kind, name string) int64 {
	e.T.Helper()
	return e.Do("POST", "/api/v1/admin/orgs", token, map[string]any{"parent_id": parent, "kind": kind, "name": name}).Must(e.T, 201).ID(e.T)
}

// Staff creates an account and signs it in, changing the initial password.
// It returns the account id and a token.
func (e *Env) Staff(adminToken string, org int64, role, username string) (int64, string) {
	e.T.Helper()
	id := e.Do("POST", "/api/v1/admin/accounts", adminToken, map[string]any{
		"username": username, "password": InitPassword, "name": "测试" + username, "role": role, "org_id": org,
	}).Must(e.T, 201).ID(e.T)
	tok := e.Login(username, InitPassword)
	e.Do("POST", "/api/v1/auth/password", tok, map[string]string{"old_password": InitPassword, "new_password": WorkPassword}).Must(e.T, 200)
	return id, tok
}

// Quiet is a logger that drops everything.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Resident signs a resident in with wx.login code (openid fake_<code>) and returns id and token.
func (e *Env) Resident(code string) (int64, string) {
	e.T.Helper()
	r := e.Do("POST", "/api/v1/auth/wechat", "", map[string]string{"code": code}).Must(e.T, 200)
	var out struct {
		Token    string `json:"token"`
		Resident struct {
			ID int64 `json:"id"`
		} `json:"resident"`
	}
	r.Decode(e.T, &out)
	return out.Resident.ID, out.Token
}

// UniqueCode is a login code no other test uses.
func UniqueCode(prefix string) string { return prefix + randHex(4) }
