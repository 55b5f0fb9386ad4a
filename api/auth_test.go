package api_test

import (
	"strconv"
	"strings"
	"testing"

	"zhilian/internal/testutil"
	"zhilian/internal/wechat"
	"zhilian/service"
)

func TestStaffLoginAndMe(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	tok := e.AdminToken()
	me := e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200).M(t)
	acc := me["account"].(map[string]any)
	if acc["username"] != "admin" || acc["role"] != "admin" {
		t.Fatalf("me = %v", me)
	}
	if strings.Contains(e.Do("GET", "/api/v1/auth/me", tok, nil).M(t)["account"].(map[string]any)["username"].(string), "hash") {
		t.Fatal("unexpected")
	}
	e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "admin", "password": "Wrong12345"}).MustErr(t, 401, "unauthorized")
	e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "nobody", "password": "Wrong12345"}).MustErr(t, 401, "unauthorized")
	e.Do("GET", "/api/v1/auth/me", "", nil).MustErr(t, 401, "unauthorized")
	e.Do("GET", "/api/v1/auth/me", "not-a-token", nil).MustErr(t, 401, "unauthorized")
}

func TestLogoutRevokesToken(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	tok := e.AdminToken()
	e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200) // now cached in Redis
	e.Do("POST", "/api/v1/auth/logout", tok, nil).Must(t, 200)
	e.Do("GET", "/api/v1/auth/me", tok, nil).MustErr(t, 401, "unauthorized")
}

func TestResidentWechatLogin(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	code := testutil.UniqueCode("r")
	id1, tok := e.Resident(code)
	id2, _ := e.Resident(code)
	if id1 != id2 {
		t.Fatalf("repeat login made a new resident: %d vs %d", id1, id2)
	}
	me := e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200).M(t)
	if me["kind"] != "resident" {
		t.Fatalf("me = %v", me)
	}
	// A resident token never reaches /admin.
	e.Do("GET", "/api/v1/admin/accounts", tok, nil).MustErr(t, 403, "forbidden")
	r := e.Do("POST", "/api/v1/auth/wechat", "", map[string]string{"code": wechat.CodeInvalid}).MustErr(t, 401, "unauthorized")
	if !strings.Contains(r.Msg, "微信") {
		t.Fatalf("unclear message %q", r.Msg)
	}
	e.Do("POST", "/api/v1/auth/wechat", "", map[string]string{"code": wechat.CodeRateLimit}).MustErr(t, 429, "rate_limited")
	e.Do("POST", "/api/v1/auth/wechat", "", map[string]string{"code": wechat.CodeBusy}).MustErr(t, 503, "unavailable")
	if strings.Contains(e.LogText(), "fake_"+code) || strings.Contains(e.LogText(), "secret=") {
		t.Fatal("openid or secret in logs")
	}
}

// TestServesWithoutRedis: with Redis unreachable, sign-in and authenticated
// calls still work from MySQL (the limiter lets calls through), and /readyz says so.
func TestServesWithoutRedis(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, func(s *testutil.Setup) { s.Config.RedisAddrs = []string{"127.0.0.1:1"} })
	tok := e.AdminToken()
	e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200)
	e.Do("GET", "/api/v1/admin/accounts", tok, nil).Must(t, 200)
	e.Do("POST", "/api/v1/auth/logout", tok, nil).Must(t, 200)
	e.Do("GET", "/api/v1/auth/me", tok, nil).MustErr(t, 401, "unauthorized")
	r := e.Do("GET", "/readyz", "", nil)
	if r.Status != 503 || !strings.Contains(string(r.Raw), `"redis":"down"`) {
		t.Fatalf("readyz without redis: %d %s", r.Status, r.Raw)
	}
}

// TestLimitsHoldWithoutRedis: with Redis down the server keeps serving, and
// the limits fall back to this process's own buckets instead of letting
// everything through (15 wrong passwords were 15 × 401; 12 submissions were
// 12 × 201 against a limit of 10 an hour).
func TestLimitsHoldWithoutRedis(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, func(s *testutil.Setup) { s.Config.RedisAddrs = []string{"127.0.0.1:1"} })
	c := newCity(t, e)
	codes := map[int]int{}
	for i := 0; i < 15; i++ {
		codes[e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "admin", "password": "Wrong-" + strconv.Itoa(i) + "x"}).Status]++
	}
	if codes[401] > 5 || codes[429] < 10 {
		t.Fatalf("wrong passwords without Redis: %v", codes)
	}
	_, tok := e.Resident(testutil.UniqueCode("noredis"))
	codes = map[int]int{}
	for i := 0; i < service.SubmitLimit+2; i++ {
		codes[e.Do("POST", "/api/v1/my/requests", tok, c.submitBody("路灯不亮 "+strconv.Itoa(i))).Status]++
	}
	if codes[201] != service.SubmitLimit || codes[429] != 2 {
		t.Fatalf("submissions without Redis: %v", codes)
	}
}
