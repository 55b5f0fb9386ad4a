package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/internal/wechat"
	"zhilian/model"
)

// similarWorld is a town with a cadre, three residents and a cadre of another town.
type similarWorld struct {
	city
	cadre, otherCadre   string
	codeA, codeB, codeC string
	tokA, tokB, tokC    string
}

func newSimilarWorld(t *testing.T, e *testutil.Env) similarWorld {
	t.Helper()
	w := similarWorld{city: newCity(t, e)}
	_, w.cadre = e.Staff(w.admin, w.town, "cadre", "sim_cadre")
	_, w.otherCadre = e.Staff(w.admin, w.otherTown, "cadre", "sim_other")
	w.codeA, w.codeB, w.codeC = testutil.UniqueCode("sa"), testutil.UniqueCode("sb"), testutil.UniqueCode("sc")
	_, w.tokA = e.Resident(w.codeA)
	_, w.tokB = e.Resident(w.codeB)
	_, w.tokC = e.Resident(w.codeC)
	return w
}

type publicItem struct {
	ID          int64   `json:"id"`
	Number      string  `json:"number"`
	Status      string  `json:"status"`
	Excerpt     string  `json:"excerpt"`
	AgeDays     int     `json:"age_days"`
	Followers   int     `json:"followers"`
	Following   bool    `json:"following"`
	Result      *string `json:"result"`
	ViaRequest  *int64  `json:"via_request_id"`
	CommunityID int64   `json:"community_id"`
	Steps       []struct {
		Action   string `json:"action"`
		ToStatus string `json:"to_status"`
	} `json:"steps"`
}

func similarPath(comm, cat int64, text string) string {
	return fmt.Sprintf("/api/v1/my/similar?community_id=%d&category_id=%d&text=%s", comm, cat, url.QueryEscape(text))
}

func similarItems(t *testing.T, r *testutil.Resp) []publicItem {
	t.Helper()
	var out struct {
		Items []publicItem `json:"items"`
	}
	r.Decode(t, &out)
	return out.Items
}

// TestSimilarBeforeSubmitting: a resident about to submit sees the open
// look-alike items of the community, masked, never their own, never one
// waiting for moderation, never another community's; bad input is 400.
func TestSimilarBeforeSubmitting(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newSimilarWorld(t, e)
	e.Do("PUT", "/api/v1/my/profile", w.tokA, map[string]any{"name": "张建国", "phone": "13812345678",
		"community_id": w.comm, "residency": "hukou"}).Must(t, 200)
	lamp := submit(t, e, w.tokA, w.submitBody("升平路12号门口的路灯坏了一个星期，晚上黑漆漆的。我叫张建国，电话13812345678"))
	flagged := submit(t, e, w.tokA, w.submitBody("升平路门口路灯不亮很久了 "+wechat.ReviewKeyword))
	submit(t, e, w.tokC, w.submitBody("楼上装修天天打电钻，周末也不停"))
	other := w.submitBody("新风路的路灯坏了，晚上黑漆漆的")
	other["community_id"] = w.comm2
	submit(t, e, w.tokC, other)

	query := "升平路的路灯不亮好几天了，晚上很黑"
	r := e.Do("GET", similarPath(w.comm, w.categoryID, query), w.tokB, nil).Must(t, 200)
	items := similarItems(t, r)
	if len(items) != 1 || items[0].ID != lamp {
		t.Fatalf("similar = %+v, want only item %d (not the flagged %d, nor other communities)", items, lamp, flagged)
	}
	for _, leak := range []string{"张建国", "13812345678", "138", "12 号", "image", "photo", "address", "resident_id", "phone"} {
		if strings.Contains(string(r.Raw), leak) {
			t.Errorf("similar answer leaks %q: %s", leak, r.Raw)
		}
	}
	if !strings.Contains(items[0].Excerpt, "路灯") || items[0].Status != "submitted" || items[0].Followers != 0 {
		t.Errorf("item = %+v", items[0])
	}
	// One's own items are not shown to oneself.
	if got := similarItems(t, e.Do("GET", similarPath(w.comm, w.categoryID, query), w.tokA, nil).Must(t, 200)); len(got) != 0 {
		t.Errorf("own items shown: %+v", got)
	}
	// Without a category the text still finds it.
	if got := similarItems(t, e.Do("GET", similarPath(w.comm, 0, query), w.tokB, nil).Must(t, 200)); len(got) != 1 {
		t.Errorf("without category: %+v", got)
	}

	_, staff := e.Staff(w.admin, w.town, "cadre", "sim_staff2")
	e.Do("GET", similarPath(w.comm, w.categoryID, query), staff, nil).MustErr(t, 403, "forbidden")
	for _, bad := range []string{
		"/api/v1/my/similar?text=abc",
		fmt.Sprintf("/api/v1/my/similar?community_id=%d&text=", w.comm),
		fmt.Sprintf("/api/v1/my/similar?community_id=%d&text=%s", w.comm, strings.Repeat("路", 2001)),
		fmt.Sprintf("/api/v1/my/similar?community_id=%d&text=abc", w.town),
		fmt.Sprintf("/api/v1/my/similar?community_id=%d&category_id=999999&text=abc", w.comm),
		fmt.Sprintf("/api/v1/my/similar?community_id=%d&text=abc&lat=123&lng=113", w.comm),
		fmt.Sprintf("/api/v1/my/similar?community_id=x&text=abc"),
	} {
		e.Do("GET", bad, w.tokB, nil).MustErr(t, 400, "invalid_argument")
	}
}

