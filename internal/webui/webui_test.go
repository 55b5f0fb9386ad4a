package webui_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"zhilian/internal/webui"
)

func get(t *testing.T, h http.Handler, path string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	var rd io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		z, err := gzip.NewReader(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		rd = z
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func gz(s string) []byte {
	var b strings.Builder
	z := gzip.NewWriter(&b)
	_, _ = z.Write([]byte(s))
	_ = z.Close()
	return []byte(b.String())
}

func built() fstest.MapFS {
	return fstest.MapFS{
		"console/index.html":              {Data: []byte("<!doctype html><title>console</title>")},
		"console/favicon.svg":             {Data: []byte("<svg/>")},
		"console/assets/app-1a2b3c.js":    {Data: []byte("console.log('app')")},
		"console/assets/app-1a2b3c.js.gz": {Data: gz("console.log('app')")},
		"docs/index.html":                 {Data: []byte("<!doctype html><title>docs</title>")},
		"docs/assets/ui-9f8e.css":         {Data: []byte("body{}")},
	}
}

func TestConsoleServesTheBuildWithItsCachePolicy(t *testing.T) {
	t.Parallel()
	s := webui.New(built())
	if !s.Built() {
		t.Fatal("Built() = false for a built tree")
	}
	h := s.Console()

	r := get(t, h, "/console/")
	if r.StatusCode != 200 || !strings.Contains(body(t, r), "<title>console</title>") {
		t.Fatalf("index: %d", r.StatusCode)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-cache" {
		t.Errorf("index Cache-Control = %q", got)
	}
	if got := r.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
		t.Errorf("index Content-Type = %q", got)
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("index has no ETag")
	}
	if r := get(t, h, "/console/", "If-None-Match", etag); r.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", r.StatusCode)
	}

	// A route of the app (history mode) answers the app.
	r = get(t, h, "/console/accounts/12")
	if r.StatusCode != 200 || !strings.Contains(body(t, r), "console") || r.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("deep link: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}

	// Hashed assets are kept a year, gzipped when the browser accepts it.
	r = get(t, h, "/console/assets/app-1a2b3c.js", "Accept-Encoding", "gzip, deflate, br")
	if r.StatusCode != 200 || r.Header.Get("Content-Encoding") != "gzip" || body(t, r) != "console.log('app')" {
		t.Fatalf("asset gz: %d %q", r.StatusCode, r.Header.Get("Content-Encoding"))
	}
	if got := r.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("asset Cache-Control = %q", got)
	}
	if got := r.Header.Get("Content-Type"); !strings.Contains(got, "javascript") {
		t.Errorf("asset Content-Type = %q", got)
	}
	r = get(t, h, "/console/assets/app-1a2b3c.js")
	if r.Header.Get("Content-Encoding") != "" || body(t, r) != "console.log('app')" {
		t.Fatal("asset without gzip")
	}

	// A missing asset is a 404, not the app (a stale tab must not get HTML as JS).
	if r := get(t, h, "/console/assets/old-000000.js"); r.StatusCode != 404 {
		t.Errorf("missing asset: %d", r.StatusCode)
	}
	if r := get(t, h, "/console/missing.png"); r.StatusCode != 404 {
		t.Errorf("missing file: %d", r.StatusCode)
	}
	// No way out of the tree.
	if r := get(t, h, "/console/../docs/index.html"); strings.Contains(body(t, r), "docs") {
		t.Error("path escaped the console tree")
	}
	// Unhashed files are revalidated.
	if r := get(t, h, "/console/favicon.svg"); r.Header.Get("Cache-Control") != "no-cache" || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/svg") {
		t.Errorf("favicon: %q %q", r.Header.Get("Cache-Control"), r.Header.Get("Content-Type"))
	}
}

func TestDocsServesItsTree(t *testing.T) {
	t.Parallel()
	h := webui.New(built()).Docs()
	for _, p := range []string{"/docs", "/docs/"} {
		r := get(t, h, p)
		if r.StatusCode != 200 || !strings.Contains(body(t, r), "<title>docs</title>") {
			t.Fatalf("%s: %d", p, r.StatusCode)
		}
	}
	r := get(t, h, "/docs/assets/ui-9f8e.css")
	if r.StatusCode != 200 || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("docs asset: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}
}

func TestPlaceholderWhenNotBuilt(t *testing.T) {
	t.Parallel()
	s := webui.New(fstest.MapFS{"README.md": {Data: []byte("x")}})
	if s.Built() {
		t.Fatal("Built() = true for an empty tree")
	}
	for _, h := range []http.Handler{s.Console(), s.Docs()} {
		r := get(t, h, "/console/accounts")
		b := body(t, r)
		if r.StatusCode != 200 || !strings.Contains(b, "make console") {
			t.Fatalf("placeholder: %d %s", r.StatusCode, b)
		}
		if r.Header.Get("Content-Security-Policy") == "" {
			t.Error("placeholder without CSP")
		}
	}
	r := get(t, s.Console(), "/console/placeholder.css")
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Errorf("placeholder.css: %q", r.Header.Get("Content-Type"))
	}
}

// The binary embeds whatever dist/ holds; on a fresh clone that is only its
// README, and the handler must still answer.
func TestEmbeddedAnswers(t *testing.T) {
	t.Parallel()
	s := webui.New(webui.Embedded())
	if r := get(t, s.Console(), "/console/"); r.StatusCode != 200 {
		t.Fatalf("embedded console: %d", r.StatusCode)
	}
}
