package api_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/service"
)

// behindProxy trusts loopback as a load balancer, so a test can speak from
// any client IP with X-Forwarded-For (nothing is sent anywhere but loopback).
func behindProxy(s *testutil.Setup) { s.Config.TrustedProxies = []string{"127.0.0.1/32", "::1/128"} }

func loginFrom(e *testutil.Env, ip, username, password string) *testutil.Resp {
	e.T.Helper()
	return e.Call(testutil.Req{Method: "POST", Path: "/api/v1/auth/staff", Headers: map[string]string{"X-Forwarded-For": ip},
		Body: map[string]string{"username": username, "password": password}})
}

// TestWrongPasswordsCannotLockStaffOut: wrong passwords from one IP soon make
// that IP wait for that username (429 with Retry-After), and spread over many
// IPs they slow the username down for the IPs that failed — but the right
// password from an IP that has not failed always signs in.
func TestWrongPasswordsCannotLockStaffOut(t *testing.T) {
	t.Parallel()
	// The default limits' shape with slow refills, so a slow run cannot see a
	// token come back half way (the defaults refill one a second per IP and
	// one every 6 s per username).
	e := testutil.New(t, behindProxy, func(s *testutil.Setup) {
		s.Options.LoginLimits = service.LoginLimits{PerIP: service.Limit{N: 40, Period: time.Hour},
			PerPair: service.Limit{N: 5, Period: time.Hour}, PerUsername: []service.Limit{{N: 10, Period: time.Hour}, {N: 30, Period: 24 * time.Hour}}}
	})
	e.Staff(e.AdminToken(), e.RootOrgID(), "cadre", "fs_natres")

	// One attacker: five tries, then a wait for that IP only.
	for i := 0; i < 5; i++ {
		loginFrom(e, "10.9.0.1", "fs_natres", "Wrong-"+strconv.Itoa(i)+"x").MustErr(t, 401, "unauthorized")
	}
	r := loginFrom(e, "10.9.0.1", "fs_natres", "Wrong-5x").MustErr(t, 429, "rate_limited")
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 {
		t.Fatalf("Retry-After = %q", r.Header.Get("Retry-After"))
	}
	loginFrom(e, "10.9.0.1", "fs_natres", testutil.WorkPassword).MustErr(t, 429, "rate_limited") // even right: this IP failed
	loginFrom(e, "10.1.1.1", "fs_natres", testutil.WorkPassword).Must(t, 200)                    // the staff member is not locked out

	// Many attackers: the username slows down for IPs that have failed…
	for ip := 2; ip <= 5; ip++ {
		for i := 0; i < 4; i++ {
			loginFrom(e, fmt.Sprintf("10.9.0.%d", ip), "fs_natres", fmt.Sprintf("Guess-%d-%dx", ip, i))
		}
	}
	loginFrom(e, "10.9.0.2", "fs_natres", "Guess-again1").MustErr(t, 429, "rate_limited")
	// …while a fresh IP is still heard (one guess: it is then a failed IP)…
	loginFrom(e, "10.9.0.77", "fs_natres", "Guess-fresh1").MustErr(t, 401, "unauthorized")
	loginFrom(e, "10.9.0.77", "fs_natres", "Guess-fresh2").MustErr(t, 429, "rate_limited")
	// …and the right password from a clean IP goes through, every time.
	for i := 0; i < 3; i++ {
		loginFrom(e, fmt.Sprintf("10.2.2.%d", i), "fs_natres", testutil.WorkPassword).Must(t, 200)
	}
	// Per IP, any username.
	var last *testutil.Resp
	for i := 0; i < 41; i++ {
		last = loginFrom(e, "10.7.7.7", fmt.Sprintf("nobody%02d", i), "Wrong-12345x")
	}
	last.MustErr(t, 429, "rate_limited")
}

// TestUsernameCaseAndSpacesAreOneUser: usernames are normalised (trimmed,
// lower-case) at creation and sign-in, so case and trailing spaces neither
// dodge the per-username limit nor make a second account.
func TestUsernameCaseAndSpacesAreOneUser(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, behindProxy)
	admin := e.AdminToken()
	e.Staff(admin, e.RootOrgID(), "cadre", "fs_natres")
	for i := 0; i < 10; i++ {
		loginFrom(e, "10.8.0.1", "fs_natres", "Wrong-"+strconv.Itoa(i)+"x")
	}
	for _, variant := range []string{"fS_NaTrEs", "fs_natres ", " FS_NATRES"} {
		loginFrom(e, "10.8.0.1", variant, testutil.WorkPassword).MustErr(t, 429, "rate_limited")
	}
	loginFrom(e, "10.8.0.2", " FS_NatRes ", testutil.WorkPassword).Must(t, 200) // the same account, from a clean IP

	created := e.Do("POST", "/api/v1/admin/accounts", admin, map[string]any{
		"username": " SecA ", "password": testutil.InitPassword, "name": "甲", "role": "cadre", "org_id": e.RootOrgID(),
	}).Must(t, 201).M(t)
	if created["username"] != "seca" {
		t.Fatalf("stored username %v, want seca", created["username"])
	}
	e.Do("POST", "/api/v1/admin/accounts", admin, map[string]any{
		"username": "SECA", "password": testutil.InitPassword, "name": "乙", "role": "cadre", "org_id": e.RootOrgID(),
	}).MustErr(t, 409, "already_exists")
}

// TestIdentityColumnsAreCaseSensitive: openids and Idempotency-Keys are
// compared byte for byte (utf8mb4_bin): WeChat users "SECA" and "secA" are two
// residents, and the keys "CaseKey" and "CASEKEY" are two submissions.
func TestIdentityColumnsAreCaseSensitive(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	suffix := testutil.UniqueCode("")
	upper, _ := e.Resident("SECA" + suffix)
	lower, tok := e.Resident("secA" + suffix)
	if upper == lower {
		t.Fatalf("openids fake_SECA… and fake_secA… are one resident (%d)", upper)
	}
	ids := map[int64]bool{}
	for i, key := range []string{"CaseKey", "CASEKEY"} {
		r := e.Call(testutil.Req{Method: "POST", Path: "/api/v1/my/requests", Token: tok,
			Headers: map[string]string{"Idempotency-Key": key}, Body: c.submitBody(fmt.Sprintf("第 %d 件：路灯不亮", i+1))})
		ids[r.Must(t, 201).ID(t)] = true
	}
	if len(ids) != 2 {
		t.Fatalf("Idempotency-Keys CaseKey and CASEKEY collided: %v", ids)
	}
}
