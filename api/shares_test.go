package api_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"zhilian/internal/testutil"
	"zhilian/internal/wechat"
)

type shareOut struct {
	RequestID int64  `json:"request_id"`
	Token     string `json:"token"`
	Path      string `json:"path"`
}

func sharedPath(token string) string { return "/api/v1/public/requests/" + token }

// TestShareRequest: the owner makes one link (201, then the same link 200);
// anybody opens it without signing in and sees exactly the public fields,
// masked, with the status steps; nobody else can share the item.
func TestShareRequest(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newSimilarWorld(t, e)
	e.Do("PUT", "/api/v1/my/profile", w.tokA, map[string]any{"name": "张建国", "phone": "13812345678",
		"community_id": w.comm, "residency": "hukou"}).Must(t, 200)
	photo := uploadFile(e, w.tokA, "a.jpg", jpegImage(t, 16, 12, false)).Must(t, 201).ID(t)
	body := w.submitBody("升平路12号门口的路灯坏了一个星期，晚上黑漆漆的。我叫张建国，电话13812345678")
	body["image_ids"] = []int64{photo}
	body["lat"], body["lng"] = 23.03, 113.12
	id := submit(t, e, w.tokA, body)

	var mine struct {
		CanShare *bool `json:"can_share"`
	}
	e.Do("GET", path("/api/v1/my/requests/%d", id), w.tokA, nil).Must(t, 200).Decode(t, &mine)
	if mine.CanShare == nil || !*mine.CanShare {
		t.Fatalf("can_share = %v, want true", mine.CanShare)
	}
	var first, again shareOut
	e.Do("POST", path("/api/v1/my/requests/%d/share", id), w.tokA, nil).Must(t, 201).Decode(t, &first)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`).MatchString(first.Token) || first.RequestID != id ||
		first.Path != "pages/shared/shared?token="+first.Token {
		t.Fatalf("share = %+v", first)
	}
	e.Do("POST", path("/api/v1/my/requests/%d/share", id), w.tokA, nil).Must(t, 200).Decode(t, &again)
	if again.Token != first.Token {
		t.Fatalf("a second share made another token: %q then %q", first.Token, again.Token)
	}
	second := submit(t, e, w.tokA, w.submitBody("楼上装修天天打电钻，周末也不停"))
	var other shareOut
	e.Do("POST", path("/api/v1/my/requests/%d/share", second), w.tokA, nil).Must(t, 201).Decode(t, &other)
	if other.Token == first.Token {
		t.Fatal("two requests share one token")
	}

	// Nobody else shares it: another resident 404, staff 403, no token 401.
	e.Do("POST", path("/api/v1/my/requests/%d/share", id), w.tokB, nil).MustErr(t, 404, "not_found")
	e.Do("POST", path("/api/v1/my/requests/%d/share", id), w.cadre, nil).MustErr(t, 403, "forbidden")
	e.Do("POST", path("/api/v1/my/requests/%d/share", id), "", nil).MustErr(t, 401, "unauthorized")
	e.Do("POST", "/api/v1/my/requests/999999999/share", w.tokA, nil).MustErr(t, 404, "not_found")
	e.Do("POST", "/api/v1/my/requests/abc/share", w.tokA, nil).MustErr(t, 400, "invalid_argument")

	// The cadre accepts and resolves it; the public view follows.
	e.Do("POST", path("/api/v1/work/requests/%d/accept", id), w.cadre, map[string]any{"note": "已派人查看，联系张建国"}).Must(t, 200)
	e.Do("POST", path("/api/v1/work/requests/%d/resolve", id), w.cadre,
		map[string]any{"result": "已更换路灯，张建国已确认，电话13812345678"}).Must(t, 200)

	r := e.Do("GET", sharedPath(first.Token), "", nil).Must(t, 200)
	var raw struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(r.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range raw.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := "age_days category_id category_name closed_at community_id community_name created_at excerpt followers number result status status_label steps"
	if got := strings.Join(keys, " "); got != want {
		t.Fatalf("public fields:\n got %s\nwant %s", got, want)
	}
	var pub struct {
		Number        string `json:"number"`
		Status        string `json:"status"`
		CategoryName  string `json:"category_name"`
		CommunityName string `json:"community_name"`
		Excerpt       string `json:"excerpt"`
		Result        string `json:"result"`
		Steps         []struct {
			Action   string `json:"action"`
			ToStatus string `json:"to_status"`
		} `json:"steps"`
	}
	r.Decode(t, &pub)
	if pub.Status != "resolved" || pub.CommunityName != "升平社区" || pub.CategoryName == "" || pub.Number == "" ||
		!strings.Contains(pub.Excerpt, "路灯") || !strings.Contains(pub.Result, "更换路灯") {
		t.Fatalf("public view = %+v", pub)
	}
	var steps []string
	for _, s := range pub.Steps {
		steps = append(steps, s.Action+">"+s.ToStatus)
	}
	if got := strings.Join(steps, " "); got != "submit>submitted accept>accepted resolve>resolved" {
		t.Fatalf("steps = %s", got)
	}
	for _, leak := range []string{"张建国", "13812345678", "138", "12 号", "升平路 12", "23.03", "113.12", "已派人",
		"/api/v1/images", fmt.Sprintf(`"id":%d`, id), "resident", "phone", "address", "photo", "image", "lat", "note"} {
		if strings.Contains(string(r.Raw), leak) {
			t.Errorf("the public view leaks %q: %s", leak, r.Raw)
		}
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", r.Header.Get("Cache-Control"))
	}
	// Signed in, anybody sees the same (the bearer is ignored).
	if got := e.Do("GET", sharedPath(first.Token), w.tokB, nil).Must(t, 200); string(got.Raw) != string(r.Raw) {
		t.Errorf("signed in: %s", got.Raw)
	}
}

// TestSharedRequestNotFound: tokens that are unknown, garbled, of another
// case or of the wrong length are 404 (never 5xx); the number or id of a
// request is not a token.
func TestSharedRequestNotFound(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newSimilarWorld(t, e)
	id := submit(t, e, w.tokA, w.submitBody("升平路的路灯坏了一个星期"))
	var sh shareOut
	e.Do("POST", path("/api/v1/my/requests/%d/share", id), w.tokA, nil).Must(t, 201).Decode(t, &sh)
	e.Do("GET", sharedPath(sh.Token), "", nil).Must(t, 200)

	flip := []byte(sh.Token)
	for i, ch := range flip {
		if ch >= 'a' && ch <= 'z' {
			flip[i] = ch - 'a' + 'A'
			break
		}
		if ch >= 'A' && ch <= 'Z' {
			flip[i] = ch - 'A' + 'a'
			break
		}
	}
	for what, tok := range map[string]string{
		"unknown":        "AAAAAAAAAAAAAAAAAAAAAA",
		"another case":   string(flip),
		"one char short": sh.Token[:21],
		"one char more":  sh.Token + "A",
		"the id":         fmt.Sprint(id),
		"garbled":        "%E4%BD%A0%27%20OR%201%3D1--",
		"long":           strings.Repeat("A", 300),
		"dots":           "..%2F..%2Fetc",
	} {
		if what == "another case" && tok == sh.Token {
			continue // a token without letters (never in practice)
		}
		r := e.Do("GET", sharedPath(tok), "", nil)
		if r.Status != 404 {
			t.Errorf("%s token %q: %d %s, want 404", what, tok, r.Status, r.Raw)
		}
	}
}

// TestSharedRequestWithdrawnOrErased: a withdrawn request is no longer shown
// (its link is 404, and it cannot be shared again); nor one waiting for
// moderation; nor any request of a resident who erased their account, whose
// links are deleted.
func TestSharedRequestWithdrawnOrErased(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newSimilarWorld(t, e)
	share := func(tok string, id int64) string {
		var sh shareOut
		e.Do("POST", path("/api/v1/my/requests/%d/share", id), tok, nil).Must(t, 201).Decode(t, &sh)
		e.Do("GET", sharedPath(sh.Token), "", nil).Must(t, 200)
		return sh.Token
	}

	gone := submit(t, e, w.tokA, w.submitBody("升平路的路灯坏了一个星期"))
	tok := share(w.tokA, gone)
	e.Do("POST", path("/api/v1/my/requests/%d/withdraw", gone), w.tokA, map[string]any{"reason": "已自行解决"}).Must(t, 200)
	e.Do("GET", sharedPath(tok), "", nil).MustErr(t, 404, "not_found")
	e.Do("POST", path("/api/v1/my/requests/%d/share", gone), w.tokA, nil).MustErr(t, 409, "invalid_transition")
	var mine struct {
		CanShare *bool `json:"can_share"`
	}
	e.Do("GET", path("/api/v1/my/requests/%d", gone), w.tokA, nil).Must(t, 200).Decode(t, &mine)
	if mine.CanShare == nil || *mine.CanShare {
		t.Fatalf("a withdrawn request: can_share = %v, want false", mine.CanShare)
	}

	flagged := submit(t, e, w.tokA, w.submitBody("升平路门口路灯不亮很久了 "+wechat.ReviewKeyword))
	e.Do("POST", path("/api/v1/my/requests/%d/share", flagged), w.tokA, nil).MustErr(t, 409, "invalid_transition")

	_, tokD := e.Resident(testutil.UniqueCode("sd"))
	a := submit(t, e, tokD, w.submitBody("新风路的下水道堵了"))
	b := submit(t, e, tokD, w.submitBody("新风路的路面坑洼不平"))
	ta, tb := share(tokD, a), share(tokD, b)
	e.Do("DELETE", "/api/v1/my/account", tokD, nil).Must(t, 200)
	for _, tk := range []string{ta, tb} {
		e.Do("GET", sharedPath(tk), "", nil).MustErr(t, 404, "not_found")
	}
	var left int64
	if err := e.App.DB.Table("request_shares").Where("request_id IN ?", []int64{a, b}).Count(&left).Error; err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("%d share links left after the account was erased", left)
	}
}

// TestSharedRequestRateLimited: one address opens at most 60 shared requests
// a minute; then 429 with a readable message, and other addresses still open it.
func TestSharedRequestRateLimited(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, behindProxy)
	w := newSimilarWorld(t, e)
	id := submit(t, e, w.tokA, w.submitBody("升平路的路灯坏了一个星期"))
	var sh shareOut
	e.Do("POST", path("/api/v1/my/requests/%d/share", id), w.tokA, nil).Must(t, 201).Decode(t, &sh)
	from := func(ip string) *testutil.Resp {
		return e.Call(testutil.Req{Method: "GET", Path: sharedPath(sh.Token), Headers: map[string]string{"X-Forwarded-For": ip}})
	}
	// A burst of 60, refilled one a second: a slow run may squeeze in a few more.
	served := 0
	for ; served < 120; served++ {
		r := from("203.0.113.7")
		if r.Status == 429 {
			if r.MustErr(t, 429, "rate_limited"); r.Msg == "" {
				t.Fatal("no readable message")
			}
			break
		}
		r.Must(t, 200)
	}
	if served < 60 || served >= 120 {
		t.Fatalf("%d served before 429, want 60 (a few more on a slow run)", served)
	}
	from("203.0.113.8").Must(t, 200)
}
