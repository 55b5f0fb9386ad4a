package model

import (
	"testing"
	"time"
)

var dept = &Org{ID: 11, Kind: OrgDepartment, Path: "/1/2/11/", Active: true}

func invitationIn(s InvitationStatus) *Invitation {
	return &Invitation{ID: 5, RequestID: 100, DepartmentID: dept.ID, InviterID: cadre.ID, Status: s, DueDate: "2026-12-01"}
}

// TestInvitationStateMachine runs every answer from every status.
func TestInvitationStateMachine(t *testing.T) {
	session := int64(3)
	answers := map[RequestAction]func(v *Invitation) (*RequestEvent, error){
		ActInviteAccept: func(v *Invitation) (*RequestEvent, error) { return v.Accept(cadre, StatusAccepted, t0) },
		ActInviteDecline: func(v *Invitation) (*RequestEvent, error) {
			return v.Decline(cadre, "不属于本部门职责", StatusAccepted, t0)
		},
		ActInviteReply: func(v *Invitation) (*RequestEvent, error) {
			return v.Reply(cadre, "周二到场", &session, StatusAccepted, t0)
		},
	}
	legal := map[RequestAction]map[InvitationStatus]InvitationStatus{
		ActInviteAccept:  {InvitationPending: InvitationAccepted},
		ActInviteDecline: {InvitationPending: InvitationDeclined},
		ActInviteReply:   {InvitationPending: InvitationReplied, InvitationAccepted: InvitationReplied},
	}
	for act, run := range answers {
		for _, from := range []InvitationStatus{InvitationPending, InvitationAccepted, InvitationDeclined, InvitationReplied} {
			v := invitationIn(from)
			e, err := run(v)
			to, ok := legal[act][from]
			if !ok {
				if !IsCode(err, CodeInvalidTransition) || e != nil || v.Status != from {
					t.Errorf("%s from %s: %v, status %s", act, from, err, v.Status)
				}
				continue
			}
			if err != nil || v.Status != to || v.AnsweredAt == nil || v.AnsweredBy == nil {
				t.Errorf("%s from %s: %v %+v", act, from, err, v)
				continue
			}
			if e.Action != act || e.Visibility != Internal || e.RequestID != 100 || e.FromStatus != StatusAccepted ||
				e.ToStatus != StatusAccepted || e.ActorID == nil {
				t.Errorf("%s: event %+v", act, e)
			}
		}
	}
	v := invitationIn(InvitationPending)
	if _, err := v.Decline(cadre, " ", StatusAccepted, t0); !IsCode(err, CodeInvalidArgument) || v.Status != InvitationPending {
		t.Fatalf("decline without reason: %v", err)
	}
	bad := int64(0)
	if _, err := v.Reply(cadre, "好", &bad, StatusAccepted, t0); !IsCode(err, CodeInvalidArgument) {
		t.Fatalf("reply with session 0: %v", err)
	}
	if _, err := v.Reply(cadre, "好", &session, StatusAccepted, t0); err != nil || v.ReplyText != "好" || *v.SessionID != session {
		t.Fatalf("reply: %v %+v", err, v)
	}
	if !InvitationAccepted.Open() || !InvitationPending.Open() || InvitationReplied.Open() || InvitationDeclined.Open() {
		t.Fatal("Open()")
	}
}

func TestNewInvitation(t *testing.T) {
	r := fixture(StatusAccepted)
	v, err := NewInvitation(r, dept, cadre, 3, "请协助", "2026-11-27", t0)
	if err != nil || v.Status != InvitationPending || v.RequestID != r.ID || v.DepartmentID != dept.ID {
		t.Fatalf("NewInvitation: %v %+v", err, v)
	}
	inactive := *dept
	inactive.Active = false
	cases := map[string]func() error{
		"not a department": func() error { _, err := NewInvitation(r, town, cadre, 3, "请协助", "2026-12-01", t0); return err },
		"no message":       func() error { _, err := NewInvitation(r, dept, cadre, 3, " ", "2026-12-01", t0); return err },
		"past due":         func() error { _, err := NewInvitation(r, dept, cadre, 3, "请协助", "2026-11-26", t0); return err },
		"too far":          func() error { _, err := NewInvitation(r, dept, cadre, 3, "请协助", "2028-01-01", t0); return err },
		"bad date":         func() error { _, err := NewInvitation(r, dept, cadre, 3, "请协助", "next week", t0); return err },
	}
	for name, run := range cases {
		if err := run(); !IsCode(err, CodeInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := NewInvitation(r, &inactive, cadre, 3, "请协助", "2026-12-01", t0); !IsCode(err, CodeConflict) {
		t.Errorf("inactive department: %v", err)
	}
	if !v.Overdue(t0.AddDate(0, 0, 1)) || v.Overdue(t0) {
		t.Fatal("invitation overdue after its due date")
	}
}

// TestRequestDue checks the due time of each state and the overdue and due-soon flags.
func TestRequestDue(t *testing.T) {
	acceptDue := t0.Add(24 * time.Hour)
	resolveDue := t0.Add(10 * 24 * time.Hour)
	review := "2026-12-15"
	for _, s := range RequestStatuses {
		r := fixture(s)
		r.AcceptDueAt, r.ResolveDueAt = acceptDue, resolveDue
		if s == StatusLongTerm {
			r.ReviewDate = &review
		}
		want := map[RequestStatus]time.Time{StatusSubmitted: acceptDue, StatusAccepted: resolveDue,
			StatusLongTerm: time.Date(2026, 12, 15, 23, 59, 59, 0, Shanghai)}[s]
		if want.IsZero() {
			want = FarFuture
		}
		if got := r.Due(); !got.Equal(want) {
			t.Errorf("%s: due %v, want %v", s, got, want)
		}
		after := want.Add(time.Second)
		if r.Overdue(after) != s.Open() || r.Overdue(want) {
			t.Errorf("%s: overdue flag", s)
		}
		if r.DueSoon(want.Add(-time.Hour), want) != s.Open() || r.DueSoon(want.Add(-48*time.Hour), want.Add(-time.Hour)) {
			t.Errorf("%s: due-soon flag", s)
		}
	}
	// A transition moves the due time to the new state's.
	r := fixture(StatusSubmitted)
	r.AcceptDueAt, r.ResolveDueAt = acceptDue, resolveDue
	if _, err := r.Accept(cadre, "", t0); err != nil || !r.Due().Equal(resolveDue) {
		t.Fatalf("after accept: %v %v", err, r.Due())
	}
}

// TestInvitationWithdraw: only an open invitation is withdrawn.
func TestInvitationWithdraw(t *testing.T) {
	for _, st := range []InvitationStatus{InvitationPending, InvitationAccepted, InvitationDeclined, InvitationReplied, InvitationWithdrawn} {
		v := &Invitation{Status: st}
		err := v.Withdraw(t0)
		if st.Open() {
			if err != nil || v.Status != InvitationWithdrawn || !v.UpdatedAt.Equal(t0) {
				t.Errorf("%s: %v, now %s", st, err, v.Status)
			}
			continue
		}
		if !IsCode(err, CodeInvalidTransition) || v.Status != st {
			t.Errorf("%s: withdrew (%v), now %s", st, err, v.Status)
		}
	}
}
