package model

import (
	"reflect"
	"testing"
	"time"
)

func TestInvitationAnswersFollowItsStates(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, Shanghai)
	for status, want := range map[InvitationStatus][]string{
		InvitationPending:   {"accept", "decline", "reply"},
		InvitationAccepted:  {"reply"},
		InvitationDeclined:  {},
		InvitationReplied:   {},
		InvitationWithdrawn: {},
	} {
		v := &Invitation{ID: 3, Status: status}
		if got := v.Answers(now); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: answers %v, want %v", status, got, want)
		}
		if v.Status != status || v.AnsweredAt != nil {
			t.Errorf("%s: Answers changed the invitation", status)
		}
	}
}