// TestFollowItem: "我也遇到" makes the resident a follower, counted on the
// item, listed with its progress, told when it is accepted and closed.
func TestFollowItem(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newSimilarWorld(t, e)
	lamp := submit(t, e, w.tokA, w.submitBody("升平路12号门口的路灯坏了，晚上黑漆漆的，请尽快维修"))
	flagged := submit(t, e, w.tokA, w.submitBody("路灯不亮 "+wechat.ReviewKeyword))

	f := e.Do("POST", "/api/v1/my/follows", w.tokB, map[string]any{"request_id": lamp}).Must(t, 201)
	var fi publicItem
	f.Decode(t, &fi)
	if fi.ID != lamp || !fi.Following || fi.Followers != 1 {
		t.Fatalf("follow = %s", f.Raw)
	}
	e.Do("POST", "/api/v1/my/follows", w.tokB, map[string]any{"request_id": lamp}).Must(t, 200)
	e.Do("POST", "/api/v1/my/follows", w.tokA, map[string]any{"request_id": lamp}).MustErr(t, 409, "conflict")
	e.Do("POST", "/api/v1/my/follows", w.tokB, map[string]any{"request_id": flagged}).MustErr(t, 404, "not_found")
	e.Do("POST", "/api/v1/my/follows", w.tokB, map[string]any{"request_id": 99999999}).MustErr(t, 404, "not_found")
	e.Do("POST", "/api/v1/my/follows", w.tokB, map[string]any{"request_id": 0}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/my/follows", w.cadre, map[string]any{"request_id": lamp}).MustErr(t, 403, "forbidden")

	items := similarItems(t, e.Do("GET", similarPath(w.comm, w.categoryID, "升平路路灯不亮"), w.tokB, nil).Must(t, 200))
	if len(items) != 1 || !items[0].Following || items[0].Followers != 1 {
		t.Fatalf("similar after follow = %+v", items)
	}
	list := similarItems(t, e.Do("GET", "/api/v1/my/follows", w.tokB, nil).Must(t, 200))
	if len(list) != 1 || list[0].ID != lamp {
		t.Fatalf("follows = %+v", list)
	}
	// Only followers see a followed item.
	e.Do("GET", path("/api/v1/my/follows/%d", lamp), w.tokC, nil).MustErr(t, 404, "not_found")

	e.Do("POST", path("/api/v1/work/requests/%d/accept", lamp), w.cadre, nil).Must(t, 200)
	e.Do("POST", path("/api/v1/work/requests/%d/resolve", lamp), w.cadre, map[string]any{
		"result": "已更换升平路12号门口路灯，联系人张建国确认"}).Must(t, 200)
	if _, err := e.App.Notifier.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	sent := e.Wechat.Sent("fake_" + w.codeB)
	var got []string
	for _, m := range sent {
		got = append(got, m.TemplateID+" "+m.Page)
		if strings.Contains(fmt.Sprint(m.Data), "张建国") {
			t.Errorf("follower notice names the resident: %+v", m)
		}
	}
	want := []string{fmt.Sprintf("fake-tpl-request_accepted pages/follow/follow?id=%d", lamp),
		fmt.Sprintf("fake-tpl-request_closed pages/follow/follow?id=%d", lamp)}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Fatalf("follower notices = %v, want %v", got, want)
	}
	var detail publicItem
	d := e.Do("GET", path("/api/v1/my/follows/%d", lamp), w.tokB, nil).Must(t, 200)
	d.Decode(t, &detail)
	if detail.Status != "resolved" || detail.Result == nil || strings.Contains(*detail.Result, "张建国") ||
		strings.Contains(*detail.Result, "12") || len(detail.Steps) != 3 || detail.Steps[2].ToStatus != "resolved" {
		t.Fatalf("followed detail = %s", d.Raw)
	}
	// A closed item cannot be followed any more; unfollowing works.
	e.Do("POST", "/api/v1/my/follows", w.tokC, map[string]any{"request_id": lamp}).MustErr(t, 409, "invalid_transition")
	e.Do("DELETE", path("/api/v1/my/follows/%d", lamp), w.tokB, nil).Must(t, 200)
	e.Do("DELETE", path("/api/v1/my/follows/%d", lamp), w.tokB, nil).MustErr(t, 404, "not_found")
	if list := similarItems(t, e.Do("GET", "/api/v1/my/follows", w.tokB, nil).Must(t, 200)); len(list) != 0 {
		t.Fatalf("follows after unfollow = %+v", list)
	}
}

