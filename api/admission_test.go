package api

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestAdmissionShedsBeyondTheQueue: with one place and one queued request,
// a third concurrent request is answered 503 with Retry-After at once, the
// queued one runs when the place frees, and one that waits past Wait gets 503.
func TestAdmissionShedsBeyondTheQueue(t *testing.T) {
	gin.SetMode(gin.TestMode)
	release := make(chan struct{})
	entered := make(chan struct{}, 4)
	r := gin.New()
	r.Use(admit(Admission{InFlight: 1, Queued: 1, Wait: 5 * time.Second}))
	r.GET("/x", func(c *gin.Context) {
		entered <- struct{}{}
		<-release
		c.Status(http.StatusNoContent)
	})
	do := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
		return w
	}
	var wg sync.WaitGroup
	codes := make([]int, 2)
	wg.Add(1)
	go func() { defer wg.Done(); codes[0] = do().Code }()
	<-entered // the first holds the only place
	wg.Add(1)
	go func() { defer wg.Done(); codes[1] = do().Code }()
	time.Sleep(100 * time.Millisecond) // the second is queued
	third := do()
	if third.Code != http.StatusServiceUnavailable || third.Header().Get("Retry-After") != "1" {
		t.Fatalf("third: %d Retry-After %q, want 503 with Retry-After 1", third.Code, third.Header().Get("Retry-After"))
	}
	close(release)
	wg.Wait()
	if codes[0] != http.StatusNoContent || codes[1] != http.StatusNoContent {
		t.Fatalf("the running and the queued request: %v, want both 204", codes)
	}

	r2 := gin.New()
	block := make(chan struct{})
	r2.Use(admit(Admission{InFlight: 1, Queued: 4, Wait: 50 * time.Millisecond}))
	r2.GET("/x", func(c *gin.Context) { <-block; c.Status(http.StatusNoContent) })
	go r2.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	time.Sleep(50 * time.Millisecond)
	w := httptest.NewRecorder()
	start := time.Now()
	r2.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	close(block)
	if w.Code != http.StatusServiceUnavailable || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("queued past Wait: %d after %v, want 503 after ≥ 50 ms", w.Code, time.Since(start))
	}
}
