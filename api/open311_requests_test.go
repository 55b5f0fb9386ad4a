package api_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
)

func TestOpen311RoutingAndIntakeQueue(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	_, cityCadre := e.Staff(w.admin, e.RootOrgID(), "cadre", "city_desk")
	_, otherCadre := e.Staff(w.admin, w.otherTown, "cadre", "other_desk")

	// Far from every point, no address: the city's intake queue.
	f := w.form("某处井盖缺失，存在安全隐患")
	f.Set("lat", "23.2")
	f.Set("long", "113.3")
	f.Del("address_string")
	lost := w.post(t, f)
	if workItem(t, e, w.cadre, lost) != nil {
		t.Fatal("an unrouted item reached a town")
	}
	v := workItem(t, e, cityCadre, lost)
	if v == nil || v.HandlingOrgID != e.RootOrgID() || v.Status != "submitted" {
		t.Fatalf("intake item %+v", v)
	}
	if g := w.get(t, lost); g.AgencyResponsible != "佛山市" {
		t.Fatalf("intake item as GET shows it %+v", g)
	}
	// A city cadre routes it; the town takes it from there.
	e.Do("POST", path("/api/v1/work/requests/%d/transfer", v.ID), cityCadre, map[string]any{"org_id": w.otherTown, "note": "按地址转石湾"}).Must(t, 200)
	if got := workItem(t, e, otherCadre, lost); got == nil || got.HandlingOrgID != w.otherTown {
		t.Fatalf("after transfer %+v", got)
	}
	if g := w.get(t, lost); g.AgencyResponsible != "石湾镇街道" {
		t.Fatalf("after transfer GET %+v", g)
	}

	// Only an address naming a community: that community's town.
	f = url.Values{"api_key": {w.key}, "service_code": {"roads"}, "address_string": {"禅城区跃进社区跃进路 5 号"},
		"description": {"跃进路路面塌陷"}}
	named := w.post(t, f)
	if got := workItem(t, e, otherCadre, named); got == nil || got.HandlingOrgID != w.otherTown {
		t.Fatalf("address-routed item %+v", got)
	}
	// Only an address_id: the intake queue, and the id is shown back.
	f = url.Values{"api_key": {w.key}, "service_code": {"roads"}, "address_id": {"FS-000123"}, "description": {"路面塌陷，请尽快处理"}}
	byID := w.post(t, f)
	if got := workItem(t, e, cityCadre, byID); got == nil || got.HandlingOrgID != e.RootOrgID() {
		t.Fatalf("address_id item %+v", got)
	}
	if g := w.get(t, byID); g.AddressID != "FS-000123" || g.Lat != nil {
		t.Fatalf("address_id GET %+v", g)
	}

	// A key scoped to the other town never routes to the first one's point:
	// the town's own queue takes the item.
	scoped, _ := w.issue(t, map[string]any{"org_id": w.otherTown})
	f = w.form("升平路人行道有一处坑洼")
	f.Set("api_key", scoped)
	near := w.post(t, f)
	if got := workItem(t, e, otherCadre, near); got == nil || got.HandlingOrgID != w.otherTown {
		t.Fatalf("scoped item %+v", got)
	}
	if workItem(t, e, w.cadre, near) != nil {
		t.Fatal("a scoped key's item left its scope")
	}
}

func TestOpen311PublicItemsOnly(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	_, resident := e.Resident(testutil.UniqueCode("o311"))
	body := w.submitBody("我家楼下升平路 12 号的路灯坏了")
	body["lat"], body["lng"] = 23.0269, 113.1215
	mine := e.Do("POST", "/api/v1/my/requests", resident, body).Must(t, 201)
	var sub struct {
		Number string `json:"number"`
	}
	mine.Decode(t, &sub)

	g := w.get(t, sub.Number)
	if g.Description != "" || g.Address != "升平社区" || g.Lat != nil || g.Long != nil || g.MediaURL != "" ||
		g.Status != "open" || g.ServiceCode != "roads" || g.AgencyResponsible != "祖庙街道" {
		t.Fatalf("a resident's item shows %+v", g)
	}
	raw := string(o311Call(t, e, "GET", "/open311/v2/requests.xml", nil).Body)
	if strings.Contains(raw, "路灯坏了") || strings.Contains(raw, "升平路 12 号") || strings.Contains(raw, "23.0269") {
		t.Fatalf("GET requests shows a resident's words: %s", raw)
	}

	// An integrator's item flagged for moderation hides its words too.
	id := w.post(t, w.form("升平路人行道有一处坑洼"))
	if err := e.App.DB.Exec("UPDATE requests SET flagged_for_review = 1 WHERE number = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	if g := w.get(t, id); g.Description != "" || g.Lat != nil || g.Address != "升平社区" {
		t.Fatalf("a flagged item shows %+v", g)
	}
}

