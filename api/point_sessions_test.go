package api_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

type calendarOut struct {
	Items []struct {
		ID           int64     `json:"id"`
		Date         string    `json:"date"`
		Kind         string    `json:"kind"`
		Status       string    `json:"status"`
		Reason       string    `json:"reason"`
		CancelReason string    `json:"cancel_reason"`
		Capacity     int       `json:"capacity"`
		Booked       int       `json:"booked"`
		Slots        []slotOut `json:"slots"`
	} `json:"items"`
	From string `json:"from"`
	To   string `json:"to"`
}

// The admin's calendar of a point lists its sessions in a date range in any
// status — generated, make-up, cancelled, past — which the public list of
// upcoming sessions does not.
func TestPointCalendarListsEverySessionInRange(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	cal := func(query string) calendarOut {
		t.Helper()
		var out calendarOut
		e.Do("GET", fmt.Sprintf("/api/v1/admin/points/%d/sessions?%s", l.point, query), l.admin, nil).Must(t, 200).Decode(t, &out)
		return out
	}
	dates := func(c calendarOut) []string {
		out := []string{}
		for _, it := range c.Items {
			out = append(out, it.Date+" "+it.Kind+" "+it.Status)
		}
		return out
	}
	// 2026-10-06 is a statutory holiday: no session is generated on it.
	got := cal("from=2026-09-01&to=2026-11-01")
	want := []string{"2026-09-22 regular open", "2026-09-29 regular open", "2026-10-13 regular open"}
	if !reflect.DeepEqual(dates(got), want) {
		t.Fatalf("generated: %v, want %v", dates(got), want)
	}
	first := got.Items[0]
	if first.Capacity != 6*5+4*5 || first.Booked != 0 || len(first.Slots) != 10 {
		t.Fatalf("first session: capacity %d booked %d slots %d", first.Capacity, first.Booked, len(first.Slots))
	}

	e.Do("POST", fmt.Sprintf("/api/v1/admin/sessions/%d/cancel", got.Items[1].ID), l.admin, map[string]string{"reason": "场地检修"}).Must(t, 200)
	e.Do("POST", fmt.Sprintf("/api/v1/admin/points/%d/sessions", l.point), l.admin,
		map[string]any{"date": "2026-10-10", "reason": "国庆调休补班"}).Must(t, 201)
	got = cal("from=2026-09-01&to=2026-11-01")
	want = []string{"2026-09-22 regular open", "2026-09-29 regular cancelled", "2026-10-10 extra open", "2026-10-13 regular open"}
	if !reflect.DeepEqual(dates(got), want) {
		t.Fatalf("after cancel and make-up: %v, want %v", dates(got), want)
	}
	if got.Items[1].CancelReason != "场地检修" || got.Items[2].Reason != "国庆调休补班" {
		t.Fatalf("reasons: %+v", got.Items)
	}

	// A month later the past sessions are still in the calendar.
	l.clock.Advance(31 * 24 * time.Hour)
	l.admin = e.AdminToken() // the sign-in of a month ago has expired
	if got := cal("from=2026-09-01&to=2026-10-01"); len(got.Items) != 2 || got.From != "2026-09-01" || got.To != "2026-10-01" {
		t.Fatalf("past month: %v", dates(got))
	}
	// Without dates: this month (October 2026 on the moved clock).
	if got := cal(""); got.From != "2026-10-01" || got.To != "2026-11-01" || len(got.Items) != 2 {
		t.Fatalf("default month: %s..%s %v", got.From, got.To, dates(got))
	}
}

func TestPointCalendarScopeAndInput(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	url := fmt.Sprintf("/api/v1/admin/points/%d/sessions", l.point)

	otherTown := e.Org(l.admin, l.district, "town", "石湾镇街道")
	_, otherAdmin := e.Staff(l.admin, otherTown, "admin", "shiwan_admin")
	e.Do("GET", url, otherAdmin, nil).MustErr(t, 404, "not_found")
	_, townAdmin := e.Staff(l.admin, l.town, "admin", "zumiao_admin2")
	e.Do("GET", url+"?from=2026-09-01", townAdmin, nil).Must(t, 200)
	_, cadre := e.Staff(l.admin, l.town, "cadre", "zumiao_cadre2")
	e.Do("GET", url, cadre, nil).MustErr(t, 403, "forbidden")

	for _, q := range []string{"from=2026-9-1", "to=tomorrow", "from=2026-10-01&to=2026-09-01", "from=2026-01-01&to=2026-12-31"} {
		r := e.Do("GET", url+"?"+q, l.admin, nil).MustErr(t, 400, "invalid_argument")
		if r.Msg == "" {
			t.Fatalf("%s: no message", q)
		}
	}
	e.Do("GET", "/api/v1/admin/points/999999/sessions", l.admin, nil).MustErr(t, 404, "not_found")
}
