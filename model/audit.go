package model

import "time"

// AuditLog is one admin action: who did what to which target, when and from where.
type AuditLog struct {
	ID           int64 `gorm:"primaryKey"`
	ActorID      int64
	ActorName    string
	ActorOrgPath string
	Action       string
	TargetType   string
	TargetID     int64
	Detail       string
	IP           string
	RequestID    string
	CreatedAt    time.Time
}

// Actor is who performs a change, for timelines and audit logs.
type Actor struct {
	ID        int64
	Name      string
	OrgPath   string
	Kind      SubjectKind
	IP        string
	RequestID string
}

// Audit builds an audit row for this actor.
func (a Actor) Audit(action, targetType string, targetID int64, detail string, now time.Time) *AuditLog {
	return &AuditLog{ActorID: a.ID, ActorName: a.Name, ActorOrgPath: a.OrgPath, Action: action, TargetType: targetType,
		TargetID: targetID, Detail: detail, IP: a.IP, RequestID: a.RequestID, CreatedAt: now}
}

// AuditFilter narrows the audit list. ScopePath limits rows to actors in a subtree.
type AuditFilter struct {
	ScopePath  string
	ActorID    int64
	Action     string
	TargetType string
	TargetID   int64
	From, To   time.Time
	Cursor     string
	Size       int
}
