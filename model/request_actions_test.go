package model

import (
	"reflect"
	"testing"
	"time"
)

// The actions offered per state are those of DESIGN §2's state machine.
func TestStaffActionsFollowTheStateMachine(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, Shanghai)
	want := map[RequestStatus][]RequestAction{
		StatusSubmitted: {ActAccept, ActReject, ActProgress, ActTransfer, ActAssign},
		StatusAccepted:  {ActProgress, ActInvite, ActResolve, ActRespond, ActPark, ActTransfer, ActAssign},
		StatusLongTerm:  {ActProgress, ActInvite, ActResolve, ActRespond, ActResume, ActTransfer, ActAssign},
		StatusResolved:  {},
		StatusResponded: {},
		StatusRejected:  {},
		StatusWithdrawn: {},
		StatusMerged:    {},
	}
	for status, acts := range want {
		r := &Request{ID: 5, Status: status, HandlingOrgID: 3, Result: "r"}
		before := *r
		if got := r.StaffActions(now); !reflect.DeepEqual(got, acts) {
			t.Errorf("%s: actions %v, want %v", status, got, acts)
		}
		if !reflect.DeepEqual(*r, before) {
			t.Errorf("%s: StaffActions changed the request", status)
		}
	}
}
