package api_test

import (
	"testing"

	"zhilian/internal/testutil"
)

// TestControlAndBidiCharactersAreStripped: NUL, other C0 controls and the
// bidi overrides/isolates never reach storage (a right-to-left override would
// make "改造" read as something else in the cadre view); emoji, CJK, quotes,
// tabs and newlines stay as sent.
func TestControlAndBidiCharactersAreStripped(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, tok := e.Resident(testutil.UniqueCode("bidi"))
	sent := "路灯\x00坏了\u202e吗\u2066\u2069\u202a\u202c\x1b[31m\r\n第二行\t“引号” 'q' 👨‍👩‍👧 ✅\x7f\u0085"
	want := "路灯坏了吗[31m\n第二行\t“引号” 'q' 👨‍👩‍👧 ✅"
	body := c.submitBody(sent)
	body["address"] = "升平路\u202e21号\x00"
	id := submit(t, e, tok, body)
	var got struct {
		Content string `json:"content"`
		Address string `json:"address"`
	}
	e.Do("GET", path("/api/v1/my/requests/%d", id), tok, nil).Must(t, 200).Decode(t, &got)
	if got.Content != want || got.Address != "升平路21号" {
		t.Fatalf("stored %q / %q, want %q / %q", got.Content, got.Address, want, "升平路21号")
	}
	name := "王\u202e五\x00"
	e.Do("PATCH", "/api/v1/my/profile", tok, map[string]any{"name": name}).Must(t, 200)
	var prof struct {
		Name string `json:"name"`
	}
	e.Do("GET", "/api/v1/my/profile", tok, nil).Must(t, 200).Decode(t, &prof)
	if prof.Name != "王五" {
		t.Fatalf("profile name %q", prof.Name)
	}
}
