package testutil

import (
	"bytes"
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/internal/app"
	"zhilian/internal/logx"
)

// Cluster builds n server instances on one database and one Redis prefix, as
// several instances behind a load balancer would run; mods adjust the shared
// setup first. Each instance has its own connection pools and HTTP server.
func Cluster(t testing.TB, n int, mods ...func(*Setup)) []*Env {
	t.Helper()
	wx := Wechat(t)
	gin.SetMode(gin.TestMode)
	s := &Setup{Config: TestConfig(t)}
	s.Options.BcryptCost = 4
	for _, m := range mods {
		m(s)
	}
	if s.Clock != nil {
		s.Options.Now = s.Clock.Now
	}
	envs := make([]*Env, 0, n)
	for i := 0; i < n; i++ {
		buf, mu := &bytes.Buffer{}, &sync.Mutex{}
		log := logx.New(lockedWriter{mu, buf}, "debug")
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		a, err := app.New(ctx, s.Config, log, s.Options)
		cancel()
		if err != nil {
			t.Fatalf("build instance %d: %v", i, err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(func() {
			srv.Close()
			a.Close()
		})
		envs = append(envs, &Env{T: t, App: a, Server: srv, Config: s.Config, Clock: s.Clock, Logs: buf, logMu: mu, Wechat: wx})
	}
	return envs
}
