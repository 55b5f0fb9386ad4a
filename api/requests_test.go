package api_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/internal/wechat"
	"zhilian/model"
)

type reqView struct {
	ID               int64    `json:"id"`
	Number           string   `json:"number"`
	Status           string   `json:"status"`
	HandlingOrgID    int64    `json:"handling_org_id"`
	Residency        *string  `json:"residency"`
	ImageIDs         []int64  `json:"image_ids"`
	AcceptDueAt      string   `json:"accept_due_at"`
	ResolveDueAt     string   `json:"resolve_due_at"`
	CreatedAt        string   `json:"created_at"`
	Rating           *int     `json:"rating"`
	RedoCount        int      `json:"redo_count"`
	CanRate          bool     `json:"can_rate"`
	FlaggedForReview bool     `json:"flagged_for_review"`
	Lat              *float64 `json:"lat"`
	Timeline         []struct {
		Action     string `json:"action"`
		FromStatus string `json:"from_status"`
		ToStatus   string `json:"to_status"`
		Note       string `json:"note"`
		At         string `json:"at"`
	} `json:"timeline"`
}

func view(t *testing.T, r *testutil.Resp) reqView {
	t.Helper()
	var v reqView
	r.Decode(t, &v)
	return v
}

var numberRe = regexp.MustCompile(`^ZL\d{8}-\d{6}$`)

func TestRequestSubmitWithImagesAndTimeline(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, tok := e.Resident(testutil.UniqueCode("sub"))
	e.Do("PUT", "/api/v1/my/profile", tok, map[string]any{"residency": "non_hukou", "community_id": c.comm}).Must(t, 200)

	img1 := uploadFile(e, tok, "a.jpg", jpegImage(t, 30, 20, false)).Must(t, 201).ID(t)
	img2 := uploadFile(e, tok, "b.jpg", jpegImage(t, 20, 30, false)).Must(t, 201).ID(t)
	body := c.submitBody("路灯坏了两周，晚上很黑")
	body["image_ids"] = []int64{img2, img1}
	body["lat"], body["lng"] = 23.0215, 113.1214
	r := view(t, e.Do("POST", "/api/v1/my/requests", tok, body).Must(t, 201))
	if !numberRe.MatchString(r.Number) || r.Status != "submitted" || r.HandlingOrgID != c.town {
		t.Fatalf("created %+v", r)
	}
	if r.Residency == nil || *r.Residency != "non_hukou" || r.Lat == nil {
		t.Fatalf("residency or location not kept: %+v", r)
	}
	created, _ := time.Parse(time.RFC3339, r.CreatedAt)
	acceptDue, _ := time.Parse(time.RFC3339, r.AcceptDueAt)
	resolveDue, _ := time.Parse(time.RFC3339, r.ResolveDueAt)
	if !acceptDue.After(created) || !resolveDue.After(acceptDue) || !strings.HasSuffix(r.AcceptDueAt, "+08:00") {
		t.Fatalf("due times %s %s %s", r.CreatedAt, r.AcceptDueAt, r.ResolveDueAt)
	}

	// An image cannot be attached twice.
	again := c.submitBody("同一张图片再提交一次")
	again["image_ids"] = []int64{img1}
	e.Do("POST", "/api/v1/my/requests", tok, again).MustErr(t, 400, "invalid_argument")

	advance(t, e, r.ID, accept, internalNote)
	d := view(t, e.Do("GET", path("/api/v1/my/requests/%d", r.ID), tok, nil).Must(t, 200))
	if len(d.ImageIDs) != 2 || d.ImageIDs[0] != img2 || d.ImageIDs[1] != img1 {
		t.Fatalf("images %v", d.ImageIDs)
	}
	if len(d.Timeline) != 2 || d.Timeline[0].Action != "submit" || d.Timeline[1].Action != "accept" ||
		d.Timeline[1].FromStatus != "submitted" || d.Timeline[1].ToStatus != "accepted" {
		t.Fatalf("public timeline %+v", d.Timeline)
	}
	if strings.Contains(string(e.Do("GET", path("/api/v1/my/requests/%d", r.ID), tok, nil).Raw), "内部") {
		t.Fatal("internal note shown to the resident")
	}
}

