package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"zhilian/model"
	"zhilian/service"
)

var (
	_ service.OutboxRepo = (*Outbox)(nil)
	_ service.Recipients = (*Outbox)(nil)
)

// InsertOutbox queues notifications inside the caller's transaction. A dedup
// key already queued is left alone, so replaying a cause never queues twice.
func InsertOutbox(tx *gorm.DB, msgs ...*model.OutboxMessage) error {
	for _, m := range msgs {
		if m == nil {
			continue
		}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(m).Error; err != nil {
			return err
		}
	}
	return nil
}

// Outbox is the notification queue.
type Outbox struct{ s *Store }

// Outbox returns the outbox repository.
func (s *Store) Outbox() *Outbox { return &Outbox{s} }

// Enqueue queues messages in a transaction of their own (jobs use it).
func (r *Outbox) Enqueue(ctx context.Context, msgs ...*model.OutboxMessage) error {
	return r.s.tx(ctx, "Outbox.Enqueue", func(tx *gorm.DB) error { return InsertOutbox(tx, msgs...) })
}

// A claim keeps messages out of other workers' reach for claimLease: a worker
// that dies holding one delays its messages by at most that. Within it, a
// worker begins sends only for startBy, and keeps trying to save an outcome
// for saveBudget (a database fail-over takes seconds), so that with the
// notifier's 8 s send timeout every outcome is saved before the claim ends
// and no other worker sends the message again.
const (
	claimLease = 30 * time.Second
	saveBudget = 10 * time.Second
	startBy    = claimLease - saveBudget - 10*time.Second
)

// Process claims up to limit due messages in a short transaction (FOR UPDATE
// SKIP LOCKED, so several workers never take the same row) by moving their
// next attempt claimLease ahead, then lets handle decide each one's outcome
// outside any transaction and saves it at once, retrying through a database
// fail-over: a message that was sent is not sent again because a commit
// failed. A worker that dies between a send and its save leaves that message
// to be sent again when the lease ends (at least once, never lost).
func (r *Outbox) Process(ctx context.Context, now time.Time, limit int, handle func(*model.OutboxMessage)) (int, error) {
	var due []*model.OutboxMessage
	err := r.s.tx(ctx, "Outbox.Process", func(tx *gorm.DB) error {
		due = nil
		err := tx.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("state = ? AND next_attempt_at <= ?", model.OutboxPending, now).
			Order("next_attempt_at, id").Limit(limit).Find(&due).Error
		if err != nil || len(due) == 0 {
			return err
		}
		ids := make([]int64, len(due))
		for i, m := range due {
			ids[i] = m.ID
		}
		return tx.Model(&model.OutboxMessage{}).Where("id IN ?", ids).
			UpdateColumn("next_attempt_at", now.Add(claimLease)).Error
	})
	if err != nil {
		return 0, err
	}
	claimed := time.Now()
	for i, m := range due {
		if time.Since(claimed) > startBy {
			return i, nil // the rest become due again when the claim ends, unsent
		}
		handle(m)
		if err := r.save(ctx, m); err != nil {
			return i, err
		}
	}
	return len(due), nil
}

// save records a message's outcome, retrying for up to saveBudget whatever
// the error (the update is idempotent), even while the worker is stopping.
func (r *Outbox) save(ctx context.Context, m *model.OutboxMessage) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveBudget)
	defer cancel()
	for {
		err := r.s.db.WithContext(ctx).Model(m).
			Select("state", "attempts", "next_attempt_at", "last_error", "updated_at", "sent_at").Updates(m).Error
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return translate(fmt.Errorf("save outbox %d: %w", m.ID, err))
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// List lists messages in a state (all states when empty), newest first.
func (r *Outbox) List(ctx context.Context, state model.OutboxState, cursor string, size int) (model.Page[model.OutboxMessage], error) {
	var out model.Page[model.OutboxMessage]
	var after int64
	if err := decodeCursor(cursor, &after); err != nil {
		return out, err
	}
	size = pageSize(size)
	q := r.s.db.WithContext(ctx).Model(&model.OutboxMessage{})
	if state != "" {
		q = q.Where("state = ?", state)
	}
	if after > 0 {
		q = q.Where("id < ?", after)
	}
	if err := q.Order("id DESC").Limit(size + 1).Find(&out.Items).Error; err != nil {
		return out, translate(err)
	}
	trimPage(&out, size, func(last model.OutboxMessage) string { return encodeCursor(last.ID) })
	return out, nil
}

// Retry puts a dead message back in the queue.
func (r *Outbox) Retry(ctx context.Context, id int64, now time.Time) (*model.OutboxMessage, error) {
	var m model.OutboxMessage
	err := r.s.tx(ctx, fmt.Sprintf("Outbox.Retry %d", id), func(tx *gorm.DB) error {
		if err := forUpdate(tx).First(&m, id).Error; err != nil {
			return err
		}
		if err := m.Retry(now); err != nil {
			return err
		}
		return tx.Model(&m).Select("state", "attempts", "next_attempt_at", "updated_at").Updates(&m).Error
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// Stats is the queue depth and the age of the oldest pending message.
func (r *Outbox) Stats(ctx context.Context, now time.Time) (int64, time.Duration, error) {
	var row struct {
		N      int64
		Oldest *time.Time
	}
	err := r.s.db.WithContext(ctx).Model(&model.OutboxMessage{}).Select("COUNT(*) AS n, MIN(created_at) AS oldest").
		Where("state = ?", model.OutboxPending).Scan(&row).Error
	if err != nil || row.Oldest == nil {
		return row.N, 0, translate(err)
	}
	return row.N, now.Sub(*row.Oldest), nil
}

// OpenID finds the WeChat openid of a recipient ("" when they have none).
func (r *Outbox) OpenID(ctx context.Context, kind model.SubjectKind, id int64) (string, error) {
	var open *string
	table, col := "residents", "openid"
	if kind == model.SubjectStaff {
		table, col = "accounts", "wechat_openid"
	}
	err := r.s.db.WithContext(ctx).Table(table).Select(col).Where("id = ?", id).Limit(1).Scan(&open).Error
	if err != nil || open == nil {
		return "", translate(err)
	}
	return *open, nil
}
