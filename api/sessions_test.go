package api_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

func TestScheduleGeneratesTuesdaysSkippingNationalDay(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	got := l.sessions(t)
	var dates []string
	for _, s := range got {
		dates = append(dates, s.Date)
		d, _ := time.Parse("2006-01-02", s.Date)
		if d.Weekday() != time.Tuesday {
			t.Fatalf("%s is a %s", s.Date, d.Weekday())
		}
		if len(s.Slots) != 10 { // 6 in the morning, 4 in the evening
			t.Fatalf("%s has %d slots", s.Date, len(s.Slots))
		}
		first := s.Slots[0]
		if first.StartAt != s.Date+"T09:00:00+08:00" || first.EndAt != s.Date+"T09:30:00+08:00" || first.Remaining != 5 || !first.Bookable {
			t.Fatalf("first slot %+v", first)
		}
		if s.Slots[6].StartAt != s.Date+"T19:00:00+08:00" {
			t.Fatalf("evening slot %+v", s.Slots[6])
		}
	}
	if strings.Join(dates, ",") != "2026-09-22,2026-09-29,2026-10-13" {
		t.Fatalf("dates = %v (2026-10-06 is in the National Day break)", dates)
	}
	// Idempotent: the same rule again and the daily job add nothing.
	again := l.putRule(t, map[string]any{"windows": []map[string]string{{"start": "09:00", "end": "12:00"}, {"start": "19:00", "end": "21:00"}},
		"slot_minutes": 30, "slot_capacity": 5, "open_days_ahead": 28, "cutoff_hours": 2})
	if again.Generated != 0 || len(again.Upcoming) != 3 {
		t.Fatalf("second PUT = %+v", again)
	}
	// The rule as stored: defaults filled in, windows as set, a +08:00 time.
	rule := l.e.Do("GET", fmt.Sprintf("/api/v1/admin/points/%d/schedule", l.point), l.admin, nil).Must(t, 200).M(t)
	if rule["weekday"] != float64(2) || rule["slot_minutes"] != float64(30) || rule["open_days_ahead"] != float64(28) ||
		len(rule["windows"].([]any)) != 2 || !strings.HasSuffix(rule["updated_at"].(string), "+08:00") {
		t.Fatalf("GET schedule = %v", rule)
	}
	if err := l.e.App.Jobs.GenerateSessions(context.Background()); err != nil {
		t.Fatal(err)
	}
	var n int
	l.e.App.DB.Raw("SELECT COUNT(*) FROM liaison_sessions").Row().Scan(&n)
	if n != 3 {
		t.Fatalf("%d sessions after re-generation", n)
	}
	// A week later the job extends the horizon by one Tuesday.
	l.clock.Set(sep20.AddDate(0, 0, 7))
	if err := l.e.App.Jobs.GenerateSessions(context.Background()); err != nil {
		t.Fatal(err)
	}
	l.e.App.DB.Raw("SELECT COUNT(*) FROM liaison_sessions").Row().Scan(&n)
	if n != 4 {
		t.Fatalf("%d sessions after a week", n)
	}
	var d string
	l.e.App.DB.Raw("SELECT MAX(date) FROM liaison_sessions").Row().Scan(&d)
	if d != "2026-10-20" {
		t.Fatalf("last session %s", d)
	}
}

