package api_test

import (
	"fmt"
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
	req.Header.Set("Content-Type", "application/json")
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

func TestUnknownFieldAndWrongContentTypeAreRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	id := e.Do("POST", "/api/v1/admin/accounts", w.admin, map[string]any{
		"username": "typo_a", "password": testutil.InitPassword, "name": "陈明", "role": "cadre", "org_id": w.townA,
	}).Must(t, 201).ID(t)
	path := fmt.Sprintf("/api/v1/admin/accounts/%d", id)
	// A misspelt field is named in the 400 and changes nothing.
	r := e.Do("PATCH", path, w.admin, map[string]any{"nmae": "x"}).MustErr(t, 400, "invalid_argument")
	if !strings.Contains(r.Msg, "nmae") {
		t.Fatalf("message does not name the field: %q", r.Msg)
	}
	if got := e.Do("GET", path, w.admin, nil).Must(t, 200).M(t)["name"]; got != "陈明" {
		t.Fatalf("name changed to %v", got)
	}
	// An unknown field next to known ones is refused too (nothing half-applied).
	e.Do("PATCH", path, w.admin, map[string]any{"name": "陈亮", "rol": "admin"}).MustErr(t, 400, "invalid_argument")
	if got := e.Do("GET", path, w.admin, nil).Must(t, 200).M(t)["name"]; got != "陈明" {
		t.Fatalf("name changed to %v", got)
	}
	// A JSON body under another Content-Type is 415; charset parameters are fine.
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "application/jsonx"} {
		e.Call(testutil.Req{Method: "PATCH", Path: path, Token: w.admin, Body: `{"name":"陈亮"}`,
			Headers: map[string]string{"Content-Type": ct}}).MustErr(t, 415, "unsupported_media_type")
	}
	e.Call(testutil.Req{Method: "PATCH", Path: path, Token: w.admin, Body: `{"name":"陈亮"}`,
		Headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}}).Must(t, 200)
	req, _ := http.NewRequest("POST", e.Server.URL+"/api/v1/auth/staff", strings.NewReader(`{"username":"a","password":"b"}`))
	res, err := e.Server.Client().Do(req) // no Content-Type at all
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 415 {
		t.Fatalf("missing Content-Type: %d", res.StatusCode)
	}
}
