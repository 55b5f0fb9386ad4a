package app_test

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"zhilian/internal/app"
	"zhilian/internal/testutil"
	"zhilian/service"
)

// TestStartTwiceSeedsOnce builds the server twice on one database, as two
// restarts (or two instances) would: the root, the admin and the demo city
// are created once, and the generated admin password is shown once.
func TestStartTwiceSeedsOnce(t *testing.T) {
	t.Parallel()
	testutil.Wechat(t)
	cfg := testutil.TestConfig(t)
	cfg.Demo = true
	cfg.AdminPassword = "" // dev: generated
	ctx := context.Background()
	a1, err := app.New(ctx, cfg, testutil.Quiet(), app.Options{BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer a1.Close()
	if a1.AdminPassword == "" {
		t.Fatal("no generated admin password on first start")
	}
	a2, err := app.New(ctx, cfg, testutil.Quiet(), app.Options{BcryptCost: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer a2.Close()
	if a2.AdminPassword != "" {
		t.Fatal("admin password shown again on the second start")
	}
	var orgs, accounts int64
	a2.DB.Table("orgs").Count(&orgs)
	a2.DB.Table("accounts").Count(&accounts)
	wantOrgs, wantAccounts := int64(1), int64(1)
	var walk func([]service.DemoOrg)
	walk = func(ns []service.DemoOrg) {
		for _, n := range ns {
			wantOrgs++
			wantAccounts += int64(len(n.Staff))
			walk(n.Children)
		}
	}
	walk(service.DemoCity())
	if orgs != wantOrgs || accounts != wantAccounts {
		t.Fatalf("orgs %d accounts %d, want %d and %d", orgs, accounts, wantOrgs, wantAccounts)
	}
	var points, sessions int64
	a2.DB.Table("points").Count(&points)
	a2.DB.Table("liaison_sessions").Count(&sessions)
	if points != int64(len(service.DemoPoints())) || sessions == 0 {
		t.Fatalf("demo points %d, sessions %d", points, sessions)
	}
}

// TestServeDrainsOnShutdown: a request in flight when shutdown starts completes.
func TestServeDrainsOnShutdown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var started atomic.Bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Store(true)
		time.Sleep(300 * time.Millisecond)
		w.Write([]byte("done"))
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- app.Serve(ctx, "api", addr, h, 5*time.Second, testutil.Quiet()) }()
	var res *http.Response
	got := make(chan error, 1)
	go func() {
		for i := 0; i < 50; i++ {
			if res, err = http.Get("http://" + addr + "/"); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		got <- err
	}()
	for !started.Load() {
		time.Sleep(5 * time.Millisecond)
	}
	cancel() // SIGTERM
	if err := <-got; err != nil || res.StatusCode != 200 {
		t.Fatalf("in-flight request: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Fatal("still accepting after shutdown")
	}
}
