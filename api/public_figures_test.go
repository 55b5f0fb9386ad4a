package api_test

import (
	"fmt"
	"testing"
)

// The public figures (阳光公开) are the staff report's headline for the same
// town and period, beside the city's; anybody may read them; communities
// and departments are not published; they reveal no single item.
func TestPublicFiguresEqualTheStaffReport(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	var pub struct {
		From string         `json:"from"`
		To   string         `json:"to"`
		Town map[string]any `json:"town"`
		City map[string]any `json:"city"`
	}
	res := w.e.Do("GET", fmt.Sprintf("/api/v1/public/figures?org_id=%d&%s", w.townA, march), "", nil).Must(t, 200)
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("Cache-Control %q", cc)
	}
	res.Decode(t, &pub)
	if pub.From != "2026-03-01" || pub.To != "2026-04-01" {
		t.Fatalf("period %s–%s", pub.From, pub.To)
	}
	for _, c := range []struct {
		name string
		got  map[string]any
		org  int64
	}{{"town", pub.Town, w.townA}, {"city", pub.City, w.e.RootOrgID()}} {
		staff := w.stats(t, w.admin, fmt.Sprintf("org_id=%d&%s", c.org, march))
		nonHukou := staff["by_residency"].(map[string]any)["non_hukou"].(map[string]any)
		want := map[string]any{"collected": staff["collected"], "closed": staff["closed"], "rate": staff["rate"],
			"rate_pct": staff["rate_pct"], "close_median_days": staff["close_days"].(map[string]any)["median"],
			"non_hukou_share": nonHukou["share"]}
		for k, v := range want {
			if c.got[k] != v {
				t.Errorf("%s %s = %v, staff report %v", c.name, k, c.got[k], v)
			}
		}
		if org := c.got["org"].(map[string]any); org["id"] != float64(c.org) {
			t.Errorf("%s org %v", c.name, org)
		}
		if len(c.got) != 7 {
			t.Errorf("%s carries %d fields, want only the 7 aggregates: %v", c.name, len(c.got), c.got)
		}
	}
	if pub.Town["collected"] == 0.0 || pub.Town["collected"] == pub.City["collected"] {
		t.Fatalf("town %v vs city %v: the world should give the town some, not all, items", pub.Town["collected"], pub.City["collected"])
	}

	w.e.Do("GET", fmt.Sprintf("/api/v1/public/figures?org_id=%d", w.comm), "", nil).MustErr(t, 400, "invalid_argument")
	w.e.Do("GET", fmt.Sprintf("/api/v1/public/figures?org_id=%d", w.district), "", nil).MustErr(t, 400, "invalid_argument")
	w.e.Do("GET", "/api/v1/public/figures", "", nil).MustErr(t, 400, "invalid_argument")
	w.e.Do("GET", "/api/v1/public/figures?org_id=99999999", "", nil).MustErr(t, 404, "not_found")
	w.e.Do("GET", fmt.Sprintf("/api/v1/public/figures?org_id=%d&from=2026-13-01", w.townA), "", nil).MustErr(t, 400, "invalid_argument")
}
