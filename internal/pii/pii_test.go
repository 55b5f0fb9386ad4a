package pii

import (
	"bytes"
	"testing"
)

func TestSealOpenRotation(t *testing.T) {
	old, cur := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	before, err := New([][]byte{old})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := before.Seal("13812345678", "phone")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("13812345678")) {
		t.Fatal("plaintext in sealed value")
	}
	again, _ := before.Seal("13812345678", "phone")
	if bytes.Equal(sealed, again) {
		t.Fatal("sealing is deterministic (nonce reused)")
	}
	after, err := New([][]byte{cur, old})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := after.Open(sealed, "phone"); err != nil || got != "13812345678" {
		t.Fatalf("rotated sealer cannot open an old value: %q %v", got, err)
	}
	if _, err := after.Open(sealed, "address"); err != ErrUnreadable {
		t.Fatalf("opened under another purpose: %v", err)
	}
	fresh, _ := after.Seal("13900001111", "phone")
	if _, err := before.Open(fresh, "phone"); err != ErrUnreadable {
		t.Fatal("a value sealed with the new key opened with the old key only")
	}
	if _, err := after.Open([]byte{1, 2, 3}, "phone"); err != ErrUnreadable {
		t.Fatal("garbage opened")
	}
	h := before.Hash("13812345678", "phone")
	if hs := after.Hashes("13812345678", "phone"); len(hs) != 2 || hs[1] != h || hs[0] == h {
		t.Fatalf("hashes across rotation: %v vs %s", hs, h)
	}
	if _, err := New([][]byte{{1, 2}}); err == nil {
		t.Fatal("short key accepted")
	}
}