type statsFigures struct {
	Collected int64   `json:"collected"`
	Resolved  int64   `json:"resolved"`
	Merged    int64   `json:"merged"`
	Open      int64   `json:"open"`
	Rate      float64 `json:"rate"`
}

// monthStats reads the figures of the clock's month for an org (the city
// reads the rollups, a town scans the table).
func monthStats(t *testing.T, e *testutil.Env, tok string, org int64) statsFigures {
	t.Helper()
	now := e.Clock.Now().In(model.Shanghai)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, model.Shanghai)
	var out statsFigures
	e.Do("GET", fmt.Sprintf("/api/v1/admin/stats?org_id=%d&from=%s&to=%s", org, model.FormatDate(from),
		model.FormatDate(from.AddDate(0, 1, 0))), tok, nil).Must(t, 200).Decode(t, &out)
	return out
}

// TestMergeDuplicates: a cadre merges a duplicate into an accepted item; the
// merged item is closed as a duplicate with a link, its resident follows the
// primary and is told; when the primary closes the merged item takes its
// outcome, and the headline rate counts every resident's item.
func TestMergeDuplicates(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 3, 10, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newSimilarWorld(t, e)
	primary := submit(t, e, w.tokA, w.submitBody("升平路12号门口的路灯坏了一个星期，晚上黑漆漆的"))
	dup := submit(t, e, w.tokB, w.submitBody("升平路路灯不亮好几天了，晚上走路很危险，请尽快修"))
	noise := submit(t, e, w.tokC, w.submitBody("楼上装修天天打电钻，周末也不停"))
	e.Do("POST", path("/api/v1/work/requests/%d/accept", primary), w.cadre, nil).Must(t, 200)

	var links struct {
		Followers  int `json:"followers"`
		Duplicates []struct {
			ID           int64   `json:"id"`
			Score        float64 `json:"score"`
			CanMergeInto bool    `json:"can_merge_into"`
		} `json:"duplicates"`
	}
	e.Do("GET", path("/api/v1/work/requests/%d/similar", dup), w.cadre, nil).Must(t, 200).Decode(t, &links)
	if len(links.Duplicates) != 1 || links.Duplicates[0].ID != primary || !links.Duplicates[0].CanMergeInto {
		t.Fatalf("duplicates of %d = %+v (noise %d)", dup, links, noise)
	}
	e.Do("GET", path("/api/v1/work/requests/%d/similar", dup), w.otherCadre, nil).MustErr(t, 404, "not_found")
	e.Do("GET", path("/api/v1/work/requests/%d/similar", dup), w.tokA, nil).MustErr(t, 403, "forbidden")

	// Refusals: into an item not yet accepted, into itself, outside the jurisdiction, by others.
	e.Do("POST", path("/api/v1/work/requests/%d/merge", primary), w.cadre, map[string]any{"into": dup}).
		MustErr(t, 409, "invalid_transition")
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.cadre, map[string]any{"into": dup}).
		MustErr(t, 400, "invalid_argument")
	elsewhere := w.submitBody("跃进路路灯坏了")
	elsewhere["community_id"] = w.otherComm
	far := submit(t, e, w.tokC, elsewhere)
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.cadre, map[string]any{"into": far}).
		MustErr(t, 400, "invalid_argument")
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.otherCadre, map[string]any{"into": primary}).
		MustErr(t, 404, "not_found")
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.tokB, map[string]any{"into": primary}).
		MustErr(t, 403, "forbidden")
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.cadre, map[string]any{}).MustErr(t, 400, "invalid_argument")

	var merged struct {
		Status      string `json:"status"`
		DuplicateOf *int64 `json:"duplicate_of"`
	}
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.cadre, map[string]any{"into": primary, "note": "同一盏路灯"}).
		Must(t, 200).Decode(t, &merged)
	if merged.Status != "merged" || merged.DuplicateOf == nil || *merged.DuplicateOf != primary {
		t.Fatalf("merged = %+v", merged)
	}
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.cadre, map[string]any{"into": primary}).
		MustErr(t, 409, "invalid_transition")
	// The resident sees their item closed as a duplicate, with the link, and follows the primary.
	var mine struct {
		Status      string `json:"status"`
		DuplicateOf *int64 `json:"duplicate_of"`
		Timeline    []struct {
			Action string `json:"action"`
			Note   string `json:"note"`
		} `json:"timeline"`
	}
	e.Do("GET", path("/api/v1/my/requests/%d", dup), w.tokB, nil).Must(t, 200).Decode(t, &mine)
	last := mine.Timeline[len(mine.Timeline)-1]
	if mine.Status != "merged" || *mine.DuplicateOf != primary || last.Action != "merge" || !strings.Contains(last.Note, "ZL") {
		t.Fatalf("merged item as its resident sees it: %+v", mine)
	}
	follows := similarItems(t, e.Do("GET", "/api/v1/my/follows", w.tokB, nil).Must(t, 200))
	if len(follows) != 1 || follows[0].ID != primary || follows[0].ViaRequest == nil || *follows[0].ViaRequest != dup {
		t.Fatalf("follows of the merged item's resident = %+v", follows)
	}
	e.Do("DELETE", path("/api/v1/my/follows/%d", primary), w.tokB, nil).MustErr(t, 409, "conflict")
	e.Do("GET", path("/api/v1/work/requests/%d/similar", primary), w.cadre, nil).Must(t, 200).Decode(t, &links)
	if links.Followers != 1 {
		t.Fatalf("followers of the primary = %d", links.Followers)
	}

	// The headline: every resident's item is collected; the merged one waits
	// for the primary. The city reads the rollups, the town scans the table;
	// the item in the other town counts for the city only.
	collected := map[int64]int64{e.RootOrgID(): 4, w.town: 3}
	for org, n := range collected {
		if got := monthStats(t, e, w.admin, org); got.Collected != n || got.Merged != 1 || got.Resolved != 0 || got.Open != n-1 {
			t.Fatalf("org %d before closing: %+v", org, got)
		}
	}
	clock.Advance(time.Hour) // the statistics cache is keyed by the latest update time
	e.Do("POST", path("/api/v1/work/requests/%d/resolve", primary), w.cadre, map[string]any{"result": "已更换灯泡"}).Must(t, 200)
	e.Do("GET", path("/api/v1/my/requests/%d", dup), w.tokB, nil).Must(t, 200).Decode(t, &mine)
	if mine.Status != "resolved" {
		t.Fatalf("merged item after its primary closed: %+v", mine)
	}
	for org, n := range collected {
		got := monthStats(t, e, w.admin, org)
		if got.Collected != n || got.Merged != 0 || got.Resolved != 2 || got.Rate != 2/float64(n) {
			t.Fatalf("org %d after closing: %+v (want %d collected, 2 resolved, both counted in the rate)", org, got, n)
		}
	}
	if _, err := e.App.Notifier.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range e.Wechat.Sent("fake_" + w.codeB) {
		got = append(got, m.TemplateID)
	}
	if strings.Join(got, ",") != "fake-tpl-request_merged,fake-tpl-request_closed" {
		t.Fatalf("merged item's resident was told %v", got)
	}
}

