package model

import (
	"fmt"
	"time"
)

// InvitationStatus is where an invitation (约请) of a department stands.
type InvitationStatus string

// Invitation statuses: pending → accepted → replied; pending → replied;
// pending → declined; an open one (pending or accepted) is withdrawn when its
// item is closed or rejected before the department answered.
const (
	InvitationPending   InvitationStatus = "pending"
	InvitationAccepted  InvitationStatus = "accepted"
	InvitationDeclined  InvitationStatus = "declined"
	InvitationReplied   InvitationStatus = "replied"
	InvitationWithdrawn InvitationStatus = "withdrawn"
)

// Valid reports whether s is a known status.
func (s InvitationStatus) Valid() bool {
	switch s {
	case InvitationPending, InvitationAccepted, InvitationDeclined, InvitationReplied, InvitationWithdrawn:
		return true
	}
	return false
}

// Open reports whether the department still owes an answer.
func (s InvitationStatus) Open() bool { return s == InvitationPending || s == InvitationAccepted }

// Label is the status as staff read it.
func (s InvitationStatus) Label() string {
	switch s {
	case InvitationPending:
		return "待接收"
	case InvitationAccepted:
		return "已接收"
	case InvitationDeclined:
		return "已退回"
	case InvitationReplied:
		return "已回复"
	case InvitationWithdrawn:
		return "已撤回"
	}
	return string(s)
}

// Timeline actions of the department's answers; they keep the request's state.
const (
	ActInviteAccept  RequestAction = "invite_accept"
	ActInviteDecline RequestAction = "invite_decline"
	ActInviteReply   RequestAction = "invite_reply"
	ActInviteRecall  RequestAction = "invite_withdraw"
)

// InvitationsWithdrawn is the internal timeline event of n open invitations
// withdrawn because the item was closed or rejected.
func (r *Request) InvitationsWithdrawn(by Actor, n int64, now time.Time) *RequestEvent {
	return r.event(by, ActInviteRecall, r.Status, r.Status,
		fmt.Sprintf("诉求已%s，%d 个未答复的约请自动撤回", r.Status.Label(), n), Internal, "", now)
}

// Withdraw closes an open invitation (pending or accepted) because its item
// was closed or rejected before the department answered.
func (v *Invitation) Withdraw(now time.Time) error {
	if !v.Status.Open() {
		return Transition("撤回约请", v.Status.Label())
	}
	v.Status, v.UpdatedAt = InvitationWithdrawn, now
	return nil
}

// MaxInvitationDays bounds how far ahead an invitation's due date may be.
const MaxInvitationDays = 366

// Invitation is a town's request that a functional department co-handle an
// item (约请). SessionID names a Tuesday session the department will attend
// (sessions live on another table; the id is kept without a foreign key).
type Invitation struct {
	ID            int64 `gorm:"primaryKey"`
	RequestID     int64
	DepartmentID  int64
	InviterID     int64
	InviterOrgID  int64
	Message       string
	DueDate       string
	Status        InvitationStatus
	ReplyText     string `gorm:"column:reply"`
	DeclineReason string
	SessionID     *int64
	AnsweredBy    *int64
	AnsweredAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time

	// Read-only, filled by a join.
	DepartmentName string `gorm:"->"`
	RequestNumber  string `gorm:"->"`
}

// NewInvitation validates an invitation of a department on request r; the
// request's Invite method checks its state and writes the timeline event.
func NewInvitation(r *Request, dept *Org, by Actor, inviterOrgID int64, message, dueDate string, now time.Time) (*Invitation, error) {
	message, err := text(message, "约请事由", true)
	if err != nil {
		return nil, err
	}
	if dept == nil || dept.Kind != OrgDepartment {
		return nil, Invalid("只能约请职能部门")
	}
	if !dept.Active {
		return nil, E(CodeConflict, "该部门已停用")
	}
	d, err := ParseDate(dueDate)
	if err != nil {
		return nil, err
	}
	today := DayOf(now)
	if d.Before(today) || d.After(today.AddDate(0, 0, MaxInvitationDays)) {
		return nil, Invalid("约请期限须在今天至一年内")
	}
	return &Invitation{RequestID: r.ID, DepartmentID: dept.ID, InviterID: by.ID, InviterOrgID: inviterOrgID,
		Message: message, DueDate: dueDate, Status: InvitationPending, CreatedAt: now, UpdatedAt: now}, nil
}

