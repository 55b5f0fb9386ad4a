package api_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"zhilian/internal/blob"
	"zhilian/internal/testutil"
)

// TestImageLinkExpiresWithTime: a link signed at T with the server's real TTL
// (blob.LinkTTL) still loads at T+TTL and is refused with 403 one second
// later, the server's injected clock having moved on — the expiry written in
// the link is the one the server signed, not a parameter changed by hand. A
// link signed between whole minutes lasts until the minute it was rounded up
// to, and no second longer.
func TestImageLinkExpiresWithTime(t *testing.T) {
	t.Parallel()
	start := time.Now().Truncate(time.Minute) // T on a whole minute: the link expires at exactly T+TTL
	clock := testutil.NewClock(start)
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	_, owner := e.Resident(testutil.UniqueCode("exp"))

	var up struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	uploadFile(e, owner, "a.jpg", jpegImage(t, 16, 12, false)).Must(t, 201).Decode(t, &up)
	u, err := url.Parse(up.URL)
	if err != nil {
		t.Fatal(err)
	}
	if exp, _ := strconv.ParseInt(u.Query().Get("exp"), 10, 64); exp != start.Add(blob.LinkTTL).Unix() {
		t.Fatalf("a link signed at %s expires at %d, want T+%s = %d", start, exp, blob.LinkTTL, start.Add(blob.LinkTTL).Unix())
	}
	if status, _, _ := fetch(t, e, up.URL); status != 200 {
		t.Fatalf("a fresh link: %d", status)
	}
	clock.Set(start.Add(blob.LinkTTL))
	if status, _, _ := fetch(t, e, up.URL); status != 200 {
		t.Fatalf("the link at T+TTL (its last second): %d, want 200", status)
	}
	clock.Set(start.Add(blob.LinkTTL + time.Second))
	if status, _, _ := fetch(t, e, up.URL); status != 403 {
		t.Fatalf("the link at T+TTL+1s: %d, want 403", status)
	}
	e.Do("GET", up.URL, "", nil).MustErr(t, 403, "forbidden")

	// Signed 30 s past a minute: rounded up to the next whole minute, then refused.
	clock.Set(start.Add(time.Hour + 30*time.Second))
	var again struct {
		URL string `json:"url"`
	}
	uploadFile(e, owner, "b.jpg", jpegImage(t, 8, 8, false)).Must(t, 201).Decode(t, &again)
	u, _ = url.Parse(again.URL)
	exp, _ := strconv.ParseInt(u.Query().Get("exp"), 10, 64)
	if want := start.Add(time.Hour + time.Minute + blob.LinkTTL).Unix(); exp != want {
		t.Fatalf("a link signed at T+1h30s expires at %d, want %d", exp, want)
	}
	clock.Set(time.Unix(exp, 0))
	if status, _, _ := fetch(t, e, again.URL); status != 200 {
		t.Fatalf("the rounded link at its expiry: %d, want 200", status)
	}
	clock.Set(time.Unix(exp, 0).Add(time.Second))
	if status, _, _ := fetch(t, e, again.URL); status != 403 {
		t.Fatalf("the rounded link a second past its expiry: %d, want 403", status)
	}
}