// TestMergeChain: merging an item that others were merged into moves them
// on to the new primary; they all close with it.
func TestMergeChain(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newSimilarWorld(t, e)
	p1 := submit(t, e, w.tokA, w.submitBody("升平路垃圾站三天没人清运，臭气熏天"))
	q := submit(t, e, w.tokB, w.submitBody("升平路垃圾站满了没人收，臭得不行"))
	p2 := submit(t, e, w.tokC, w.submitBody("升平路垃圾清运不及时，垃圾堆到马路上"))
	for _, id := range []int64{p1, p2} {
		e.Do("POST", path("/api/v1/work/requests/%d/accept", id), w.cadre, nil).Must(t, 200)
	}
	e.Do("POST", path("/api/v1/work/requests/%d/merge", q), w.cadre, map[string]any{"into": p1}).Must(t, 200)
	e.Do("POST", path("/api/v1/work/requests/%d/merge", p1), w.cadre, map[string]any{"into": p2}).Must(t, 200)
	var links struct {
		Merged []struct {
			ID int64 `json:"id"`
		} `json:"merged"`
		MergedInto *struct {
			ID int64 `json:"id"`
		} `json:"merged_into"`
	}
	e.Do("GET", path("/api/v1/work/requests/%d/similar", p2), w.cadre, nil).Must(t, 200).Decode(t, &links)
	if len(links.Merged) != 2 {
		t.Fatalf("merged into %d: %+v", p2, links)
	}
	e.Do("GET", path("/api/v1/work/requests/%d/similar", q), w.cadre, nil).Must(t, 200).Decode(t, &links)
	if links.MergedInto == nil || links.MergedInto.ID != p2 {
		t.Fatalf("q now merged into %+v, want %d", links.MergedInto, p2)
	}
	e.Do("POST", path("/api/v1/work/requests/%d/respond", p2), w.cadre, map[string]any{"result": "已增加清运班次"}).Must(t, 200)
	for _, id := range []int64{p1, q} {
		var r struct {
			Status string `json:"status"`
		}
		e.Do("GET", path("/api/v1/work/requests/%d", id), w.cadre, nil).Must(t, 200).Decode(t, &r)
		if r.Status != "responded" {
			t.Fatalf("item %d after the chain's primary closed: %s", id, r.Status)
		}
	}
	follows := similarItems(t, e.Do("GET", "/api/v1/my/follows", w.tokB, nil).Must(t, 200))
	if len(follows) != 1 || follows[0].ID != p2 {
		t.Fatalf("q's resident follows %+v, want %d", follows, p2)
	}
}