func TestRequestIdempotency(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	rid, tok := e.Resident(testutil.UniqueCode("idem"))
	body := c.submitBody("小区门口垃圾没人清理")
	post := func(key string, b any) *testutil.Resp {
		return e.Call(testutil.Req{Method: "POST", Path: "/api/v1/my/requests", Token: tok, Body: b,
			Headers: map[string]string{"Idempotency-Key": key}})
	}
	first := post("k-1", body).Must(t, 201)
	second := post("k-1", body).Must(t, 201)
	if string(first.Raw) != string(second.Raw) || second.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay differs:\n%s\n%s", first.Raw, second.Raw)
	}
	other := c.submitBody("另一件事情：路面塌陷")
	post("k-1", other).MustErr(t, 422, "idempotency_mismatch")

	// Concurrent retries of a new key: exactly one row, every answer the same.
	var wg sync.WaitGroup
	answers := make([]*testutil.Resp, 6)
	for i := range answers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			answers[i] = post("k-2", other)
		}(i)
	}
	wg.Wait()
	for _, a := range answers {
		if a.Status != 201 || string(a.Raw) != string(answers[0].Raw) {
			t.Fatalf("concurrent retry answered %d %s", a.Status, a.Raw)
		}
	}
	var n int64
	e.App.DB.Table("requests").Where("resident_id = ?", rid).Count(&n)
	if n != 2 {
		t.Fatalf("%d rows for 2 distinct keys", n)
	}
	e.Call(testutil.Req{Method: "POST", Path: "/api/v1/my/requests", Token: tok, Body: body,
		Headers: map[string]string{"Idempotency-Key": strings.Repeat("x", 65)}}).MustErr(t, 400, "invalid_argument")
}

func TestRequestContentCheck(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	rid, tok := e.Resident(testutil.UniqueCode("chk"))
	e.Do("POST", "/api/v1/my/requests", tok, c.submitBody("这里有"+wechat.RiskyKeyword+"内容")).MustErr(t, 422, "content_risky")
	var n int64
	e.App.DB.Table("requests").Where("resident_id = ?", rid).Count(&n)
	if n != 0 {
		t.Fatal("risky request stored")
	}
	r := view(t, e.Do("POST", "/api/v1/my/requests", tok, c.submitBody("这里有"+wechat.ReviewKeyword+"内容")).Must(t, 201))
	if !r.FlaggedForReview || r.Status != "submitted" {
		t.Fatalf("review text not flagged: %+v", r)
	}
	// WeChat not answering: the request is kept, and flagged.
	down := view(t, e.Do("POST", "/api/v1/my/requests", tok, c.submitBody("这里有"+wechat.BusyKeyword+"内容")).Must(t, 201))
	var reason string
	e.App.DB.Table("requests").Select("flag_reason").Where("id = ?", down.ID).Row().Scan(&reason)
	if !down.FlaggedForReview || reason != model.FlagUnavailable || r.ID == down.ID {
		t.Fatalf("unchecked request not flagged: %+v %q", down, reason)
	}
	p := view(t, e.Do("POST", "/api/v1/my/requests", tok, c.submitBody("普通的诉求内容")).Must(t, 201))
	if p.FlaggedForReview {
		t.Fatal("clean text flagged")
	}
}

