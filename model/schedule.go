package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Window is a time window of a session day, in minutes after midnight (Asia/Shanghai).
type Window struct {
	Start int // minutes after midnight
	End   int
}

// ParseClock reads "HH:MM" (00:00–24:00) as minutes after midnight.
func ParseClock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, Invalid("时间须为 HH:MM：%s", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || h > 24 || m < 0 || m > 59 || h == 24 && m != 0 {
		return 0, Invalid("时间须为 HH:MM：%s", s)
	}
	return h*60 + m, nil
}

// FormatClock writes minutes after midnight as HH:MM.
func FormatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// StartClock is the window's start as HH:MM.
func (w Window) StartClock() string { return FormatClock(w.Start) }

// EndClock is the window's end as HH:MM.
func (w Window) EndClock() string { return FormatClock(w.End) }

// Windows is a day's list of windows, sorted and not overlapping.
type Windows []Window

// NewWindows validates (start, end) pairs of HH:MM and sorts them.
func NewWindows(pairs [][2]string) (Windows, error) {
	if len(pairs) == 0 {
		return nil, Invalid("至少需要一个接访时段")
	}
	if len(pairs) > 4 {
		return nil, Invalid("接访时段不能超过 4 个")
	}
	ws := make(Windows, 0, len(pairs))
	for _, p := range pairs {
		s, err := ParseClock(p[0])
		if err != nil {
			return nil, err
		}
		e, err := ParseClock(p[1])
		if err != nil {
			return nil, err
		}
		if e <= s {
			return nil, Invalid("时段 %s–%s 的结束时间须晚于开始时间", p[0], p[1])
		}
		ws = append(ws, Window{s, e})
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].Start < ws[j].Start })
	for i := 1; i < len(ws); i++ {
		if ws[i].Start < ws[i-1].End {
			return nil, Invalid("接访时段不能重叠")
		}
	}
	return ws, nil
}

// ParseWindows reads the stored form "09:00-12:00,19:00-21:00".
func ParseWindows(s string) (Windows, error) {
	var pairs [][2]string
	for _, part := range strings.Split(s, ",") {
		a, b, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return nil, Invalid("时段格式不正确：%s", part)
		}
		pairs = append(pairs, [2]string{a, b})
	}
	return NewWindows(pairs)
}

// String is the stored form "09:00-12:00,19:00-21:00".
func (ws Windows) String() string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.StartClock() + "-" + w.EndClock()
	}
	return strings.Join(parts, ",")
}

// Schedule is a point's weekly rule. Weekday is ISO (1 Monday … 7 Sunday).
type Schedule struct {
	PointID       int64 `gorm:"primaryKey;autoIncrement:false"`
	Weekday       int
	WindowsText   string `gorm:"column:windows"`
	SlotMinutes   int
	SlotCapacity  int
	OpenDaysAhead int
	CutoffHours   int
	UpdatedBy     int64
	UpdatedAt     time.Time
}

// TableName is point_schedules.
func (Schedule) TableName() string { return "point_schedules" }

// Schedule defaults.
const (
	DefaultWeekday       = 2 // Tuesday
	DefaultSlotMinutes   = 30
	DefaultSlotCapacity  = 5
	DefaultOpenDaysAhead = 14
	DefaultCutoffHours   = 12
)

// NewSchedule validates a weekly rule.
func NewSchedule(pointID int64, weekday int, ws Windows, slotMinutes, capacity, daysAhead, cutoffHours int, by int64, now time.Time) (*Schedule, error) {
	if weekday < 1 || weekday > 7 {
		return nil, Invalid("weekday 须为 1（周一）到 7（周日）")
	}
	if slotMinutes < 5 || slotMinutes > 240 {
		return nil, Invalid("slot_minutes 须为 5–240")
	}
	if capacity < 1 || capacity > 200 {
		return nil, Invalid("slot_capacity 须为 1–200")
	}
	if daysAhead < 1 || daysAhead > 90 {
		return nil, Invalid("open_days_ahead 须为 1–90")
	}
	if cutoffHours < 0 || cutoffHours > 168 {
		return nil, Invalid("cutoff_hours 须为 0–168")
	}
	for _, w := range ws {
		if w.End-w.Start < slotMinutes {
			return nil, Invalid("时段 %s–%s 短于一个预约时段（%d 分钟）", w.StartClock(), w.EndClock(), slotMinutes)
		}
	}
	return &Schedule{PointID: pointID, Weekday: weekday, WindowsText: ws.String(), SlotMinutes: slotMinutes,
		SlotCapacity: capacity, OpenDaysAhead: daysAhead, CutoffHours: cutoffHours, UpdatedBy: by, UpdatedAt: now}, nil
}

