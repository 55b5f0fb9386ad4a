package api_test

import (
	"context"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
	"zhilian/service"
)

func TestCalendarAPIAndDeadlines(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	days := e.Do("GET", "/api/v1/admin/calendar?year=2026", w.admin, nil).Must(t, 200).M(t)["items"].([]any)
	byDate := map[string]map[string]any{}
	for _, d := range days {
		m := d.(map[string]any)
		byDate[m["date"].(string)] = m
	}
	if d := byDate["2026-10-06"]; d == nil || d["workday"] != false {
		t.Fatalf("2026-10-06 should be a National Day holiday: %v", d)
	}
	if d := byDate["2026-10-10"]; d == nil || d["workday"] != true {
		t.Fatalf("2026-10-10 (Saturday) should be a make-up working day: %v", d)
	}

	cal := service.NewCalendar(e.App.Store.Calendar(), time.Now)
	ctx := context.Background()
	// Accepted on Wednesday 30 Sep 2026 with 3 working days: 8, 9 and the make-up Saturday 10 Oct.
	start := time.Date(2026, 9, 30, 15, 0, 0, 0, model.Shanghai)
	due, err := cal.AddWorkdays(ctx, start, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 10, 10, 23, 59, 59, 0, model.Shanghai); !due.Equal(want) {
		t.Fatalf("due = %v, want %v", due, want)
	}
	if n, _ := cal.WorkdaysBetween(ctx, start, due); n != 3 {
		t.Fatalf("workdays between = %d", n)
	}

	// Only a city admin may override; an override moves deadlines.
	_, adminA := e.Staff(w.admin, w.townA, "admin", "cal_town_admin")
	e.Do("PUT", "/api/v1/admin/calendar/2026-10-09", adminA, map[string]any{"workday": false}).MustErr(t, 403, "forbidden")
	e.Do("PUT", "/api/v1/admin/calendar/2026-10-09", w.admin, map[string]any{"workday": false, "name": "台风停工"}).Must(t, 200)
	e.Do("PUT", "/api/v1/admin/calendar/2026-13-09", w.admin, map[string]any{"workday": false}).MustErr(t, 400, "invalid_argument")
	e.Do("PUT", "/api/v1/admin/calendar/2026-10-09", w.admin, map[string]any{"name": "x"}).MustErr(t, 400, "invalid_argument")
	due, _ = cal.AddWorkdays(ctx, start, 3)
	if want := time.Date(2026, 10, 12, 23, 59, 59, 0, model.Shanghai); !due.Equal(want) {
		t.Fatalf("due after override = %v, want %v", due, want)
	}
	e.Do("DELETE", "/api/v1/admin/calendar/2026-10-09", w.admin, nil).Must(t, 200)
	e.Do("DELETE", "/api/v1/admin/calendar/2026-10-09", w.admin, nil).MustErr(t, 404, "not_found")
	// A year the tables do not know is still weekends-only plus overrides.
	e.Do("PUT", "/api/v1/admin/calendar/2031-01-01", w.admin, map[string]any{"workday": false, "name": "元旦"}).Must(t, 200)
	d, _ := cal.Day(ctx, time.Date(2031, 1, 1, 12, 0, 0, 0, model.Shanghai))
	if d.Workday || d.Source != model.SourceOverride {
		t.Fatalf("2031-01-01 = %+v", d)
	}
	_ = testutil.AdminPassword
}
