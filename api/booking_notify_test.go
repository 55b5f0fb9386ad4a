package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// TestBookingNotifications: a booking confirms once, the day-before reminder
// job run twice reminds once per booking, an admin cancellation tells each
// booked resident once.
func TestBookingNotifications(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	ctx := context.Background()
	s1 := l.session(t, "2026-09-22")
	codeA, codeB := testutil.UniqueCode("na"), testutil.UniqueCode("nb")
	_, tokA := e.Resident(codeA)
	_, tokB := e.Resident(codeB)
	bA := l.book(t, tokA, s1.Slots[0].ID, "小区停车难")
	l.book(t, tokB, s1.Slots[1].ID, "")
	e.App.Notifier.Drain(ctx)
	sent := e.Wechat.Sent("fake_" + codeA)
	if len(sent) != 1 || sent[0].TemplateID != "fake-tpl-booking_confirmed" ||
		!strings.Contains(string(sent[0].Data["thing1"]), "莲花社区") || !strings.Contains(string(sent[0].Data["character_string3"]), bA.Code) ||
		!strings.Contains(string(sent[0].Data["time2"]), "2026-09-22 09:00") || sent[0].Page != fmt.Sprintf("pages/bookings/bookings?id=%d", bA.ID) {
		t.Fatalf("confirmation = %+v", sent)
	}

	// Monday 21 September, 18:00: the reminder job, twice.
	l.clock.Set(time.Date(2026, 9, 21, 18, 0, 0, 0, sep20.Location()))
	for i := 0; i < 2; i++ {
		if err := e.App.Jobs.RemindSessions(ctx); err != nil {
			t.Fatal(err)
		}
		e.App.Notifier.Drain(ctx)
	}
	for _, code := range []string{codeA, codeB} {
		var reminders int
		for _, m := range e.Wechat.Sent("fake_" + code) {
			if m.TemplateID == "fake-tpl-session_reminder" {
				reminders++
			}
		}
		if reminders != 1 {
			t.Fatalf("%s got %d reminders", code, reminders)
		}
	}

	// The admin cancels: each booked resident hears once, with the reason.
	e.Do("POST", fmt.Sprintf("/api/v1/admin/sessions/%d/cancel", s1.ID), l.admin, map[string]string{"reason": "台风停工"}).Must(t, 200)
	e.App.Notifier.Drain(ctx)
	for _, code := range []string{codeA, codeB} {
		var cancelled []string
		for _, m := range e.Wechat.Sent("fake_" + code) {
			if m.TemplateID == "fake-tpl-session_cancelled" {
				cancelled = append(cancelled, string(m.Data["thing4"]))
			}
		}
		if len(cancelled) != 1 || !strings.Contains(cancelled[0], "台风停工") {
			t.Fatalf("%s cancellation notices = %v", code, cancelled)
		}
	}
}

func TestPurgeExpiredSignIns(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	tok := e.AdminToken()
	var before int64
	e.App.DB.Table("logins").Count(&before)
	l.clock.Advance(8 * 24 * time.Hour) // past the 7-day login lifetime
	if err := e.App.Jobs.PurgeLogins(context.Background()); err != nil {
		t.Fatal(err)
	}
	var after int64
	e.App.DB.Table("logins").Count(&after)
	if before < 2 || after != 0 {
		t.Fatalf("logins %d → %d", before, after)
	}
	e.Do("GET", "/api/v1/auth/me", tok, nil).MustErr(t, 401, "unauthorized")
}
