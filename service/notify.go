package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"zhilian/model"
)

// OutboxRepo is the notification queue.
type OutboxRepo interface {
	Process(ctx context.Context, now time.Time, limit int, handle func(*model.OutboxMessage)) (int, error)
	List(ctx context.Context, state model.OutboxState, cursor string, size int) (model.Page[model.OutboxMessage], error)
	Retry(ctx context.Context, id int64, now time.Time) (*model.OutboxMessage, error)
	Stats(ctx context.Context, now time.Time) (int64, time.Duration, error)
}

// Recipients resolves a recipient's WeChat openid ("" when none is bound).
type Recipients interface {
	OpenID(ctx context.Context, kind model.SubjectKind, id int64) (string, error)
}

// SendError is WeChat's refusal of a subscribe message.
type SendError struct {
	Code      int64
	Transient bool // worth retrying later (-1 busy, 45011 quota, timeouts)
	Refused   bool // the user has not granted this subscription (43101)
}

func (e *SendError) Error() string { return fmt.Sprintf("wechat errcode %d", e.Code) }

// SubscribeSender sends one subscribe message; failures are *SendError.
type SubscribeSender interface {
	SendSubscribe(ctx context.Context, openID, templateID, page string, data map[string]string) error
}

// NotifierConfig configures the outbox worker.
type NotifierConfig struct {
	Templates map[string]string // event → template id; events without one are skipped and counted
	Batch     int               // messages claimed per transaction (default 10)
	Poll      time.Duration     // idle wait between polls (default 2 s)
	Observe   func(outcome model.OutboxState)
}

// Notifier delivers outbox messages as WeChat subscribe messages. Several
// notifiers (in several instances) may run at once.
type Notifier struct {
	repo       OutboxRepo
	recipients Recipients
	sender     SubscribeSender
	cfg        NotifierConfig
	now        func() time.Time
	log        *slog.Logger
}

// NewNotifier builds the worker.
func NewNotifier(repo OutboxRepo, rec Recipients, sender SubscribeSender, cfg NotifierConfig, now func() time.Time, log *slog.Logger) *Notifier {
	if cfg.Batch <= 0 {
		cfg.Batch = 10
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.Observe == nil {
		cfg.Observe = func(model.OutboxState) {}
	}
	return &Notifier{repo: repo, recipients: rec, sender: sender, cfg: cfg, now: now, log: log}
}

// ProcessOnce delivers one batch of due messages and returns how many it handled.
func (n *Notifier) ProcessOnce(ctx context.Context) (int, error) {
	return n.repo.Process(ctx, n.now(), n.cfg.Batch, func(m *model.OutboxMessage) {
		n.deliver(ctx, m)
		n.cfg.Observe(m.State)
	})
}

// Drain processes batches until nothing is due (tests and shutdown).
func (n *Notifier) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		k, err := n.ProcessOnce(ctx)
		total += k
		if err != nil || k == 0 {
			return total, err
		}
	}
}

// Run delivers until ctx ends.
func (n *Notifier) Run(ctx context.Context) {
	for {
		k, err := n.ProcessOnce(ctx)
		if err != nil && ctx.Err() == nil {
			n.log.ErrorContext(ctx, "outbox batch failed", "err", err)
		}
		if k > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(n.cfg.Poll):
		}
	}
}

func (n *Notifier) deliver(ctx context.Context, m *model.OutboxMessage) {
	now := n.now()
	tpl := n.cfg.Templates[m.Event]
	if tpl == "" {
		m.MarkFinal(model.OutboxSkipped, "no template configured", now)
		return
	}
	openID, err := n.recipients.OpenID(ctx, m.RecipientKind, m.RecipientID)
	if err != nil {
		m.MarkRetry("recipient lookup failed", now)
		return
	}
	if openID == "" {
		m.MarkFinal(model.OutboxSkipped, "recipient has no WeChat binding", now)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	err = n.sender.SendSubscribe(sctx, openID, tpl, m.Page, m.Fields())
	if err == nil {
		m.MarkSent(now)
		return
	}
	se, ok := err.(*SendError)
	switch {
	case !ok || se.Transient:
		m.MarkRetry(fmt.Sprintf("transient: %v", err), now)
	case se.Refused:
		m.MarkFinal(model.OutboxRefused, se.Error(), now)
	default:
		m.MarkFinal(model.OutboxDead, se.Error(), now)
	}
	if m.State == model.OutboxDead {
		n.log.WarnContext(ctx, "notification given up", "outbox_id", m.ID, "event", m.Event, "err", m.LastError)
	}
}

// Outbox is the admin view of the queue.
type Outbox struct {
	repo OutboxRepo
	now  func() time.Time
}

// NewOutbox builds the admin view.
func NewOutbox(repo OutboxRepo, now func() time.Time) *Outbox { return &Outbox{repo: repo, now: now} }

// List lists messages by state (city admins only: the queue is city-wide).
func (o *Outbox) List(ctx context.Context, p *model.Principal, state model.OutboxState, cursor string, size int) (model.Page[model.OutboxMessage], error) {
	if err := rootAdmin(p, "仅市级管理员可以管理通知队列"); err != nil {
		return model.Page[model.OutboxMessage]{}, err
	}
	switch state {
	case "", model.OutboxPending, model.OutboxSent, model.OutboxRefused, model.OutboxSkipped, model.OutboxDead:
	default:
		return model.Page[model.OutboxMessage]{}, model.Invalid("state 须为 pending、sent、refused、skipped 或 dead")
	}
	return o.repo.List(ctx, state, cursor, size)
}

// Retry requeues a dead message.
func (o *Outbox) Retry(ctx context.Context, p *model.Principal, id int64) (*model.OutboxMessage, error) {
	if err := rootAdmin(p, "仅市级管理员可以管理通知队列"); err != nil {
		return nil, err
	}
	return o.repo.Retry(ctx, id, o.now())
}