// Overdue reports whether an open invitation is past its due date at now.
func (v *Invitation) Overdue(now time.Time) bool {
	if !v.Status.Open() {
		return false
	}
	d, err := ParseDate(v.DueDate)
	return err == nil && now.After(EndOfDay(d))
}

// answer moves the invitation and builds the internal timeline event on its
// request (whose current status is reqStatus, kept).
func (v *Invitation) answer(by Actor, act RequestAction, label string, to InvitationStatus, note string,
	reqStatus RequestStatus, now time.Time, allowed ...InvitationStatus) (*RequestEvent, error) {
	ok := false
	for _, s := range allowed {
		ok = ok || v.Status == s
	}
	if !ok {
		return nil, Transition(label, v.Status.Label())
	}
	v.Status, v.UpdatedAt = to, now
	id := by.ID
	v.AnsweredBy, v.AnsweredAt = &id, &now
	e := &RequestEvent{RequestID: v.RequestID, Action: act, FromStatus: reqStatus, ToStatus: reqStatus, Note: note,
		Visibility: Internal, ActorKind: by.Kind, ActorName: by.Name, At: now,
		Detail: fmt.Sprintf("invitation_id=%d department_id=%d", v.ID, v.DepartmentID)}
	if by.ID != 0 {
		e.ActorID = &id
	}
	return e, nil
}

// Accept is the department taking the invitation on: pending → accepted.
func (v *Invitation) Accept(by Actor, reqStatus RequestStatus, now time.Time) (*RequestEvent, error) {
	return v.answer(by, ActInviteAccept, "接收约请", InvitationAccepted, "", reqStatus, now, InvitationPending)
}

// Decline sends the invitation back with a reason: pending → declined.
func (v *Invitation) Decline(by Actor, reason string, reqStatus RequestStatus, now time.Time) (*RequestEvent, error) {
	reason, err := text(reason, "退回理由", true)
	if err != nil {
		return nil, err
	}
	e, err := v.answer(by, ActInviteDecline, "退回约请", InvitationDeclined, reason, reqStatus, now, InvitationPending)
	if err == nil {
		v.DeclineReason = reason
	}
	return e, err
}

// Reply answers the invitation, optionally naming a Tuesday session the
// department will attend: pending or accepted → replied.
func (v *Invitation) Reply(by Actor, message string, sessionID *int64, reqStatus RequestStatus, now time.Time) (*RequestEvent, error) {
	message, err := text(message, "回复内容", true)
	if err != nil {
		return nil, err
	}
	if sessionID != nil && *sessionID <= 0 {
		return nil, Invalid("session_id 须为正整数")
	}
	e, err := v.answer(by, ActInviteReply, "回复约请", InvitationReplied, message, reqStatus, now,
		InvitationPending, InvitationAccepted)
	if err == nil {
		v.ReplyText, v.SessionID = message, sessionID
		if sessionID != nil {
			e.Detail += fmt.Sprintf(" session_id=%d", *sessionID)
		}
	}
	return e, err
}

// InvitationFilter narrows an invitation list. Exactly one side applies:
// incoming (departments in DeptPath's subtree) or outgoing (requests in
// RequestPath's subtree).
type InvitationFilter struct {
	DeptPath    string
	RequestPath string
	RequestID   int64
	Status      InvitationStatus
	OpenOnly    bool
	Cursor      string
	Size        int
}

// InvitationCount is the open invitations of one department.
type InvitationCount struct {
	DepartmentID   int64
	DepartmentName string
	Pending        int64
	Accepted       int64
	Open           int64
	Overdue        int64
}
