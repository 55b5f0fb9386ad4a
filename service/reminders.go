package service

import (
	"context"
	"time"

	"zhilian/model"
)

// OutboxWriter queues notifications in a transaction of their own.
type OutboxWriter interface {
	Enqueue(ctx context.Context, msgs ...*model.OutboxMessage) error
}

// Reminders are the daily jobs that remind staff of due and overdue items.
// Each is idempotent: the dedup key holds the request, the recipient and the
// business day, so running a job twice on a day queues each reminder once.
// The scheduler that calls them lives elsewhere.
type Reminders struct {
	repo     WorkRepo
	outbox   OutboxWriter
	calendar *Calendar
}

// NewReminders builds the reminder jobs.
func NewReminders(repo WorkRepo, outbox OutboxWriter, calendar *Calendar) *Reminders {
	return &Reminders{repo: repo, outbox: outbox, calendar: calendar}
}

const reminderBatch = 200

// each walks the open items due in (from, to] in batches.
func (m *Reminders) each(ctx context.Context, from, to time.Time, fn func(r *model.Request) ([]*model.OutboxMessage, error)) (int, error) {
	n := 0
	var after int64
	for {
		batch, err := m.repo.DueBetween(ctx, from, to, after, reminderBatch)
		if err != nil {
			return n, err
		}
		var msgs []*model.OutboxMessage
		for i := range batch {
			more, err := fn(&batch[i])
			if err != nil {
				return n, err
			}
			msgs = append(msgs, more...)
			after = batch[i].ID
		}
		if err := m.outbox.Enqueue(ctx, msgs...); err != nil {
			return n, err
		}
		n += len(msgs)
		if len(batch) < reminderBatch {
			return n, nil
		}
	}
}

// DueTomorrow reminds of open items due by the end of the next working day
// (not yet overdue): the assignee, or the handling org's staff when nobody is
// assigned. It returns how many reminders it queued (repeats are dropped by
// their dedup key).
func (m *Reminders) DueTomorrow(ctx context.Context, now time.Time) (int, error) {
	limit, err := m.calendar.SoonLimit(ctx, now)
	if err != nil {
		return 0, err
	}
	return m.each(ctx, now, limit, func(r *model.Request) ([]*model.OutboxMessage, error) {
		to := []int64{}
		if r.AssigneeID != nil {
			to = append(to, *r.AssigneeID)
		} else {
			staff, err := m.repo.Notifiable(ctx, r.HandlingOrgID, "")
			if err != nil {
				return nil, err
			}
			to = staff
		}
		return staffReminder(r, model.EventStaffDueTomorrow, to, now), nil
	})
}

// DueBefore is the earliest due time the overdue job looks at.
var dueBefore = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// Overdue reminds of open items past due (parked items past their review
// date included): the assignee and the handling org's admins.
func (m *Reminders) Overdue(ctx context.Context, now time.Time) (int, error) {
	return m.each(ctx, dueBefore, now, func(r *model.Request) ([]*model.OutboxMessage, error) {
		admins, err := m.repo.Notifiable(ctx, r.HandlingOrgID, model.RoleAdmin)
		if err != nil {
			return nil, err
		}
		to := admins
		if r.AssigneeID != nil {
			to = append([]int64{*r.AssigneeID}, admins...)
		}
		return staffReminder(r, model.EventStaffOverdue, dedupIDs(to), now), nil
	})
}

func dedupIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
