package model

import (
	"testing"
	"time"
)

// TestSlotCanBook covers every reason a booking is refused before a seat is
// counted, in the order they are checked.
func TestSlotCanBook(t *testing.T) {
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, Shanghai)
	open := Slot{ID: 1, SessionID: 2, StartAt: now.Add(48 * time.Hour), ClosesAt: now.Add(24 * time.Hour), Capacity: 3}
	cases := []struct {
		name    string
		status  SessionStatus
		slot    func(Slot) Slot
		future  int
		wantErr Code
		wantMsg string
	}{
		{"open slot", SessionOpen, nil, 0, "", ""},
		{"one upcoming booking held", SessionOpen, nil, MaxFutureBookings - 1, "", ""},
		{"a full slot is left to the guarded increment", SessionOpen, func(s Slot) Slot { s.Booked = s.Capacity; return s }, 0, "", ""},
		{"session closed", SessionClosed, nil, 0, CodeBookingClosed, "该场接访已取消或已结束，不能预约"},
		{"session cancelled", SessionCancelled, nil, 0, CodeBookingClosed, "该场接访已取消或已结束，不能预约"},
		{"slot withdrawn", SessionOpen, func(s Slot) Slot { s.Withdrawn = true; return s }, 0, CodeBookingClosed, "该时段已取消，请选择其他时段"},
		{"at the cut-off", SessionOpen, func(s Slot) Slot { s.ClosesAt = now; return s }, 0, CodeBookingClosed, "该时段已过预约截止时间"},
		{"past the cut-off", SessionOpen, func(s Slot) Slot { s.ClosesAt = now.Add(-time.Minute); return s }, 0, CodeBookingClosed, "该时段已过预约截止时间"},
		{"too many upcoming bookings", SessionOpen, nil, MaxFutureBookings, CodeBookingLimit, "最多同时持有 2 个未到期的预约，请先取消或等待已有预约结束"},
		{"session state before slot state", SessionCancelled, func(s Slot) Slot { s.Withdrawn = true; return s }, 5, CodeBookingClosed, "该场接访已取消或已结束，不能预约"},
		{"slot state before the limit", SessionOpen, func(s Slot) Slot { s.Withdrawn = true; return s }, 5, CodeBookingClosed, "该时段已取消，请选择其他时段"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			slot := open
			if c.slot != nil {
				slot = c.slot(open)
			}
			sess := &LiaisonSession{ID: 2, PointID: 3, Status: c.status}
			err := slot.CanBook(sess, c.future, now)
			checkRefusal(t, err, c.wantErr, c.wantMsg)
			if bookable := slot.Bookable(now); bookable != (slot.open(now) == nil) {
				t.Errorf("Bookable = %v, disagrees with CanBook's slot checks", bookable)
			}
		})
	}
}

// TestSlotNoSeat covers why the guarded increment took no seat.
func TestSlotNoSeat(t *testing.T) {
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, Shanghai)
	cases := []struct {
		name    string
		slot    Slot
		wantMsg string
		want    Code
	}{
		{"full", Slot{Capacity: 2, Booked: 2, ClosesAt: now.Add(time.Hour)}, "该时段已约满，请选择其他时段", CodeSlotFull},
		{"withdrawn while booking", Slot{Capacity: 2, Booked: 1, Withdrawn: true, ClosesAt: now.Add(time.Hour)}, "该时段已取消，请选择其他时段", CodeBookingClosed},
		{"closed while booking", Slot{Capacity: 2, Booked: 1, ClosesAt: now}, "该时段已过预约截止时间", CodeBookingClosed},
		{"withdrawn beats full", Slot{Capacity: 1, Booked: 1, Withdrawn: true, ClosesAt: now.Add(time.Hour)}, "该时段已取消，请选择其他时段", CodeBookingClosed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkRefusal(t, c.slot.NoSeat(now), c.want, c.wantMsg)
		})
	}
}

func checkRefusal(t *testing.T, err error, code Code, msg string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	e, ok := AsError(err)
	if !ok || e.Code != code || e.Msg != msg {
		t.Fatalf("got %v, want %s: %s", err, code, msg)
	}
}