func TestRequestListPaginationAndScope(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, tok := e.Resident(testutil.UniqueCode("list"))
	_, other := e.Resident(testutil.UniqueCode("list"))
	var ids []int64
	for i := 0; i < 5; i++ {
		ids = append(ids, submit(t, e, tok, c.submitBody(path("第 %d 件诉求的内容", i))))
	}
	theirs := submit(t, e, other, c.submitBody("别人的诉求内容"))
	e.Do("POST", path("/api/v1/my/requests/%d/withdraw", ids[0]), tok, nil).Must(t, 200)

	var seen []int64
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		var page struct {
			Items      []reqView `json:"items"`
			NextCursor string    `json:"next_cursor"`
		}
		e.Do("GET", "/api/v1/my/requests?page_size=2&cursor="+cursor, tok, nil).Must(t, 200).Decode(t, &page)
		for _, it := range page.Items {
			seen = append(seen, it.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
		t.Fatalf("pages gave %v, want %v newest first", seen, ids)
	}
	var withdrawn struct {
		Items []reqView `json:"items"`
	}
	e.Do("GET", "/api/v1/my/requests?status=withdrawn", tok, nil).Must(t, 200).Decode(t, &withdrawn)
	if len(withdrawn.Items) != 1 || withdrawn.Items[0].ID != ids[0] {
		t.Fatalf("status filter: %+v", withdrawn.Items)
	}
	// Another resident's request does not exist for this one.
	e.Do("GET", path("/api/v1/my/requests/%d", theirs), tok, nil).MustErr(t, 404, "not_found")
	e.Do("POST", path("/api/v1/my/requests/%d/withdraw", theirs), tok, nil).MustErr(t, 404, "not_found")
	e.Do("POST", path("/api/v1/my/requests/%d/rating", theirs), tok, map[string]any{"score": 1}).MustErr(t, 404, "not_found")
	e.Do("GET", "/api/v1/my/requests/999999", tok, nil).MustErr(t, 404, "not_found")
	// Staff have no /my.
	e.Do("GET", "/api/v1/my/requests", c.admin, nil).MustErr(t, 403, "forbidden")
	e.Do("GET", "/api/v1/my/requests", "", nil).MustErr(t, 401, "unauthorized")
}

func TestRequestWithdraw(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, tok := e.Resident(testutil.UniqueCode("wd"))
	id := submit(t, e, tok, c.submitBody("想撤回的一件诉求"))
	r := view(t, e.Do("POST", path("/api/v1/my/requests/%d/withdraw", id), tok, map[string]string{"reason": "已自行解决"}).Must(t, 200))
	if r.Status != "withdrawn" || r.Timeline[len(r.Timeline)-1].Note != "已自行解决" {
		t.Fatalf("withdrawn %+v", r)
	}
	e.Do("POST", path("/api/v1/my/requests/%d/withdraw", id), tok, nil).MustErr(t, 409, "invalid_transition")

	accepted := submit(t, e, tok, c.submitBody("已受理的诉求不能撤回"))
	advance(t, e, accepted, accept)
	e.Do("POST", path("/api/v1/my/requests/%d/withdraw", accepted), tok, nil).MustErr(t, 409, "invalid_transition")
}

func TestRequestRatingAndRedo(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	c := newCity(t, e)
	code := testutil.UniqueCode("rate")
	_, tok := e.Resident(code)
	id := submit(t, e, tok, c.submitBody("道路破损需要修补"))
	rate := func(body map[string]any) *testutil.Resp {
		return e.Do("POST", path("/api/v1/my/requests/%d/rating", id), tok, body)
	}
	rate(map[string]any{"score": 5}).MustErr(t, 409, "invalid_transition") // not closed yet
	advance(t, e, id, accept)
	rate(map[string]any{"score": 5}).MustErr(t, 409, "invalid_transition")
	rate(map[string]any{"score": 6}).MustErr(t, 400, "invalid_argument")
	rate(map[string]any{"score": "五"}).MustErr(t, 400, "invalid_argument")

	for i := 1; i <= model.MaxRedos; i++ {
		clock.Advance(time.Hour)
		advance(t, e, id, resolve)
		clock.Advance(time.Hour)
		r := view(t, rate(map[string]any{"score": 2, "comment": "没修好", "redo": true}).Must(t, 200))
		if r.Status != "accepted" || r.RedoCount != i || r.Rating == nil || *r.Rating != 2 {
			t.Fatalf("redo %d: %+v", i, r)
		}
	}
	clock.Advance(time.Hour)
	advance(t, e, id, resolve)
	rate(map[string]any{"score": 1, "redo": true}).MustErr(t, 409, "invalid_transition") // a third redo
	r := view(t, rate(map[string]any{"score": 4, "comment": "终于修好了"}).Must(t, 200))
	if r.Status != "resolved" || r.CanRate || *r.Rating != 4 {
		t.Fatalf("final rating %+v", r)
	}
	rate(map[string]any{"score": 5}).MustErr(t, 409, "invalid_transition") // once per closure

	// The redo window: 7 days after closing.
	late := submit(t, e, tok, c.submitBody("另一处路面坑洼"))
	advance(t, e, late, accept, resolve)
	clock.Advance(model.RedoWindow + time.Minute)
	_, tok = e.Resident(code) // the old token expired with the week
	e.Do("POST", path("/api/v1/my/requests/%d/rating", late), tok, map[string]any{"score": 1, "redo": true}).MustErr(t, 409, "invalid_transition")
	lv := view(t, e.Do("GET", path("/api/v1/my/requests/%d", late), tok, nil).Must(t, 200))
	if lv.Rating != nil || lv.Status != "resolved" {
		t.Fatalf("a refused redo left a rating behind: %+v", lv)
	}
	e.Do("POST", path("/api/v1/my/requests/%d/rating", late), tok, map[string]any{"score": 3}).Must(t, 200)
}

func TestRequestRateLimit(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, tok := e.Resident(testutil.UniqueCode("rl"))
	for i := 0; i < 10; i++ {
		submit(t, e, tok, c.submitBody(path("第 %d 件诉求内容", i)))
	}
	r := e.Do("POST", "/api/v1/my/requests", tok, c.submitBody("第十一件诉求内容")).MustErr(t, 429, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}

func TestRequestBadInput(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, tok := e.Resident(testutil.UniqueCode("bad"))
	_, other := e.Resident(testutil.UniqueCode("bad"))
	theirImage := uploadFile(e, other, "x.jpg", jpegImage(t, 8, 8, false)).Must(t, 201).ID(t)
	with := func(k string, v any) map[string]any {
		b := c.submitBody("正常的诉求内容")
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	cases := []struct {
		name string
		body any
		want int
	}{
		{"short content", with("content", " 短 "), 400},
		{"long content", with("content", strings.Repeat("长", 2001)), 400},
		{"no category", with("category_id", nil), 400},
		{"unknown category", with("category_id", 999999), 400},
		{"community is a town", with("community_id", c.town), 400},
		{"unknown community", with("community_id", 999999), 400},
		{"lat without lng", with("lat", 23.0), 400},
		{"lat out of range", map[string]any{"category_id": c.categoryID, "content": "正常的诉求内容", "community_id": c.comm, "lat": 123.0, "lng": 10.0}, 400},
		{"ten images", with("image_ids", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 400},
		{"repeated image", with("image_ids", []int64{theirImage, theirImage}), 400},
		{"someone else's image", with("image_ids", []int64{theirImage}), 400},
		{"wrong type", with("category_id", "roads"), 400},
		{"not JSON", "{content:", 400},
		{"empty", "", 400},
		{"two objects", `{"content":"a"}{"content":"b"}`, 400},
	}
	for _, tc := range cases {
		r := e.Do("POST", "/api/v1/my/requests", tok, tc.body)
		if r.Status != tc.want || r.Msg == "" {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Raw)
		}
	}
	for _, q := range []string{"?status=closed", "?cursor=bm90LWpzb24", "?page_size=51", "?page_size=-1"} {
		if r := e.Do("GET", "/api/v1/my/requests"+q, tok, nil); r.Status != 400 {
			t.Errorf("list %s: %d %s", q, r.Status, r.Raw)
		}
	}
	for _, p := range []string{"/api/v1/my/requests/abc", "/api/v1/my/requests/0", "/api/v1/my/requests/-1/withdraw"} {
		if r := e.Do("GET", p, tok, nil); r.Status >= 500 {
			t.Errorf("%s: %d", p, r.Status)
		}
	}
	id := submit(t, e, tok, c.submitBody("正常的诉求内容"))
	for _, b := range []any{"[]", `{"score":0}`, `{"score":3,"comment":` + jsonString(strings.Repeat("评", 501)) + `}`, `{"score":3,"redo":"yes"}`} {
		if r := e.Do("POST", path("/api/v1/my/requests/%d/rating", id), tok, b); r.Status != 400 && r.Status != 409 {
			t.Errorf("rating %s: %d %s", b, r.Status, r.Raw)
		}
	}
	if strings.Contains(e.LogText(), `"level":"ERROR"`) {
		t.Fatalf("bad input logged an error:\n%s", e.LogText())
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestRequestNumbersUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	const n = 8
	toks := make([]string, n)
	for i := range toks {
		_, toks[i] = e.Resident(testutil.UniqueCode("num"))
	}
	numbers := make([]string, n)
	var wg sync.WaitGroup
	for i := range toks {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var v reqView
			r := e.Do("POST", "/api/v1/my/requests", toks[i], c.submitBody("同时提交的诉求内容"))
			if r.Status != 201 {
				t.Errorf("submit %d: %d %s", i, r.Status, r.Raw)
				return
			}
			r.Decode(t, &v)
			numbers[i] = v.Number
		}(i)
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, num := range numbers {
		if !numberRe.MatchString(num) || seen[num] {
			t.Fatalf("numbers %v", numbers)
		}
		seen[num] = true
	}
	day := time.Now().In(model.Shanghai).Format("20060102")
	for i := 1; i <= n; i++ {
		if want := model.NumberFor(time.Now(), int64(i)); !seen[want] && strings.Contains(want, day) {
			t.Fatalf("numbers %v are not the day's sequence 1..%d", numbers, n)
		}
	}
}
