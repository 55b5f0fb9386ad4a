package api

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// Admission bounds the API requests handled at once, so memory stays bounded
// when more arrive than the database can serve (README "Performance"): at
// most InFlight run; up to Queued more wait at most Wait for a place; the
// rest are answered 503 unavailable with Retry-After at once, before their
// bodies are read. Zero InFlight turns it off.
type Admission struct {
	InFlight int           // ZL_MAX_IN_FLIGHT
	Queued   int           // ZL_MAX_QUEUED
	Wait     time.Duration // ZL_QUEUE_WAIT
}

// admit is the middleware of an Admission.
func admit(a Admission) gin.HandlerFunc {
	if a.InFlight <= 0 {
		return func(c *gin.Context) { c.Next() }
	}
	slots := make(chan struct{}, a.InFlight)
	var waiting atomic.Int64
	busy := func(c *gin.Context) {
		fail(c, &model.Error{Code: model.CodeUnavailable, Msg: "服务繁忙，请稍后重试", RetryAfter: time.Second})
	}
	return func(c *gin.Context) {
		select {
		case slots <- struct{}{}:
		default:
			if waiting.Add(1) > int64(a.Queued) {
				waiting.Add(-1)
				busy(c)
				return
			}
			t := time.NewTimer(a.Wait)
			select {
			case slots <- struct{}{}:
				t.Stop()
				waiting.Add(-1)
			case <-t.C:
				waiting.Add(-1)
				busy(c)
				return
			case <-c.Request.Context().Done():
				t.Stop()
				waiting.Add(-1)
				c.AbortWithStatus(http.StatusServiceUnavailable)
				return
			}
		}
		defer func() { <-slots }()
		c.Next()
	}
}
