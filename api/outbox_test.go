package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/internal/wechat"
	"zhilian/model"
	"zhilian/service"
)

func outboxEnv(t *testing.T) (*testutil.Env, *testutil.Clock) {
	clock := testutil.NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	return e, clock
}

func enqueue(t *testing.T, e *testutil.Env, msgs ...*model.OutboxMessage) {
	t.Helper()
	if err := e.App.Store.Outbox().Enqueue(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
}

func outboxState(t *testing.T, e *testutil.Env, key string) model.OutboxMessage {
	t.Helper()
	var m model.OutboxMessage
	if err := e.App.DB.Where("dedup_key = ?", key).Take(&m).Error; err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOutboxDeliversOnceWithTemplateAndFields(t *testing.T) {
	t.Parallel()
	e, clock := outboxEnv(t)
	code := testutil.UniqueCode("ob")
	rid, _ := e.Resident(code)
	msg := model.Notify(model.EventRequestAccepted, model.SubjectResident, rid, "t1:"+code, "pages/request/detail?id=7",
		map[string]string{"character_string1": "ZL20261124-000007", "thing2": "这是一个超过二十个字的分类名称用来测试截断是否生效", "phrase3": "已受理"}, clock.Now())
	enqueue(t, e, msg, msg) // the same cause twice queues once
	dup := *msg
	dup.ID = 0
	enqueue(t, e, &dup)
	if n, err := e.App.Notifier.Drain(context.Background()); err != nil || n != 1 {
		t.Fatalf("drained %d, %v", n, err)
	}
	sent := e.Wechat.Sent("fake_" + code)
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	if sent[0].TemplateID != "fake-tpl-request_accepted" || sent[0].Page != "pages/request/detail?id=7" {
		t.Fatalf("message = %+v", sent[0])
	}
	if string(sent[0].Data["character_string1"]) != `{"value":"ZL20261124-000007","color":""}` {
		t.Fatalf("data = %s", sent[0].Data["character_string1"])
	}
	if m := outboxState(t, e, "t1:"+code); m.State != model.OutboxSent || m.SentAt == nil {
		t.Fatalf("row = %+v", m)
	}
	if n, _ := e.App.Notifier.Drain(context.Background()); n != 0 {
		t.Fatal("sent again")
	}
}

func TestOutboxRetriesTransientAndNotRefused(t *testing.T) {
	t.Parallel()
	e, clock := outboxEnv(t)
	ctx := context.Background()
	busy, refused := testutil.UniqueCode("busy"), testutil.UniqueCode("refused")
	rBusy, _ := e.Resident(busy)
	rRef, _ := e.Resident(refused)
	e.Wechat.FailSends("fake_"+busy, wechat.ErrSystemBusy, wechat.ErrMinuteQuota)
	e.Wechat.FailSends("fake_"+refused, wechat.ErrUserRefused)
	enqueue(t, e,
		model.Notify(model.EventBookingConfirmed, model.SubjectResident, rBusy, "busy:"+busy, "", map[string]string{"thing1": "预约"}, clock.Now()),
		model.Notify(model.EventBookingConfirmed, model.SubjectResident, rRef, "ref:"+refused, "", map[string]string{"thing1": "预约"}, clock.Now()))
	e.App.Notifier.Drain(ctx)
	m := outboxState(t, e, "busy:"+busy)
	if m.State != model.OutboxPending || m.Attempts != 1 || !m.NextAttemptAt.After(clock.Now()) {
		t.Fatalf("after busy: %+v", m)
	}
	if r := outboxState(t, e, "ref:"+refused); r.State != model.OutboxRefused || r.Attempts != 1 {
		t.Fatalf("refused: %+v", r)
	}
	clock.Advance(31 * time.Second) // first backoff
	e.App.Notifier.Drain(ctx)
	if m = outboxState(t, e, "busy:"+busy); m.State != model.OutboxPending || m.Attempts != 2 {
		t.Fatalf("after quota: %+v", m)
	}
	clock.Advance(61 * time.Second) // second backoff doubles
	e.App.Notifier.Drain(ctx)
	if m = outboxState(t, e, "busy:"+busy); m.State != model.OutboxSent || m.Attempts != 3 {
		t.Fatalf("after retry: %+v", m)
	}
	if len(e.Wechat.Sent("fake_"+busy)) != 1 || len(e.Wechat.Sent("fake_"+refused)) != 0 {
		t.Fatal("wrong deliveries")
	}
	clock.Advance(time.Hour)
	if n, _ := e.App.Notifier.Drain(ctx); n != 0 {
		t.Fatal("a refused message was retried")
	}
}

func TestOutboxDeadAndAdminRetry(t *testing.T) {
	t.Parallel()
	e, clock := outboxEnv(t)
	admin := e.AdminToken()
	code := testutil.UniqueCode("dead")
	rid, rtok := e.Resident(code)
	e.Wechat.FailSends("fake_"+code, wechat.ErrBadMessageData)
	enqueue(t, e, model.Notify(model.EventSessionCancelled, model.SubjectResident, rid, "dead:"+code, "", map[string]string{"thing1": "x"}, clock.Now()))
	e.App.Notifier.Drain(context.Background())
	var page struct {
		Items []struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/admin/outbox?state=dead", admin, nil).Must(t, 200).Decode(t, &page)
	if len(page.Items) != 1 {
		t.Fatalf("dead rows = %+v", page.Items)
	}
	e.Do("GET", "/api/v1/admin/outbox?state=weird", admin, nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/admin/outbox", rtok, nil).MustErr(t, 403, "forbidden")
	w := newWorldOn(t, e, admin)
	_, townAdmin := e.Staff(admin, w.townA, "admin", "ob_town_admin")
	e.Do("GET", "/api/v1/admin/outbox", townAdmin, nil).MustErr(t, 403, "forbidden")

	path := fmt.Sprintf("/api/v1/admin/outbox/%d/retry", page.Items[0].ID)
	e.Do("POST", path, admin, nil).Must(t, 200)
	e.Do("POST", path, admin, nil).MustErr(t, 409, "invalid_transition")
	e.App.Notifier.Drain(context.Background())
	if m := outboxState(t, e, "dead:"+code); m.State != model.OutboxSent {
		t.Fatalf("after admin retry: %+v", m)
	}
	// Messages to staff without a WeChat binding, or events without a template, are skipped.
	enqueue(t, e, model.Notify(model.EventStaffNewItem, model.SubjectStaff, 1, "staff:"+code, "", nil, clock.Now()))
	e.App.Notifier.Drain(context.Background())
	if m := outboxState(t, e, "staff:"+code); m.State != model.OutboxSkipped {
		t.Fatalf("unbound staff: %+v", m)
	}
	m := scrapeText(t, e, "/metrics")
	for _, want := range []string{`zhilian_outbox_messages_total{outcome="dead"} 1`, `zhilian_outbox_messages_total{outcome="skipped"} 1`, "zhilian_outbox_pending 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// blockingSender stands for a worker killed mid-send: it never returns until
// its context ends, so the message is never recorded as sent.
type blockingSender struct{ entered chan struct{} }

func (b blockingSender) SendSubscribe(ctx context.Context, _, _, _ string, _ map[string]string) error {
	close(b.entered)
	<-ctx.Done()
	return ctx.Err()
}

func TestOutboxSurvivesAWorkerDyingMidSend(t *testing.T) {
	t.Parallel()
	e, clock := outboxEnv(t)
	code := testutil.UniqueCode("crash")
	rid, _ := e.Resident(code)
	enqueue(t, e, model.Notify(model.EventRequestClosed, model.SubjectResident, rid, "crash:"+code, "", map[string]string{"thing1": "已办结"}, clock.Now()))
	ctx, kill := context.WithCancel(context.Background())
	bs := blockingSender{entered: make(chan struct{})}
	dying := service.NewNotifier(e.App.Store.Outbox(), e.App.Store.Outbox(), bs,
		service.NotifierConfig{Templates: map[string]string{model.EventRequestClosed: "tpl"}}, clock.Now, testutil.Quiet())
	done := make(chan struct{})
	go func() { dying.ProcessOnce(ctx); close(done) }()
	<-bs.entered
	kill() // the process dies while sending
	<-done
	if m := outboxState(t, e, "crash:"+code); m.State != model.OutboxPending {
		t.Fatalf("after crash: %+v", m)
	}
	e.App.Notifier.Drain(context.Background()) // the restarted worker: still claimed
	if len(e.Wechat.Sent("fake_"+code)) != 0 {
		t.Fatal("a claimed message was taken by another worker")
	}
	clock.Advance(time.Minute) // the claim has ended
	e.App.Notifier.Drain(context.Background())
	if len(e.Wechat.Sent("fake_"+code)) != 1 {
		t.Fatal("not delivered after restart")
	}
}

func TestOutboxConcurrentWorkersNeverDoubleSend(t *testing.T) {
	t.Parallel()
	e, clock := outboxEnv(t)
	code := testutil.UniqueCode("many")
	rid, _ := e.Resident(code)
	const n = 120
	var msgs []*model.OutboxMessage
	for i := 0; i < n; i++ {
		msgs = append(msgs, model.Notify(model.EventSessionReminder, model.SubjectResident, rid, fmt.Sprintf("many:%s:%d", code, i), "", map[string]string{"thing1": fmt.Sprint(i)}, clock.Now()))
	}
	enqueue(t, e, msgs...)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		worker := service.NewNotifier(e.App.Store.Outbox(), e.App.Store.Outbox(), e.App.Wechat,
			service.NotifierConfig{Templates: map[string]string{model.EventSessionReminder: "tpl"}, Batch: 7}, clock.Now, testutil.Quiet())
		wg.Add(1)
		go func() { defer wg.Done(); worker.Drain(context.Background()) }()
	}
	wg.Wait()
	sent := e.Wechat.Sent("fake_" + code)
	seen := map[string]int{}
	for _, m := range sent {
		seen[string(m.Data["thing1"])]++
	}
	if len(sent) != n || len(seen) != n {
		t.Fatalf("sent %d messages, %d distinct, want %d", len(sent), len(seen), n)
	}
}
