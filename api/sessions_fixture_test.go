package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// sep20 is a Sunday morning before two Tuesdays and the National Day break
// (2026-10-06 is a statutory holiday).
var sep20 = time.Date(2026, 9, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// liaison is a city with one district, town and community, a point in the
// community and its Tuesday rule (09:00–12:00 and 19:00–21:00, 30-minute
// slots of 5 seats, 28 days ahead, 2-hour cut-off).
type liaison struct {
	e         *testutil.Env
	clock     *testutil.Clock
	admin     string
	district  int64
	town      int64
	community int64
	point     int64
}

func newLiaison(t *testing.T) *liaison {
	t.Helper()
	clock := testutil.NewClock(sep20)
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	return setupLiaison(t, e, clock)
}

func setupLiaison(t testing.TB, e *testutil.Env, clock *testutil.Clock) *liaison {
	t.Helper()
	l := &liaison{e: e, clock: clock, admin: e.AdminToken()}
	l.district = e.Org(l.admin, e.RootOrgID(), "district", "禅城区")
	l.town = e.Org(l.admin, l.district, "town", "祖庙街道")
	l.community = e.Org(l.admin, l.town, "community", "莲花社区")
	l.point = e.Do("POST", "/api/v1/admin/points", l.admin, map[string]any{
		"org_id": l.community, "name": "莲花社区党群服务中心", "address": "莲花路 1 号", "lat": 23.0268, "lng": 113.1214,
	}).Must(t, 201).ID(t)
	l.putRule(t, map[string]any{"weekday": 2, "windows": []map[string]string{{"start": "09:00", "end": "12:00"}, {"start": "19:00", "end": "21:00"}},
		"slot_minutes": 30, "slot_capacity": 5, "open_days_ahead": 28, "cutoff_hours": 2})
	return l
}

type ruleOut struct {
	Generated int      `json:"sessions_generated"`
	Upcoming  []string `json:"upcoming_dates"`
}

func (l *liaison) putRule(t testing.TB, rule map[string]any) ruleOut {
	t.Helper()
	var out ruleOut
	l.e.Do("PUT", fmt.Sprintf("/api/v1/admin/points/%d/schedule", l.point), l.admin, rule).Must(t, 200).Decode(t, &out)
	return out
}

type slotOut struct {
	ID        int64  `json:"id"`
	StartAt   string `json:"start_at"`
	EndAt     string `json:"end_at"`
	Capacity  int    `json:"capacity"`
	Remaining int    `json:"remaining"`
	Bookable  bool   `json:"bookable"`
}

type sessionOut struct {
	ID      int64     `json:"id"`
	PointID int64     `json:"point_id"`
	Date    string    `json:"date"`
	Status  string    `json:"status"`
	Slots   []slotOut `json:"slots"`
}

func (l *liaison) sessions(t testing.TB) []sessionOut {
	t.Helper()
	var out struct {
		Items []sessionOut `json:"items"`
	}
	l.e.Do("GET", fmt.Sprintf("/api/v1/points/%d/sessions", l.point), "", nil).Must(t, 200).Decode(t, &out)
	return out.Items
}

// session returns the session on date.
func (l *liaison) session(t testing.TB, date string) sessionOut {
	t.Helper()
	for _, s := range l.sessions(t) {
		if s.Date == date {
			return s
		}
	}
	t.Fatalf("no session on %s", date)
	return sessionOut{}
}

type bookingOut struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	QR        string `json:"qr"`
	Status    string `json:"status"`
	SlotID    int64  `json:"slot_id"`
	SessionID int64  `json:"session_id"`
	Topic     string `json:"topic"`
	RequestID *int64 `json:"request_id"`
}

func (l *liaison) book(t *testing.T, token string, slot int64, topic string) bookingOut {
	t.Helper()
	var b bookingOut
	l.e.Do("POST", "/api/v1/my/bookings", token, map[string]any{"slot_id": slot, "topic": topic}).Must(t, 201).Decode(t, &b)
	if b.Status != "booked" || len(b.Code) != 6 || b.QR == "" {
		t.Fatalf("booking = %+v", b)
	}
	return b
}

// seats reads a slot's seat count and its bookings that are not cancelled.
func seats(t testing.TB, e *testutil.Env, slot int64) (booked, active, capacity int) {
	t.Helper()
	row := e.App.DB.Raw("SELECT booked, capacity FROM slots WHERE id = ?", slot).Row()
	if err := row.Scan(&booked, &capacity); err != nil {
		t.Fatal(err)
	}
	if err := e.App.DB.Raw("SELECT COUNT(*) FROM bookings WHERE slot_id = ? AND status <> 'cancelled'", slot).Row().Scan(&active); err != nil {
		t.Fatal(err)
	}
	return booked, active, capacity
}

// rawPost is a POST usable from many goroutines at once (no t.Fatal inside).
func rawPost(client *http.Client, url, token string, body any, headers map[string]string) (int, string, error) {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", url, bytes.NewReader(raw))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var env struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(b, &env)
	return res.StatusCode, env.Code, nil
}