// Windows parses the stored windows.
func (s *Schedule) Windows() Windows {
	ws, _ := ParseWindows(s.WindowsText)
	return ws
}

// ISOWeekday is t's weekday in Asia/Shanghai, 1 Monday … 7 Sunday.
func ISOWeekday(t time.Time) int {
	wd := int(t.In(Shanghai).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// SessionKind says where a session came from.
type SessionKind string

// Session kinds.
const (
	SessionRegular SessionKind = "regular" // generated from the weekly rule
	SessionExtra   SessionKind = "extra"   // added by an admin (extra or make-up)
)

// SessionStatus of a liaison session.
type SessionStatus string

// Session statuses: open → closed | cancelled.
const (
	SessionOpen      SessionStatus = "open"
	SessionClosed    SessionStatus = "closed"
	SessionCancelled SessionStatus = "cancelled"
)

// LiaisonSession is one day of a point's sessions (the Tuesday sitting).
type LiaisonSession struct {
	ID           int64 `gorm:"primaryKey"`
	PointID      int64
	Date         string
	Kind         SessionKind
	Status       SessionStatus
	WindowsText  string `gorm:"column:windows"`
	StartsAt     time.Time
	EndsAt       time.Time
	Reason       string
	CancelReason string
	CancelledAt  *time.Time
	CancelledBy  *int64
	Summary      *string
	ClosedAt     *time.Time
	ClosedBy     *int64
	Attendees    *int
	NoShows      *int
	Collected    *int
	SolvedOnSpot *int
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Read-only, filled by joins.
	PointName    string `gorm:"->"`
	PointAddress string `gorm:"->"`
	OrgID        int64  `gorm:"->"` // the point's community
	OrgPath      string `gorm:"->"`
	// Slots are loaded separately (not a column).
	Slots []Slot `gorm:"-"`
}

// TableName is liaison_sessions.
func (LiaisonSession) TableName() string { return "liaison_sessions" }

// Slot is a bookable time slot of a session. Booked counts its bookings that
// are not cancelled; it never exceeds Capacity.
type Slot struct {
	ID        int64 `gorm:"primaryKey"`
	SessionID int64
	StartAt   time.Time
	EndAt     time.Time
	ClosesAt  time.Time
	Capacity  int
	Booked    int
	Withdrawn bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Remaining is the number of seats left.
func (s *Slot) Remaining() int {
	if s.Withdrawn || s.Booked >= s.Capacity {
		return 0
	}
	return s.Capacity - s.Booked
}

// Bookable reports whether the slot takes bookings at now (seats aside).
func (s *Slot) Bookable(now time.Time) bool { return s.open(now) == nil }

// open says why the slot takes no booking at now, seats aside: withdrawn, or
// past its cut-off.
func (s *Slot) open(now time.Time) error {
	if s.Withdrawn {
		return ErrSlotWithdrawn
	}
	if !now.Before(s.ClosesAt) {
		return E(CodeBookingClosed, "该时段已过预约截止时间")
	}
	return nil
}

// ErrSlotWithdrawn refuses a booking of a slot that was withdrawn (or removed).
var ErrSlotWithdrawn = E(CodeBookingClosed, "该时段已取消，请选择其他时段")

// CanBook decides whether a resident holding future upcoming bookings may
// book the slot of session sess at now. Seats are not counted here: the
// store's guarded increment takes one or none under concurrency, and NoSeat
// says why it took none.
func (s *Slot) CanBook(sess *LiaisonSession, future int, now time.Time) error {
	if sess.Status != SessionOpen {
		return E(CodeBookingClosed, "该场接访已取消或已结束，不能预约")
	}
	if err := s.open(now); err != nil {
		return err
	}
	if future >= MaxFutureBookings {
		return E(CodeBookingLimit, fmt.Sprintf("最多同时持有 %d 个未到期的预约，请先取消或等待已有预约结束", MaxFutureBookings))
	}
	return nil
}

// NoSeat says why no seat of the slot (its state read again, under lock) was
// taken at now: withdrawn, past its cut-off, or else full.
func (s *Slot) NoSeat(now time.Time) error {
	if err := s.open(now); err != nil {
		return err
	}
	return E(CodeSlotFull, "该时段已约满，请选择其他时段")
}

// CutSlots cuts a day's windows into slots of the given length; a remainder
// shorter than a slot is dropped. Each slot closes cutoff before it starts.
func CutSlots(day time.Time, ws Windows, minutes, capacity int, cutoff time.Duration, now time.Time) []Slot {
	day = DayOf(day)
	var out []Slot
	for _, w := range ws {
		for m := w.Start; m+minutes <= w.End; m += minutes {
			start := day.Add(time.Duration(m) * time.Minute)
			out = append(out, Slot{StartAt: start, EndAt: start.Add(time.Duration(minutes) * time.Minute),
				ClosesAt: start.Add(-cutoff), Capacity: capacity, CreatedAt: now, UpdatedAt: now})
		}
	}
	return out
}

// NewSession builds a session of a point on a day with its slots.
func NewSession(pointID int64, day time.Time, kind SessionKind, ws Windows, minutes, capacity int, cutoff time.Duration, reason string, now time.Time) (*LiaisonSession, error) {
	slots := CutSlots(day, ws, minutes, capacity, cutoff, now)
	if len(slots) == 0 {
		return nil, Invalid("接访时段短于一个预约时段")
	}
	d := DayOf(day)
	return &LiaisonSession{PointID: pointID, Date: FormatDate(d), Kind: kind, Status: SessionOpen, WindowsText: ws.String(),
		StartsAt: d.Add(time.Duration(ws[0].Start) * time.Minute), EndsAt: d.Add(time.Duration(ws[len(ws)-1].End) * time.Minute),
		Reason: reason, CreatedAt: now, UpdatedAt: now, Slots: slots}, nil
}

// Day is the session's business day (midnight, Asia/Shanghai).
func (s *LiaisonSession) Day() time.Time {
	d, _ := ParseDate(s.Date)
	return d
}

// OnSessionDay checks that now falls on the session's date (Asia/Shanghai).
func (s *LiaisonSession) OnSessionDay(now time.Time) error {
	if FormatDate(now) != s.Date {
		return E(CodeNotSessionDay, fmt.Sprintf("只能在接访当天（%s）办理", s.Date))
	}
	return nil
}

// statusText names a session status for messages.
func (st SessionStatus) statusText() string {
	switch st {
	case SessionOpen:
		return "进行中"
	case SessionClosed:
		return "已结束"
	case SessionCancelled:
		return "已取消"
	}
	return string(st)
}

// Cancel calls the session off; its bookings are cancelled by the caller.
func (s *LiaisonSession) Cancel(reason string, by int64, now time.Time) error {
	if s.Status != SessionOpen {
		return Transition("取消接访", s.Status.statusText())
	}
	if !now.Before(s.EndsAt) {
		return E(CodeConflict, "接访已结束，不能取消")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 200 {
		return Invalid("取消原因须为 1–200 个字符")
	}
	s.Status, s.CancelReason, s.CancelledAt, s.CancelledBy, s.UpdatedAt = SessionCancelled, reason, &now, &by, now
	return nil
}

// Close ends the session on its day with a summary and the attendance figures.
// SessionTally is what a session's ledger (一表一本一账) records at its close.
type SessionTally struct {
	CheckedIn    int // bookings checked in
	NoShows      int // bookings never checked in
	WalkIns      int // items recorded for people without a WeChat booking
	Collected    int // items recorded at the session (withdrawn excluded)
	SolvedOnSpot int // of those, closed (resolved or responded) on the session's day
}

// Close ends the session on its day with a summary and its tally. Attendance
// is the residents checked in plus the walk-ins recorded without a booking.
func (s *LiaisonSession) Close(summary string, t SessionTally, by int64, now time.Time) error {
	if err := s.OnSessionDay(now); err != nil {
		return err
	}
	if s.Status != SessionOpen {
		return Transition("结束接访", s.Status.statusText())
	}
	summary = strings.TrimSpace(summary)
	if len([]rune(summary)) > 2000 {
		return Invalid("小结不能超过 2000 个字符")
	}
	attendees := t.CheckedIn + t.WalkIns
	s.Status, s.Summary, s.ClosedAt, s.ClosedBy, s.UpdatedAt = SessionClosed, &summary, &now, &by, now
	s.Attendees, s.NoShows, s.Collected, s.SolvedOnSpot = &attendees, &t.NoShows, &t.Collected, &t.SolvedOnSpot
	return nil
}

// Withdraw takes an unbooked slot out of the listing after a rule change.
func (s *Slot) Withdraw(now time.Time) error {
	if s.Booked > 0 {
		return E(CodeConflict, "时段已有预约，不能撤下")
	}
	s.Withdrawn, s.UpdatedAt = true, now
	return nil
}

// Reshape applies a new rule to a slot starting at the same time. A slot
// without bookings takes the new end, cut-off and capacity; a booked slot keeps
// its times (residents were promised them) and its capacity never drops below
// the seats already booked.
func (s *Slot) Reshape(end, closes time.Time, capacity int, now time.Time) {
	if s.Booked == 0 {
		s.EndAt = end
	}
	s.ClosesAt, s.Withdrawn, s.UpdatedAt = closes, false, now
	s.Capacity = max(capacity, s.Booked)
}

// SessionFilter narrows a list of sessions.
type SessionFilter struct {
	PointID   int64
	FromDate  string // inclusive, YYYY-MM-DD
	StaffPath string // cadre's subtree (with HostID: or hosted by)
	HostID    int64
	Cursor    string
	Size      int
}

// SessionReshape is what a rule change does to one stored session: slots to
// insert and delete, or the whole session to drop. Kept slots are edited in place.
type SessionReshape struct {
	Insert      []Slot
	Delete      []int64
	DropSession bool
}

// ruleChangeReason is the cancel reason of a session the new rule no longer has.
const ruleChangeReason = "接访安排调整"

// Reshape fits an open regular session to a changed rule. want is the session
// the new rule would generate on that day, or nil when it has none. Slots with
// bookings are never deleted; unbooked slots that once had a (cancelled)
// booking are withdrawn rather than deleted, to keep the booking history.
// history tells which slots have any booking row.
func (s *LiaisonSession) Reshape(want *LiaisonSession, slots []*Slot, history map[int64]bool, now time.Time) SessionReshape {
	var out SessionReshape
	if s.Status != SessionOpen || s.Kind != SessionRegular {
		return out
	}
	booked, anyHistory := false, false
	for _, sl := range slots {
		booked = booked || sl.Booked > 0
		anyHistory = anyHistory || history[sl.ID]
	}
	if want == nil {
		switch {
		case booked: // residents hold seats: only an admin's cancellation ends it
		case !anyHistory:
			out.DropSession = true
		default:
			s.Status, s.CancelReason, s.CancelledAt, s.UpdatedAt = SessionCancelled, ruleChangeReason, &now, now
			for _, sl := range slots {
				_ = sl.Withdraw(now)
			}
		}
		return out
	}
	wanted := make(map[int64]Slot, len(want.Slots))
	for _, d := range want.Slots {
		wanted[d.StartAt.UnixMilli()] = d
	}
	starts, ends := want.StartsAt, want.EndsAt
	for _, sl := range slots {
		if d, ok := wanted[sl.StartAt.UnixMilli()]; ok {
			sl.Reshape(d.EndAt, d.ClosesAt, d.Capacity, now)
			delete(wanted, sl.StartAt.UnixMilli())
		} else if sl.Booked > 0 {
			// kept as it is
		} else if history[sl.ID] {
			_ = sl.Withdraw(now)
			continue
		} else {
			out.Delete = append(out.Delete, sl.ID)
			continue
		}
		if sl.StartAt.Before(starts) {
			starts = sl.StartAt
		}
		if sl.EndAt.After(ends) {
			ends = sl.EndAt
		}
	}
	for _, d := range want.Slots {
		if _, ok := wanted[d.StartAt.UnixMilli()]; ok {
			d.SessionID = s.ID
			out.Insert = append(out.Insert, d)
		}
	}
	s.WindowsText, s.StartsAt, s.EndsAt, s.UpdatedAt = want.WindowsText, starts, ends, now
	return out
}

// CanCheckIn checks that residents can be checked in now: on the session's
// day, while it is open.
func (s *LiaisonSession) CanCheckIn(now time.Time) error {
	if err := s.OnSessionDay(now); err != nil {
		return err
	}
	if s.Status != SessionOpen {
		return Transition("签到", s.Status.statusText())
	}
	return nil
}
