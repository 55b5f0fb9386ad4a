package blob

import (
	"errors"
	"testing"
	"time"
)

func TestLinksSurviveAKeyRotation(t *testing.T) {
	now := time.Date(2026, 9, 22, 9, 0, 30, 0, time.UTC)
	clock := func() time.Time { return now }
	oldKey, newKey := make([]byte, 32), make([]byte, 32)
	newKey[0] = 1
	before, _ := NewSigner([][]byte{oldKey}, clock)
	after, _ := NewSigner([][]byte{newKey, oldKey}, clock)
	stranger, _ := NewSigner([][]byte{newKey}, clock)

	exp, sig := before.Sign(42)
	if exp%60 != 0 || exp < now.Add(LinkTTL).Unix() || exp > now.Add(LinkTTL+time.Minute).Unix() {
		t.Fatalf("expiry %d: want the next minute after now+%s", exp, LinkTTL)
	}
	if err := after.Verify(42, exp, sig); err != nil {
		t.Fatalf("a link signed before the rotation: %v", err)
	}
	if err := stranger.Verify(42, exp, sig); !errors.Is(err, ErrBadLink) {
		t.Fatal("a server without the old key accepted its link")
	}
	if err := after.Verify(43, exp, sig); !errors.Is(err, ErrBadLink) {
		t.Fatal("a link widened to another image")
	}
	exp2, sig2 := after.Sign(42)
	if sig2 == sig && exp2 == exp {
		t.Fatal("the newest key does not sign")
	}
	now = time.Unix(exp, 0).Add(time.Second)
	if err := after.Verify(42, exp, sig); !errors.Is(err, ErrBadLink) {
		t.Fatal("an expired link was accepted")
	}
}
