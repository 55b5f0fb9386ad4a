package api_test

import (
	"net/http"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

func TestBadInputIsA4xxNeverA500(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	admin := e.AdminToken()
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"malformed JSON", "POST", "/api/v1/auth/staff", `{"username": "a",`, 400, "invalid_argument"},
		{"not JSON", "POST", "/api/v1/auth/staff", `username=a`, 400, "invalid_argument"},
		{"empty body", "POST", "/api/v1/auth/staff", ``, 400, "invalid_argument"},
		{"array body", "POST", "/api/v1/auth/staff", `[1,2]`, 400, "invalid_argument"},
		{"wrong type", "POST", "/api/v1/admin/accounts", `{"username":"x1x","password":"Init-2026-zl","name":"n","role":"cadre","org_id":"one"}`, 400, "invalid_argument"},
		{"missing field", "POST", "/api/v1/admin/accounts", `{"username":"x1x","password":"Init-2026-zl","role":"cadre","org_id":1}`, 400, "invalid_argument"},
		{"two objects", "POST", "/api/v1/admin/orgs", `{"name":"a","kind":"town","parent_id":1}{}`, 400, "invalid_argument"},
		{"huge id", "GET", "/api/v1/admin/accounts/99999999999999999999", ``, 400, "invalid_argument"},
		{"negative id", "POST", "/api/v1/admin/orgs", `{"name":"a","kind":"district","parent_id":-4}`, 400, "invalid_argument"},
		{"long name", "POST", "/api/v1/admin/orgs", `{"name":"` + strings.Repeat("长", 65) + `","kind":"district","parent_id":1}`, 400, "invalid_argument"},
		{"unknown route", "GET", "/api/v1/nothing-here", ``, 404, "not_found"},
	}
	for _, c := range cases {
		r := e.Call(testutil.Req{Method: c.method, Path: c.path, Token: admin, Body: c.body})
		if r.Status != c.status || r.Code != c.code || r.Msg == "" || r.RequestID == "" {
			t.Errorf("%s: got %d %s %q, want %d %s", c.name, r.Status, r.Code, r.Msg, c.status, c.code)
		}
	}
	// Oversized body: 413 too_large, by Content-Length and by streaming.
	big := `{"username":"` + strings.Repeat("a", 2<<20) + `","password":"x"}`
	r := e.Call(testutil.Req{Method: "POST", Path: "/api/v1/auth/staff", Body: big})
	if r.Status != 413 || r.Code != "too_large" {
		t.Fatalf("oversized: %d %s", r.Status, r.Code)
	}
	req, _ := http.NewRequest("POST", e.Server.URL+"/api/v1/auth/staff", strings.NewReader(big))
	req.ContentLength = -1 // chunked: the limit must hold while reading
	res, err := e.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("chunked oversized: %d", res.StatusCode)
	}
	if res := e.Do("DELETE", "/healthz", "", nil); res.Status != 405 {
		t.Fatalf("wrong method: %d", res.Status)
	}
	if strings.Contains(e.LogText(), `"status":500`) {
		t.Fatal("a bad input produced a 500")
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	e.Do("GET", "/healthz", "", nil).Must(t, 200)
	ready := e.Do("GET", "/readyz", "", nil).Must(t, 200).M(t)
	if ready["mysql"] != "ok" || ready["redis"] != "ok" {
		t.Fatalf("readyz = %v", ready)
	}
	e.Do("GET", "/api/v1/auth/me", "", nil)
	m := scrapeText(t, e, "/metrics")
	for _, want := range []string{
		`zhilian_http_requests_total{method="GET",route="/api/v1/auth/me",status="401"} 1`,
		"zhilian_http_request_duration_seconds_bucket",
		"go_sql_open_connections",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	r := e.Call(testutil.Req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-Id": "trace-abc-123"}})
	if r.Header.Get("X-Request-Id") != "trace-abc-123" {
		t.Fatal("request id not echoed")
	}
}
