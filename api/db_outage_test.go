package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"zhilian/internal/testutil"
)

// TestDatabaseOutageIs503: while MySQL cannot be reached, sign-in, reads and
// submissions answer 503 unavailable with Retry-After (never 500), and the
// server serves again once MySQL is back, without a restart.
func TestDatabaseOutageIs503(t *testing.T) {
	t.Parallel()
	var proxy *testutil.Proxy
	e := testutil.New(t, func(s *testutil.Setup) {
		cfg, err := mysql.ParseDSN(s.Config.MySQLDSN)
		if err != nil {
			t.Fatal(err)
		}
		proxy = testutil.NewProxy(t, cfg.Addr)
		cfg.Addr = proxy.Addr
		s.Config.MySQLDSN = cfg.FormatDSN()
	})
	c := newCity(t, e)
	_, tok := e.Resident(testutil.UniqueCode("outage"))
	submit(t, e, tok, c.submitBody("停电前的一件"))

	proxy.Stop()
	calls := []testutil.Req{
		{Method: "POST", Path: "/api/v1/auth/staff", Body: map[string]string{"username": "admin", "password": testutil.AdminPassword}},
		{Method: "POST", Path: "/api/v1/auth/wechat", Body: map[string]string{"code": testutil.UniqueCode("outage")}},
		{Method: "GET", Path: "/api/v1/auth/me", Token: tok},
		{Method: "GET", Path: "/api/v1/my/profile", Token: tok},
		{Method: "POST", Path: "/api/v1/my/requests", Token: tok, Body: c.submitBody("停电时的一件")},
		{Method: "GET", Path: "/api/v1/my/requests", Token: tok},
	}
	for round := 0; round < 2; round++ {
		for _, r := range calls {
			res := e.Call(r).MustErr(t, 503, "unavailable")
			if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 {
				t.Fatalf("%s %s: Retry-After %q", r.Method, r.Path, res.Header.Get("Retry-After"))
			}
		}
	}
	proxy.Start(t)
	deadline := time.Now().Add(5 * time.Second)
	for e.Call(calls[3]).Status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("not serving 5 s after MySQL came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.Call(calls[4]).Must(t, 201)
	e.Call(calls[0]).Must(t, 200)
}
