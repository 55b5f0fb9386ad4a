package model

import (
	"maps"
	"time"
	"unicode/utf8"
)

// OutboxState is where a queued notification stands.
type OutboxState string

// Outbox states. Pending rows are due for a (re)try at NextAttemptAt; the
// others are final.
const (
	OutboxPending OutboxState = "pending"
	OutboxSent    OutboxState = "sent"
	OutboxRefused OutboxState = "refused" // the user has not granted the subscription (43101): not retried
	OutboxSkipped OutboxState = "skipped" // no template configured, or the recipient has no WeChat binding
	OutboxDead    OutboxState = "dead"    // gave up: a permanent error, or too many transient ones
)

// Notification events.
const (
	EventRequestAccepted    = "request_accepted"
	EventRequestClosed      = "request_closed"
	EventRedoAccepted       = "redo_accepted"
	EventBookingConfirmed   = "booking_confirmed"
	EventSessionReminder    = "session_reminder"
	EventSessionCancelled   = "session_cancelled"
	EventStaffNewItem       = "staff_new_item"
	EventStaffAssigned      = "staff_assigned"
	EventStaffDueTomorrow   = "staff_due_tomorrow"
	EventStaffOverdue       = "staff_overdue"
	EventInvitationNew      = "invitation_new"
	EventInvitationAnswered = "invitation_answered"
	EventRequestMerged      = "request_merged"
)

// OutboxMessage is a notification written in the same transaction as the
// change that causes it, and delivered later by the outbox worker.
type OutboxMessage struct {
	ID            int64 `gorm:"primaryKey"`
	DedupKey      string
	Event         string
	RecipientKind SubjectKind
	RecipientID   int64
	Page          string
	Data          map[string]string `gorm:"serializer:json"` // template keyword → value; stored as a JSON object
	State         OutboxState
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SentAt        *time.Time
}

// TableName is the outbox table.
func (OutboxMessage) TableName() string { return "outbox" }

// Notify builds an outbox message. dedupKey identifies the event: the same key
// is queued once however often the cause is replayed. Values are clipped to
// WeChat's keyword limits (thing ≤ 20 characters, phrase ≤ 5, others ≤ 32).
func Notify(event string, to SubjectKind, toID int64, dedupKey, page string, fields map[string]string, now time.Time) *OutboxMessage {
	clipped := make(map[string]string, len(fields))
	for k, v := range fields {
		clipped[k] = clip(k, v)
	}
	return &OutboxMessage{DedupKey: dedupKey, Event: event, RecipientKind: to, RecipientID: toID, Page: page,
		Data: clipped, State: OutboxPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
}

func clip(key, v string) string {
	limit := 32
	switch {
	case len(key) >= 5 && key[:5] == "thing":
		limit = 20
	case len(key) >= 6 && key[:6] == "phrase":
		limit = 5
	}
	if utf8.RuneCountInString(v) <= limit {
		return v
	}
	r := []rune(v)
	return string(r[:limit-1]) + "…"
}

// Fields is a copy of Data (never nil).
func (m *OutboxMessage) Fields() map[string]string {
	out := make(map[string]string, len(m.Data))
	maps.Copy(out, m.Data)
	return out
}

// MarkSent records a delivery.
func (m *OutboxMessage) MarkSent(now time.Time) {
	m.State, m.SentAt, m.UpdatedAt, m.LastError = OutboxSent, &now, now, ""
	m.Attempts++
}

// MarkFinal records a final outcome other than sent (refused, skipped, dead).
func (m *OutboxMessage) MarkFinal(state OutboxState, reason string, now time.Time) {
	m.State, m.LastError, m.UpdatedAt = state, reason, now
	if state != OutboxSkipped {
		m.Attempts++
	}
}

// MaxAttempts bounds transient retries before a message is dead.
const MaxAttempts = 8

// MarkRetry schedules another try with exponential backoff (30 s doubling, at
// most an hour), or gives up after MaxAttempts.
func (m *OutboxMessage) MarkRetry(reason string, now time.Time) {
	m.Attempts++
	m.LastError, m.UpdatedAt = reason, now
	if m.Attempts >= MaxAttempts {
		m.State = OutboxDead
		return
	}
	backoff := 30 * time.Second << (m.Attempts - 1)
	if backoff > time.Hour {
		backoff = time.Hour
	}
	m.NextAttemptAt = now.Add(backoff)
}

// Retry puts a dead message back in the queue (an admin's decision).
func (m *OutboxMessage) Retry(now time.Time) error {
	if m.State != OutboxDead {
		return Transition("重试", string(m.State))
	}
	m.State, m.Attempts, m.NextAttemptAt, m.UpdatedAt = OutboxPending, 0, now, now
	return nil
}

// AllEvents lists every notification event.
func AllEvents() []string {
	return []string{EventRequestAccepted, EventRequestClosed, EventRedoAccepted, EventBookingConfirmed,
		EventSessionReminder, EventSessionCancelled, EventStaffNewItem, EventStaffAssigned,
		EventStaffDueTomorrow, EventStaffOverdue, EventInvitationNew, EventInvitationAnswered, EventRequestMerged}
}