func TestBookingRules(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1, s2, s3 := l.session(t, "2026-09-22"), l.session(t, "2026-09-29"), l.session(t, "2026-10-13")
	_, alice := e.Resident(testutil.UniqueCode("alice"))
	_, bob := e.Resident(testutil.UniqueCode("bob"))

	b := l.book(t, alice, s1.Slots[0].ID, "小区路灯不亮")
	if b.Topic != "小区路灯不亮" || b.SessionID != s1.ID || !strings.Contains(b.QR, b.Code) {
		t.Fatalf("booking %+v", b)
	}
	if strings.ContainsAny(b.Code, "0O1I") {
		t.Fatalf("ambiguous code %q", b.Code)
	}
	// One active booking per session: the same slot or another one of the session.
	e.Do("POST", "/api/v1/my/bookings", alice, map[string]any{"slot_id": s1.Slots[0].ID}).MustErr(t, 409, "already_booked")
	e.Do("POST", "/api/v1/my/bookings", alice, map[string]any{"slot_id": s1.Slots[3].ID}).MustErr(t, 409, "already_booked")
	if booked, active, _ := seats(t, e, s1.Slots[0].ID); booked != 1 || active != 1 {
		t.Fatalf("seats %d/%d after refused duplicates", booked, active)
	}
	// The seat shows as taken.
	if got := l.session(t, "2026-09-22").Slots[0].Remaining; got != 4 {
		t.Fatalf("remaining %d", got)
	}
	// At most two future bookings.
	l.book(t, alice, s2.Slots[1].ID, "")
	e.Do("POST", "/api/v1/my/bookings", alice, map[string]any{"slot_id": s3.Slots[0].ID}).MustErr(t, 409, "booking_limit")

	// Someone else's booking is not found.
	e.Do("GET", fmt.Sprintf("/api/v1/my/bookings/%d", b.ID), bob, nil).MustErr(t, 404, "not_found")
	e.Do("POST", fmt.Sprintf("/api/v1/my/bookings/%d/cancel", b.ID), bob, nil).MustErr(t, 404, "not_found")
	e.Do("GET", fmt.Sprintf("/api/v1/my/bookings/%d", b.ID), alice, nil).Must(t, 200)

	// Cancel gives the seat back at once; then rebooking works.
	var c bookingOut
	e.Do("POST", fmt.Sprintf("/api/v1/my/bookings/%d/cancel", b.ID), alice, nil).Must(t, 200).Decode(t, &c)
	if c.Status != "cancelled" {
		t.Fatalf("cancel = %+v", c)
	}
	e.Do("POST", fmt.Sprintf("/api/v1/my/bookings/%d/cancel", b.ID), alice, nil).MustErr(t, 409, "invalid_transition")
	if booked, active, _ := seats(t, e, s1.Slots[0].ID); booked != 0 || active != 0 {
		t.Fatalf("seats %d/%d after cancel", booked, active)
	}
	if got := l.session(t, "2026-09-22").Slots[0].Remaining; got != 5 {
		t.Fatalf("remaining %d after cancel", got)
	}
	again := l.book(t, alice, s1.Slots[0].ID, "")
	if again.ID == b.ID {
		t.Fatal("rebooking reused the cancelled booking")
	}
	var list struct {
		Items []bookingOut `json:"items"`
	}
	e.Do("GET", "/api/v1/my/bookings", alice, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 3 || list.Items[0].ID != again.ID {
		t.Fatalf("list = %+v", list.Items)
	}
	e.Do("GET", "/api/v1/my/bookings?status=cancelled", alice, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != b.ID {
		t.Fatalf("cancelled list = %+v", list.Items)
	}
	e.Do("GET", "/api/v1/my/bookings", bob, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("bob sees %+v", list.Items)
	}
	// request_id must name one of the resident's own requests (TestBookingLinksOwnRequestOnly).
	e.Do("POST", "/api/v1/my/bookings", bob, map[string]any{"slot_id": s3.Slots[2].ID, "request_id": 42}).MustErr(t, 404, "not_found")
}

func TestBookingIdempotencyKey(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	_, tok := e.Resident(testutil.UniqueCode("idem"))
	call := func(slot int64) *testutil.Resp {
		return e.Call(testutil.Req{Method: "POST", Path: "/api/v1/my/bookings", Token: tok,
			Body: map[string]any{"slot_id": slot, "topic": "噪音"}, Headers: map[string]string{"Idempotency-Key": "k-123"}})
	}
	var first, second bookingOut
	call(s1.Slots[0].ID).Must(t, 201).Decode(t, &first)
	r := call(s1.Slots[0].ID).Must(t, 201)
	r.Decode(t, &second)
	if second.ID != first.ID || second.Code != first.Code || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay %+v vs %+v", second, first)
	}
	call(s1.Slots[1].ID).MustErr(t, 422, "idempotency_mismatch")
	if booked, active, _ := seats(t, e, s1.Slots[0].ID); booked != 1 || active != 1 {
		t.Fatalf("seats %d/%d", booked, active)
	}
	e.Call(testutil.Req{Method: "POST", Path: "/api/v1/my/bookings", Token: tok, Body: map[string]any{"slot_id": s1.Slots[0].ID},
		Headers: map[string]string{"Idempotency-Key": "bad key with spaces"}}).MustErr(t, 400, "invalid_argument")
}

func TestBookingCutoff(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	_, tok := e.Resident(testutil.UniqueCode("late"))
	b := l.book(t, tok, s1.Slots[2].ID, "") // 10:00, closes 08:00
	// Tuesday 08:30: the 09:00 and 10:00 slots are past their 2-hour cut-off, 11:00 is not.
	l.clock.Set(time.Date(2026, 9, 22, 8, 30, 0, 0, sep20.Location()))
	e.Do("POST", "/api/v1/my/bookings", tok, map[string]any{"slot_id": s1.Slots[0].ID}).MustErr(t, 409, "booking_closed")
	e.Do("POST", fmt.Sprintf("/api/v1/my/bookings/%d/cancel", b.ID), tok, nil).MustErr(t, 409, "booking_closed")
	_, other := e.Resident(testutil.UniqueCode("other"))
	l.book(t, other, s1.Slots[4].ID, "") // 11:00 closes at 09:00
	// After the session has ended nothing of it can be booked.
	l.clock.Set(time.Date(2026, 9, 22, 22, 0, 0, 0, sep20.Location()))
	_, third := e.Resident(testutil.UniqueCode("third"))
	e.Do("POST", "/api/v1/my/bookings", third, map[string]any{"slot_id": s1.Slots[9].ID}).MustErr(t, 409, "booking_closed")
	e.Do("POST", "/api/v1/my/bookings", third, map[string]any{"slot_id": 99999999}).MustErr(t, 404, "not_found")
}

func TestCheckinCloseAndNoShows(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	_, cadre := e.Staff(l.admin, l.community, "cadre", "cadre_lh")
	var ids [3]int64
	var codes [3]string
	var toks [3]string
	for i := range ids {
		_, toks[i] = e.Resident(testutil.UniqueCode("res"))
		b := l.book(t, toks[i], s1.Slots[i].ID, fmt.Sprintf("事项%d", i))
		ids[i], codes[i] = b.ID, b.Code
	}
	// The cadre sees the session in their list and the roster.
	var list struct {
		Items []struct {
			ID        int64  `json:"id"`
			Date      string `json:"date"`
			PointName string `json:"point_name"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/work/sessions", cadre, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 3 || list.Items[0].ID != s1.ID || list.Items[0].PointName == "" {
		t.Fatalf("work list = %+v", list.Items)
	}
	path := fmt.Sprintf("/api/v1/work/sessions/%d", s1.ID)
	// Not on the session's day.
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": codes[0]}).MustErr(t, 409, "not_session_day")
	e.Do("POST", path+"/close", cadre, map[string]string{"summary": "x"}).MustErr(t, 409, "not_session_day")

	l.clock.Set(time.Date(2026, 9, 22, 9, 5, 0, 0, sep20.Location()))
	wrong := "ZZZZZZ"
	if wrong == codes[0] {
		wrong = "YYYYYY"
	}
	r := e.Do("POST", path+"/checkin", cadre, map[string]string{"code": wrong}).MustErr(t, 404, "not_found")
	if !strings.Contains(r.Msg, "签到码") {
		t.Fatalf("unclear message %q", r.Msg)
	}
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": "0O1I"}).MustErr(t, 400, "invalid_argument")
	var in struct {
		Status    string `json:"status"`
		CheckedIn bool   `json:"checked_in"`
	}
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": strings.ToLower(codes[0])}).Must(t, 200).Decode(t, &in)
	if in.Status != "checked_in" || !in.CheckedIn {
		t.Fatalf("checkin = %+v", in)
	}
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": codes[0]}).MustErr(t, 409, "invalid_transition")
	// The QR payload works as well; one of another session does not.
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": fmt.Sprintf("ZLBK:%d:%s", s1.ID, codes[1])}).Must(t, 200)
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": fmt.Sprintf("ZLBK:%d:%s", s1.ID+1, codes[2])}).MustErr(t, 400, "invalid_argument")

	var roster struct {
		Bookings []struct {
			ID        int64  `json:"id"`
			Topic     string `json:"topic"`
			CheckedIn bool   `json:"checked_in"`
		} `json:"bookings"`
		CheckedIn int `json:"checked_in"`
	}
	e.Do("GET", path, cadre, nil).Must(t, 200).Decode(t, &roster)
	if len(roster.Bookings) != 3 || roster.CheckedIn != 2 || roster.Bookings[2].Topic != "事项2" || roster.Bookings[2].CheckedIn {
		t.Fatalf("roster = %+v", roster)
	}
	if strings.Contains(e.Do("GET", path, cadre, nil).M(t)["bookings"].([]any)[0].(map[string]any)["topic"].(string), "code") {
		t.Fatal("unexpected")
	}

	var closed struct {
		Status    string  `json:"status"`
		Attendees int     `json:"attendees"`
		NoShows   int     `json:"no_shows"`
		Summary   string  `json:"summary"`
		Collected *int    `json:"collected"`
		ClosedAt  *string `json:"closed_at"`
	}
	e.Do("POST", path+"/close", cadre, map[string]string{"summary": "收集群众意见 3 条"}).Must(t, 200).Decode(t, &closed)
	if closed.Status != "closed" || closed.Attendees != 2 || closed.NoShows != 1 || closed.Summary != "收集群众意见 3 条" || closed.ClosedAt == nil {
		t.Fatalf("close = %+v", closed)
	}
	e.Do("POST", path+"/close", cadre, map[string]string{"summary": "again"}).MustErr(t, 409, "invalid_transition")
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": codes[2]}).MustErr(t, 409, "invalid_transition")
	var b bookingOut
	e.Do("GET", fmt.Sprintf("/api/v1/my/bookings/%d", ids[2]), toks[2], nil).Must(t, 200).Decode(t, &b)
	if b.Status != "no_show" {
		t.Fatalf("absent resident's booking is %s", b.Status)
	}
}

func TestNoShowJobIsIdempotent(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1, s2 := l.session(t, "2026-09-22"), l.session(t, "2026-09-29")
	_, a := e.Resident(testutil.UniqueCode("a"))
	_, b := e.Resident(testutil.UniqueCode("b"))
	ba := l.book(t, a, s1.Slots[0].ID, "")
	bb := l.book(t, b, s1.Slots[9].ID, "") // 20:30–21:00
	later := l.book(t, a, s2.Slots[0].ID, "")
	status := func(tok string, id int64) (string, string) {
		m := e.Do("GET", fmt.Sprintf("/api/v1/my/bookings/%d", id), tok, nil).Must(t, 200).M(t)
		return m["status"].(string), fmt.Sprint(m["created_at"])
	}
	ctx := context.Background()
	// During the session (after the morning) nothing is marked: the session has not ended.
	l.clock.Set(time.Date(2026, 9, 22, 13, 0, 0, 0, sep20.Location()))
	if err := e.App.Jobs.MarkNoShows(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := status(a, ba.ID); st != "booked" {
		t.Fatalf("marked before the session ended: %s", st)
	}
	l.clock.Set(time.Date(2026, 9, 22, 21, 30, 0, 0, sep20.Location()))
	for run := 0; run < 2; run++ {
		if err := e.App.Jobs.MarkNoShows(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := status(a, ba.ID); st != "no_show" {
			t.Fatalf("run %d: %s", run, st)
		}
		if st, _ := status(b, bb.ID); st != "no_show" {
			t.Fatalf("run %d: %s", run, st)
		}
		if st, _ := status(a, later.ID); st != "booked" {
			t.Fatalf("run %d: next week's booking is %s", run, st)
		}
	}
	var marked, seatsHeld int
	e.App.DB.Raw("SELECT COUNT(*) FROM bookings WHERE status = 'no_show' AND no_show_at IS NOT NULL").Row().Scan(&marked)
	e.App.DB.Raw("SELECT booked FROM slots WHERE id = ?", s1.Slots[0].ID).Row().Scan(&seatsHeld)
	if marked != 2 || seatsHeld != 1 {
		t.Fatalf("marked %d, seats %d", marked, seatsHeld)
	}
	if !strings.Contains(e.LogText(), `"marked":0`) && !strings.Contains(e.LogText(), "marked=0") {
		t.Fatalf("second run should mark nothing: %s", e.LogText())
	}
}

func TestAdminCancelsSession(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	var toks []string
	var ids []int64
	for i := 0; i < 3; i++ {
		_, tok := e.Resident(testutil.UniqueCode("c"))
		toks = append(toks, tok)
		ids = append(ids, l.book(t, tok, s1.Slots[0].ID, "").ID)
	}
	path := fmt.Sprintf("/api/v1/admin/sessions/%d/cancel", s1.ID)
	e.Do("POST", path, l.admin, map[string]string{}).MustErr(t, 400, "invalid_argument")
	var out struct {
		Status       string `json:"status"`
		CancelReason string `json:"cancel_reason"`
	}
	e.Do("POST", path, l.admin, map[string]string{"reason": "台风停工"}).Must(t, 200).Decode(t, &out)
	if out.Status != "cancelled" || out.CancelReason != "台风停工" {
		t.Fatalf("cancel = %+v", out)
	}
	for i, id := range ids {
		var b bookingOut
		e.Do("GET", fmt.Sprintf("/api/v1/my/bookings/%d", id), toks[i], nil).Must(t, 200).Decode(t, &b)
		if b.Status != "cancelled" {
			t.Fatalf("booking %d is %s", id, b.Status)
		}
	}
	if booked, active, _ := seats(t, e, s1.Slots[0].ID); booked != 0 || active != 0 {
		t.Fatalf("seats %d/%d after cancellation", booked, active)
	}
	if s := l.session(t, "2026-09-22"); s.Status != "cancelled" || s.Slots[0].Remaining != 0 || s.Slots[0].Bookable {
		t.Fatalf("listed as %+v", s)
	}
	_, tok := e.Resident(testutil.UniqueCode("c"))
	e.Do("POST", "/api/v1/my/bookings", tok, map[string]any{"slot_id": s1.Slots[1].ID}).MustErr(t, 409, "booking_closed")
	e.Do("POST", path, l.admin, map[string]string{"reason": "again"}).MustErr(t, 409, "invalid_transition")
	// The daily job does not bring a cancelled session back.
	if err := e.App.Jobs.GenerateSessions(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := l.session(t, "2026-09-22"); s.Status != "cancelled" {
		t.Fatalf("regenerated: %+v", s)
	}
	var audits int
	e.App.DB.Raw("SELECT COUNT(*) FROM audit_logs WHERE action = 'session.cancel'").Row().Scan(&audits)
	if audits != 1 {
		t.Fatalf("%d audit rows", audits)
	}
}

func TestExtraSession(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	path := fmt.Sprintf("/api/v1/admin/points/%d/sessions", l.point)
	// A make-up session on the National Day holiday's Tuesday, evening only.
	var s struct {
		ID     int64  `json:"id"`
		Date   string `json:"date"`
		Kind   string `json:"kind"`
		Status string `json:"status"`
	}
	e.Do("POST", path, l.admin, map[string]any{"date": "2026-10-08", "windows": []map[string]string{{"start": "19:00", "end": "20:00"}}, "reason": "补开"}).
		Must(t, 201).Decode(t, &s)
	if s.Kind != "extra" || s.Date != "2026-10-08" || s.Status != "open" {
		t.Fatalf("extra = %+v", s)
	}
	if got := l.session(t, "2026-10-08"); len(got.Slots) != 2 {
		t.Fatalf("extra slots %+v", got.Slots)
	}
	e.Do("POST", path, l.admin, map[string]any{"date": "2026-10-08"}).MustErr(t, 409, "already_exists")
	e.Do("POST", path, l.admin, map[string]any{"date": "2026-09-22"}).MustErr(t, 409, "already_exists")
	e.Do("POST", path, l.admin, map[string]any{"date": "2026-09-19"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", path, l.admin, map[string]any{"date": "2026/10/09"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", path, l.admin, map[string]any{"date": "2026-10-09", "windows": []map[string]string{{"start": "20:00", "end": "19:00"}}}).MustErr(t, 400, "invalid_argument")
	// Today, from now on, with the rule's windows: the morning has begun but the evening is ahead.
	e.Do("POST", path, l.admin, map[string]any{"date": "2026-09-20"}).Must(t, 201)
}

func TestRuleChangeKeepsBookedSlots(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	_, alice := e.Resident(testutil.UniqueCode("keep"))
	_, bob := e.Resident(testutil.UniqueCode("gone"))
	kept := l.book(t, alice, s1.Slots[4].ID, "") // 11:00
	tmp := l.book(t, bob, s1.Slots[7].ID, "")    // 19:30, then cancelled
	e.Do("POST", fmt.Sprintf("/api/v1/my/bookings/%d/cancel", tmp.ID), bob, nil).Must(t, 200)

	// Mornings only, 09:00–10:00, in 30-minute slots of 8.
	l.putRule(t, map[string]any{"weekday": 2, "windows": []map[string]string{{"start": "09:00", "end": "10:00"}}, "slot_minutes": 30,
		"slot_capacity": 8, "open_days_ahead": 28, "cutoff_hours": 2})
	got := l.session(t, "2026-09-22")
	var starts []string
	for _, s := range got.Slots {
		starts = append(starts, s.StartAt[11:16])
	}
	if strings.Join(starts, ",") != "09:00,09:30,11:00" {
		t.Fatalf("slots after the change: %v", starts)
	}
	if got.Slots[0].Capacity != 8 || got.Slots[2].ID != kept.SlotID || got.Slots[2].Remaining != 4 {
		t.Fatalf("slots %+v", got.Slots)
	}
	if other := l.session(t, "2026-09-29"); len(other.Slots) != 2 {
		t.Fatalf("unbooked session not reshaped: %+v", other.Slots)
	}
	// The cancelled booking's slot is withdrawn, not deleted.
	var withdrawn int
	e.App.DB.Raw("SELECT withdrawn FROM slots WHERE id = ?", tmp.SlotID).Row().Scan(&withdrawn)
	if withdrawn != 1 {
		t.Fatal("slot with booking history was not kept as withdrawn")
	}
	e.Do("POST", "/api/v1/my/bookings", bob, map[string]any{"slot_id": tmp.SlotID}).MustErr(t, 409, "booking_closed")

	// Wednesdays instead: the booked Tuesday stays, the empty ones go.
	out := l.putRule(t, map[string]any{"weekday": 3, "windows": []map[string]string{{"start": "14:00", "end": "16:00"}}, "slot_minutes": 60,
		"slot_capacity": 5, "open_days_ahead": 28, "cutoff_hours": 2})
	if strings.Join(out.Upcoming, ",") != "2026-09-23,2026-09-30,2026-10-14" {
		t.Fatalf("wednesdays = %v (2026-10-07 is a holiday)", out.Upcoming)
	}
	var dates []string
	for _, s := range l.sessions(t) {
		dates = append(dates, s.Date)
	}
	if strings.Join(dates, ",") != "2026-09-22,2026-09-23,2026-09-30,2026-10-14" {
		t.Fatalf("sessions = %v", dates)
	}
	var b bookingOut
	e.Do("GET", fmt.Sprintf("/api/v1/my/bookings/%d", kept.ID), alice, nil).Must(t, 200).Decode(t, &b)
	if b.Status != "booked" {
		t.Fatalf("kept booking is %s", b.Status)
	}
	if booked, active, _ := seats(t, e, kept.SlotID); booked != 1 || active != 1 {
		t.Fatalf("seats %d/%d", booked, active)
	}
}

func TestPointsAdminAndPublic(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	other := e.Org(l.admin, l.town, "community", "石湾社区")
	far := e.Do("POST", "/api/v1/admin/points", l.admin, map[string]any{
		"org_id": other, "name": "石湾驿站", "address": "石湾路 8 号", "lat": 23.0, "lng": 113.1, "notes": "二楼",
	}).Must(t, 201).ID(t)
	noLoc := e.Do("POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": other, "name": "无坐标点", "address": "某路"}).Must(t, 201).ID(t)
	// Nearest first from a spot next to the Lianhua point; unlocated last.
	var page struct {
		Items []struct {
			ID        int64  `json:"id"`
			DistanceM *int64 `json:"distance_m"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	e.Do("GET", "/api/v1/points?lat=23.0269&lng=113.1215", "", nil).Must(t, 200).Decode(t, &page)
	if len(page.Items) != 3 || page.Items[0].ID != l.point || page.Items[1].ID != far || page.Items[2].ID != noLoc ||
		page.Items[0].DistanceM == nil || *page.Items[0].DistanceM > 50 || page.Items[2].DistanceM != nil {
		t.Fatalf("nearest = %+v", page.Items)
	}
	// Keyset pages of one.
	var seen []int64
	cursor := ""
	for i := 0; i < 5; i++ {
		e.Do("GET", "/api/v1/points?lat=23.0269&lng=113.1215&page_size=1&cursor="+cursor, "", nil).Must(t, 200).Decode(t, &page)
		for _, it := range page.Items {
			seen = append(seen, it.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if fmt.Sprint(seen) != fmt.Sprint([]int64{l.point, far, noLoc}) {
		t.Fatalf("paged = %v", seen)
	}
	e.Do("GET", fmt.Sprintf("/api/v1/points?org_id=%d", other), "", nil).Must(t, 200).Decode(t, &page)
	if len(page.Items) != 2 {
		t.Fatalf("org filter = %+v", page.Items)
	}
	// Host team: a cadre of the community or its town; others are refused.
	townCadre, _ := e.Staff(l.admin, l.town, "cadre", "town_cadre")
	otherCadre, _ := e.Staff(l.admin, other, "cadre", "other_cadre")
	townAdmin, _ := e.Staff(l.admin, l.town, "admin", "town_admin")
	pp := fmt.Sprintf("/api/v1/admin/points/%d", l.point)
	e.Do("PATCH", pp, l.admin, map[string]any{"host_account_ids": []int64{otherCadre}}).MustErr(t, 400, "invalid_argument")
	e.Do("PATCH", pp, l.admin, map[string]any{"host_account_ids": []int64{townAdmin}}).MustErr(t, 400, "invalid_argument")
	e.Do("PATCH", pp, l.admin, map[string]any{"host_account_ids": []int64{999999}}).MustErr(t, 400, "invalid_argument")
	m := e.Do("PATCH", pp, l.admin, map[string]any{"host_account_ids": []int64{townCadre}, "notes": "周二上午"}).Must(t, 200).M(t)
	if hosts := m["hosts"].([]any); len(hosts) != 1 || m["notes"] != "周二上午" {
		t.Fatalf("patched = %v", m)
	}
	// PUT is the same edit as PATCH: fields left out stay.
	m = e.Do("PUT", pp, l.admin, map[string]any{"notes": "周二全天"}).Must(t, 200).M(t)
	if m["notes"] != "周二全天" || len(m["hosts"].([]any)) != 1 {
		t.Fatalf("put = %v", m)
	}
	pub := e.Do("GET", fmt.Sprintf("/api/v1/points/%d", l.point), "", nil).Must(t, 200).M(t)
	if h := pub["hosts"].([]any)[0].(map[string]any); h["account_id"] != nil || h["name"] == "" {
		t.Fatalf("public host = %v", h)
	}
	e.Do("POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": other, "name": "石湾驿站", "address": "x"}).MustErr(t, 409, "already_exists")
	e.Do("POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": l.town, "name": "镇级点", "address": "x"}).MustErr(t, 400, "invalid_argument")
	// Deactivated: gone from the public list and its page; the admin still sees it.
	e.Do("PATCH", fmt.Sprintf("/api/v1/admin/points/%d", far), l.admin, map[string]any{"active": false}).Must(t, 200)
	e.Do("GET", fmt.Sprintf("/api/v1/points/%d", far), "", nil).MustErr(t, 404, "not_found")
	e.Do("GET", fmt.Sprintf("/api/v1/admin/points/%d", far), l.admin, nil).Must(t, 200)
	// Delete: refused once bookings exist, fine otherwise.
	e.Do("DELETE", fmt.Sprintf("/api/v1/admin/points/%d", noLoc), l.admin, nil).Must(t, 200)
	e.Do("GET", fmt.Sprintf("/api/v1/admin/points/%d", noLoc), l.admin, nil).MustErr(t, 404, "not_found")
	_, res := e.Resident(testutil.UniqueCode("d"))
	l.book(t, res, l.session(t, "2026-09-22").Slots[0].ID, "")
	e.Do("DELETE", pp, l.admin, nil).MustErr(t, 409, "conflict")

	// The mini-program code to post at the point.
	r := e.Do("GET", pp+"/wxacode", l.admin, nil).Must(t, 200)
	if r.Header.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix(r.Raw, []byte{0xFF, 0xD8}) {
		t.Fatalf("code: %s %x", r.Header.Get("Content-Type"), r.Raw[:4])
	}
}

func TestSessionAuthorization(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	s1 := l.session(t, "2026-09-22")
	_, resident := e.Resident(testutil.UniqueCode("z"))
	b := l.book(t, resident, s1.Slots[0].ID, "")

	// Another district's admin and cadre see nothing of it.
	nanhai := e.Org(l.admin, e.RootOrgID(), "district", "南海区")
	nhTown := e.Org(l.admin, nanhai, "town", "桂城街道")
	_, nhAdmin := e.Staff(l.admin, nanhai, "admin", "nh_admin")
	_, nhCadre := e.Staff(l.admin, nhTown, "cadre", "nh_cadre")
	pp := fmt.Sprintf("/api/v1/admin/points/%d", l.point)
	e.Do("GET", pp, nhAdmin, nil).MustErr(t, 404, "not_found")
	e.Do("PATCH", pp, nhAdmin, map[string]any{"name": "x"}).MustErr(t, 404, "not_found")
	e.Do("PUT", pp+"/schedule", nhAdmin, map[string]any{"windows": []map[string]string{{"start": "09:00", "end": "10:00"}}}).MustErr(t, 404, "not_found")
	e.Do("POST", pp+"/sessions", nhAdmin, map[string]any{"date": "2026-10-09"}).MustErr(t, 404, "not_found")
	e.Do("GET", pp+"/wxacode", nhAdmin, nil).MustErr(t, 404, "not_found")
	e.Do("DELETE", pp, nhAdmin, nil).MustErr(t, 404, "not_found")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/sessions/%d/cancel", s1.ID), nhAdmin, map[string]string{"reason": "x"}).MustErr(t, 404, "not_found")
	e.Do("POST", "/api/v1/admin/points", nhAdmin, map[string]any{"org_id": l.community, "name": "x", "address": "y"}).MustErr(t, 404, "not_found")
	var page struct {
		Items []any `json:"items"`
	}
	e.Do("GET", "/api/v1/admin/points", nhAdmin, nil).Must(t, 200).Decode(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("other district lists %v", page.Items)
	}
	wp := fmt.Sprintf("/api/v1/work/sessions/%d", s1.ID)
	e.Do("GET", wp, nhCadre, nil).MustErr(t, 404, "not_found")
	e.Do("POST", wp+"/checkin", nhCadre, map[string]string{"code": b.Code}).MustErr(t, 404, "not_found")
	e.Do("POST", wp+"/close", nhCadre, map[string]string{"summary": "x"}).MustErr(t, 404, "not_found")
	e.Do("GET", "/api/v1/work/sessions", nhCadre, nil).Must(t, 200).Decode(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("other cadre lists %v", page.Items)
	}
	// A host from another town reaches the session through the host team.
	// (Hosts must belong to the community or its town, so make one there and move nothing.)
	hostID, host := e.Staff(l.admin, l.town, "cadre", "host_cadre")
	e.Do("PATCH", pp, l.admin, map[string]any{"host_account_ids": []int64{hostID}}).Must(t, 200)
	e.Do("GET", wp, host, nil).Must(t, 200)

	// Residents never reach /work or /admin; anonymous callers never reach /my.
	e.Do("GET", "/api/v1/work/sessions", resident, nil).MustErr(t, 403, "forbidden")
	e.Do("GET", wp, resident, nil).MustErr(t, 403, "forbidden")
	e.Do("POST", wp+"/checkin", resident, map[string]string{"code": b.Code}).MustErr(t, 403, "forbidden")
	e.Do("GET", "/api/v1/admin/points", resident, nil).MustErr(t, 403, "forbidden")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/sessions/%d/cancel", s1.ID), resident, map[string]string{"reason": "x"}).MustErr(t, 403, "forbidden")
	e.Do("GET", "/api/v1/my/bookings", "", nil).MustErr(t, 401, "unauthorized")
	// Staff cannot book.
	e.Do("POST", "/api/v1/my/bookings", l.admin, map[string]any{"slot_id": s1.Slots[1].ID}).MustErr(t, 403, "forbidden")
	// A cadre of the town cannot administer points.
	e.Do("GET", "/api/v1/admin/points", host, nil).MustErr(t, 403, "forbidden")
}

func TestSessionsBadInputNever500(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	_, res := e.Resident(testutil.UniqueCode("bad"))
	_, cadre := e.Staff(l.admin, l.community, "cadre", "bad_cadre")
	s1 := l.session(t, "2026-09-22")
	pp := fmt.Sprintf("/api/v1/admin/points/%d", l.point)
	long := strings.Repeat("长", 201)
	cases := []struct {
		method, path, token string
		body                any
	}{
		{"GET", "/api/v1/points?lat=abc&lng=1", "", nil},
		{"GET", "/api/v1/points?lat=91&lng=1", "", nil},
		{"GET", "/api/v1/points?lat=23", "", nil},
		{"GET", "/api/v1/points?cursor=!!!", "", nil},
		{"GET", "/api/v1/points?lat=23&lng=113&cursor=bm9wZQ", "", nil},
		{"GET", "/api/v1/points?page_size=500", "", nil},
		{"GET", "/api/v1/points?org_id=-1", "", nil},
		{"GET", "/api/v1/points/abc", "", nil},
		{"GET", "/api/v1/points/0/sessions", "", nil},
		{"POST", "/api/v1/admin/points", l.admin, "{"},
		{"POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": l.community, "name": "", "address": "x"}},
		{"POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": l.community, "name": "x", "address": "y", "lat": 23}},
		{"POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": l.community, "name": "x", "address": "y", "lat": 200, "lng": 1}},
		{"POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": "x", "name": "x", "address": "y"}},
		{"POST", "/api/v1/admin/points", l.admin, map[string]any{"org_id": l.community, "name": "x", "address": long}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{}}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{{"start": "25:00", "end": "26:00"}}}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{{"start": "9:00", "end": "10:00"}}}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}}}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"weekday": 8, "windows": []map[string]string{{"start": "09:00", "end": "10:00"}}}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{{"start": "09:00", "end": "09:10"}}, "slot_minutes": 30}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{{"start": "09:00", "end": "10:00"}}, "slot_capacity": 0}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{{"start": "09:00", "end": "10:00"}}, "open_days_ahead": 1000}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": []map[string]string{{"start": "09:00", "end": "10:00"}}, "cutoff_hours": -1}},
		{"PUT", pp + "/schedule", l.admin, map[string]any{"windows": "09:00-10:00"}},
		{"POST", pp + "/sessions", l.admin, map[string]any{"date": "tomorrow"}},
		{"POST", pp + "/sessions", l.admin, map[string]any{"date": "2030-01-01"}},
		{"POST", fmt.Sprintf("/api/v1/admin/sessions/%d/cancel", s1.ID), l.admin, map[string]any{"reason": long}},
		{"POST", "/api/v1/admin/sessions/abc/cancel", l.admin, map[string]any{"reason": "x"}},
		{"POST", "/api/v1/my/bookings", res, map[string]any{}},
		{"POST", "/api/v1/my/bookings", res, map[string]any{"slot_id": -4}},
		{"POST", "/api/v1/my/bookings", res, map[string]any{"slot_id": s1.Slots[0].ID, "topic": long}},
		{"POST", "/api/v1/my/bookings", res, map[string]any{"slot_id": s1.Slots[0].ID, "request_id": 0}},
		{"POST", "/api/v1/my/bookings", res, map[string]any{"slot_id": "1"}},
		{"POST", "/api/v1/my/bookings", res, "null"},
		{"GET", "/api/v1/my/bookings?status=weird", res, nil},
		{"GET", "/api/v1/my/bookings?cursor=!!", res, nil},
		{"POST", "/api/v1/my/bookings/abc/cancel", res, nil},
		{"POST", fmt.Sprintf("/api/v1/work/sessions/%d/checkin", s1.ID), cadre, map[string]any{"code": ""}},
		{"POST", fmt.Sprintf("/api/v1/work/sessions/%d/checkin", s1.ID), cadre, map[string]any{"code": 12}},
		{"POST", fmt.Sprintf("/api/v1/work/sessions/%d/close", s1.ID), cadre, map[string]any{"summary": strings.Repeat("x", 2001)}},
		{"GET", "/api/v1/work/sessions?cursor=xyz", cadre, nil},
		{"GET", "/api/v1/work/sessions/99999999", cadre, nil},
	}
	for _, c := range cases {
		r := e.Do(c.method, c.path, c.token, c.body)
		if r.Status >= 500 || r.Status < 400 || r.Code == "" || r.Msg == "" {
			t.Errorf("%s %s %v → %d %s", c.method, c.path, c.body, r.Status, r.Raw)
		}
	}
	// Nothing was written by the refused calls.
	var n int
	e.App.DB.Raw("SELECT COUNT(*) FROM bookings").Row().Scan(&n)
	if n != 0 {
		t.Fatalf("%d bookings written by bad input", n)
	}
	if got := l.session(t, "2026-09-22"); len(got.Slots) != 10 {
		t.Fatal("a refused rule changed the slots")
	}
}
