package model

import (
	"testing"
	"time"
)

// TestShareToken: tokens are 22 base64url characters of fresh randomness,
// and only that shape is a token.
func TestShareToken(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		tok, err := NewShareToken()
		if err != nil {
			t.Fatal(err)
		}
		if !ValidShareToken(tok) || seen[tok] {
			t.Fatalf("token %q: valid %v, seen before %v", tok, ValidShareToken(tok), seen[tok])
		}
		seen[tok] = true
	}
	for _, bad := range []string{"", "abc", "AAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAA+/", "AAAAAAAAAAAAAAAAAAAA=="} {
		if ValidShareToken(bad) {
			t.Errorf("%q taken for a token", bad)
		}
	}
}

// TestShown: every status may be shown but withdrawn; never an item waiting
// for moderation or anonymised.
func TestShown(t *testing.T) {
	for _, s := range RequestStatuses {
		r := &Request{Status: s}
		if err := r.Shown(); (err == nil) != (s != StatusWithdrawn) {
			t.Errorf("%s: Shown() = %v", s, err)
		}
	}
	if err := (&Request{Status: StatusAccepted, FlaggedForReview: true}).Shown(); !IsCode(err, CodeInvalidTransition) {
		t.Errorf("flagged: %v", err)
	}
	now := time.Now()
	if err := (&Request{Status: StatusResolved, AnonymizedAt: &now}).Shown(); !IsCode(err, CodeNotFound) {
		t.Errorf("anonymised: %v", err)
	}
}
