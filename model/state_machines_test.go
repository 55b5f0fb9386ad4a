package model

import (
	"testing"
	"time"
)

// transitionTable runs every action on every state: allowed pairs must
// succeed and reach their state, every other pair must be refused with
// invalid_transition and leave the state as it was.
func transitionTable[S comparable, T any](t *testing.T, states []S, actions map[string]func(*T) error,
	build func(S) *T, state func(*T) S, allowed map[S]map[string]S) {
	t.Helper()
	for _, s := range states {
		for name, act := range actions {
			x := build(s)
			err := act(x)
			to, ok := allowed[s][name]
			switch {
			case ok && err != nil:
				t.Errorf("%v × %s: refused: %v", s, name, err)
			case ok && state(x) != to:
				t.Errorf("%v × %s: reached %v, want %v", s, name, state(x), to)
			case !ok && !IsCode(err, CodeInvalidTransition):
				t.Errorf("%v × %s: got %v, want invalid_transition", s, name, err)
			case !ok && state(x) != s:
				t.Errorf("%v × %s: refused but moved to %v", s, name, state(x))
			}
		}
	}
}

// TestBookingStateMachine: booked → checked_in | cancelled | no_show; a
// no-show who turns up late is checked in.
func TestBookingStateMachine(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, Shanghai)
	transitionTable(t,
		[]BookingStatus{BookingBooked, BookingCheckedIn, BookingCancelled, BookingNoShow},
		map[string]func(*Booking) error{
			"cancel":  func(b *Booking) error { return b.Cancel("有事", false, now) },
			"checkin": func(b *Booking) error { return b.CheckIn(7, now) },
			"noshow":  func(b *Booking) error { return b.MarkNoShow(now) },
		},
		func(s BookingStatus) *Booking { return &Booking{ID: 1, Status: s, ClosesAt: now.Add(time.Hour)} },
		func(b *Booking) BookingStatus { return b.Status },
		map[BookingStatus]map[string]BookingStatus{
			BookingBooked: {"cancel": BookingCancelled, "checkin": BookingCheckedIn, "noshow": BookingNoShow},
			BookingNoShow: {"checkin": BookingCheckedIn},
		})
}

// TestInvitationEveryStateAndAction: pending → accepted → replied; pending →
// replied | declined; open ones are withdrawn.
func TestInvitationEveryStateAndAction(t *testing.T) {
	by := Actor{ID: 9, Kind: SubjectStaff}
	transitionTable(t,
		[]InvitationStatus{InvitationPending, InvitationAccepted, InvitationDeclined, InvitationReplied, InvitationWithdrawn},
		map[string]func(*Invitation) error{
			"accept":   func(v *Invitation) error { _, err := v.Accept(by, StatusAccepted, t0); return err },
			"decline":  func(v *Invitation) error { _, err := v.Decline(by, "不属本部门", StatusAccepted, t0); return err },
			"reply":    func(v *Invitation) error { _, err := v.Reply(by, "已处理", nil, StatusAccepted, t0); return err },
			"withdraw": func(v *Invitation) error { return v.Withdraw(t0) },
		},
		func(s InvitationStatus) *Invitation {
			return &Invitation{ID: 1, RequestID: 100, Status: s, DueDate: FormatDate(t0.AddDate(0, 0, 3))}
		},
		func(v *Invitation) InvitationStatus { return v.Status },
		map[InvitationStatus]map[string]InvitationStatus{
			InvitationPending:  {"accept": InvitationAccepted, "decline": InvitationDeclined, "reply": InvitationReplied, "withdraw": InvitationWithdrawn},
			InvitationAccepted: {"reply": InvitationReplied, "withdraw": InvitationWithdrawn},
		})
}

// TestOrgStateMachine: a node is deactivated and activated again.
func TestOrgStateMachine(t *testing.T) {
	parent := int64(1)
	transitionTable(t, []bool{true, false},
		map[string]func(*Org) error{
			"deactivate": func(o *Org) error { return o.Deactivate(t0) },
			"activate":   func(o *Org) error { return o.Activate(t0) },
		},
		func(active bool) *Org { return &Org{ID: 2, ParentID: &parent, Active: active} },
		func(o *Org) bool { return o.Active },
		map[bool]map[string]bool{true: {"deactivate": false}, false: {"activate": true}})
}

// TestSessionCancelStateMachine: only an open session is called off.
func TestSessionCancelStateMachine(t *testing.T) {
	transitionTable(t, []SessionStatus{SessionOpen, SessionClosed, SessionCancelled},
		map[string]func(*LiaisonSession) error{
			"cancel": func(s *LiaisonSession) error { return s.Cancel("天气", 7, t0) },
		},
		func(s SessionStatus) *LiaisonSession {
			return &LiaisonSession{ID: 1, Status: s, StartsAt: t0.Add(24 * time.Hour), EndsAt: t0.Add(26 * time.Hour)}
		},
		func(s *LiaisonSession) SessionStatus { return s.Status },
		map[SessionStatus]map[string]SessionStatus{SessionOpen: {"cancel": SessionCancelled}})
}

// TestResidentActionsOnEveryState: withdraw before acceptance; rate and
// redo only a closed item (rate once per closure).
func TestResidentActionsOnEveryState(t *testing.T) {
	transitionTable(t, RequestStatuses,
		map[string]func(*Request) error{
			"withdraw": func(r *Request) error { _, err := r.Withdraw(owner, "不需要了", t0); return err },
			"rate":     func(r *Request) error { _, err := r.Rate(owner, 5, "", t0); return err },
			"redo":     func(r *Request) error { _, err := r.Redo(owner, "没解决", t0.AddDate(0, 0, 10), t0); return err },
		},
		fixture,
		func(r *Request) RequestStatus { return r.Status },
		map[RequestStatus]map[string]RequestStatus{
			StatusSubmitted: {"withdraw": StatusWithdrawn},
			StatusResolved:  {"rate": StatusResolved, "redo": StatusAccepted},
			StatusResponded: {"rate": StatusResponded, "redo": StatusAccepted},
		})
}
