package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

// The console and the docs are served by the API server itself, with the
// strict CSP, whether or not this binary was built with them.
func TestConsoleAndDocsAreServed(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	rec := httptest.NewRecorder()
	e.App.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "/console", nil))
	if rec.Code != 301 || rec.Header().Get("Location") != "/console/" {
		t.Fatalf("/console: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	for _, p := range []string{"/console/", "/console/work/inbox", "/docs"} {
		r := e.Do("GET", p, "", nil).Must(t, 200)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", p, r.Header.Get("Content-Type"))
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if r.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: Cache-Control %q", p, r.Header.Get("Cache-Control"))
		}
	}
}