func TestOpen311Window(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = o311Clock() })
	w := newO311World(t, e)
	first := w.post(t, w.form("第一条：升平路人行道坑洼"))
	e.Clock.Advance(50 * 24 * time.Hour)
	second := w.post(t, w.form("第二条：升平路人行道坑洼"))
	e.Clock.Advance(50 * 24 * time.Hour) // 2026-06-10
	third := w.post(t, w.form("第三条：升平路人行道坑洼"))

	list := func(q string) []string {
		var out []o311Request
		o311Call(t, e, "GET", "/open311/v2/requests.json"+q, nil).json(t, 200, &out)
		ids := make([]string, len(out))
		for i, r := range out {
			ids[i] = r.ServiceRequestID
		}
		return ids
	}
	if got := list(""); strings.Join(got, ",") != third+","+second {
		t.Fatalf("default window (last 90 days) = %v", got)
	}
	if got := list("?start_date=2026-03-01T00:00:00%2B08:00"); strings.Join(got, ",") != second+","+first {
		t.Fatalf("90 days from start_date = %v", got)
	}
	if got := list("?end_date=2026-04-25T00:00:00Z"); strings.Join(got, ",") != second+","+first {
		t.Fatalf("90 days to end_date = %v", got)
	}
	if got := list("?start_date=2026-04-01T00:00:00%2B08:00&end_date=2026-06-29T00:00:00%2B08:00"); strings.Join(got, ",") != third+","+second {
		t.Fatalf("89-day window = %v", got)
	}
	// Asked by id, the window does not apply.
	if got := list("?service_request_id=" + first); len(got) != 1 || got[0] != first {
		t.Fatalf("by id = %v", got)
	}
	for _, q := range []string{
		"?start_date=2026-03-01T00:00:00%2B08:00&end_date=2026-06-01T00:00:00%2B08:00", // 92 days
		"?start_date=2026-06-01T00:00:00%2B08:00&end_date=2026-05-01T00:00:00%2B08:00", // end before start
		"?start_date=2026-03-01", "?end_date=yesterday", "?status=pending", "?status=open,maybe",
	} {
		o311Call(t, e, "GET", "/open311/v2/requests.json"+q, nil).mustErr(t, 400)
		o311Call(t, e, "GET", "/open311/v2/requests.xml"+q, nil).mustErr(t, 400)
	}
}

func TestOpen311AtMost1000PerAnswer(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = o311Clock() })
	w := newO311World(t, e)
	seed := w.post(t, w.form("升平路人行道有一处坑洼"))
	// 1,100 copies of the item, a second apart, newest first in the answer.
	digits := "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 " +
		"UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
	err := e.App.DB.Exec(`INSERT INTO requests (number, source, category_id, content, community_id, handling_org_id, org_path,
			address, status, accept_due_at, resolve_due_at, due_at, created_at, updated_at)
		SELECT CONCAT('ZLX-', LPAD(s.n, 6, '0')), source, category_id, content, community_id, handling_org_id, org_path,
			address, status, accept_due_at, resolve_due_at, due_at, created_at - INTERVAL s.n SECOND, updated_at
		FROM requests, (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * k.d AS n FROM `+digits+` a, `+digits+` b, `+digits+` c, `+digits+` k) s
		WHERE number = ? AND s.n BETWEEN 1 AND 1100`, seed).Error
	if err != nil {
		t.Fatal(err)
	}
	var out []o311Request
	o311Call(t, e, "GET", "/open311/v2/requests.json", nil).json(t, 200, &out)
	if len(out) != model.Open311MaxResults || out[0].ServiceRequestID != seed || out[1].ServiceRequestID != "ZLX-000001" ||
		out[999].ServiceRequestID != "ZLX-000999" {
		t.Fatalf("%d requests, first %v", len(out), out[:2])
	}
	var x xRequests
	o311Call(t, e, "GET", "/open311/v2/requests.xml", nil).xml(t, 200, "service_requests", &x)
	if len(x.Items) != model.Open311MaxResults {
		t.Fatalf("XML: %d requests", len(x.Items))
	}
}
