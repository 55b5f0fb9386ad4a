package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhilian/model"
)

// ScheduleRepo persists weekly rules, sessions and slots.
type ScheduleRepo interface {
	Schedule(ctx context.Context, pointID int64) (*model.Schedule, error)
	PutSchedule(ctx context.Context, s *model.Schedule, audit *model.AuditLog) error
	// Scheduled lists the rules of active points.
	Scheduled(ctx context.Context) ([]model.Schedule, error)
	// InsertSession inserts a session with its slots unless the point already
	// has one that day; it reports whether it inserted.
	InsertSession(ctx context.Context, sess *model.LiaisonSession, audit *model.AuditLog) (bool, error)
	// OpenRegularAfter lists a point's open regular sessions dated after date.
	OpenRegularAfter(ctx context.Context, pointID int64, date string) ([]model.LiaisonSession, error)
	// ReshapeSession locks a session and its slots, lets fn change them and applies the result.
	ReshapeSession(ctx context.Context, id int64, fn func(*model.LiaisonSession, []*model.Slot, map[int64]bool) model.SessionReshape) error
	// CancelSession locks a session and its active bookings, lets change cancel
	// them, saves them, returns the seats and writes the audit row.
	CancelSession(ctx context.Context, id int64, change func(*model.LiaisonSession, []*model.Booking) (*model.AuditLog, error)) (*model.LiaisonSession, error)
}

// SessionReader loads one session with its point's org path.
type SessionReader interface {
	GetSession(ctx context.Context, id int64) (*model.LiaisonSession, error)
}

// SessionsCache caches a point's public session list for a few seconds.
type SessionsCache interface {
	Get(ctx context.Context, pointID int64) ([]model.LiaisonSession, bool)
	Set(ctx context.Context, pointID int64, v []model.LiaisonSession)
	Drop(ctx context.Context, pointID int64)
}

// Schedules turns weekly rules into sessions and slots, in Asia/Shanghai,
// skipping statutory holidays; admins add and cancel single sessions.
type Schedules struct {
	repo     ScheduleRepo
	sessions SessionReader
	points   *Points
	calendar *Calendar
	cache    SessionsCache
	now      func() time.Time
}

// NewSchedules builds the schedules service.
func NewSchedules(repo ScheduleRepo, sessions SessionReader, points *Points, calendar *Calendar, cache SessionsCache, now func() time.Time) *Schedules {
	return &Schedules{repo: repo, sessions: sessions, points: points, calendar: calendar, cache: cache, now: now}
}

// ScheduleInput is an admin's weekly rule; zero values take the defaults.
type ScheduleInput struct {
	Weekday       int
	Windows       [][2]string
	SlotMinutes   *int
	SlotCapacity  *int
	OpenDaysAhead *int
	CutoffHours   *int
}

// ScheduleResult is the saved rule and the upcoming sessions it produced.
type ScheduleResult struct {
	Schedule  *model.Schedule
	Generated int
	Upcoming  []string
}

func orDefault(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// skipDay reports whether no regular session is held on a day: a statutory
// holiday or an admin's day off (the weekend itself counts only through a
// rule on a weekday).
func skipDay(d model.CalendarDay) bool { return !d.Workday && d.Source != model.SourceWeekly }

// Get returns a point's rule (not_found when it has none).
func (s *Schedules) Get(ctx context.Context, p *model.Principal, pointID int64) (*model.Schedule, error) {
	if _, err := s.points.Get(ctx, p, pointID); err != nil {
		return nil, err
	}
	sch, err := s.repo.Schedule(ctx, pointID)
	if model.IsCode(err, model.CodeNotFound) {
		return nil, model.E(model.CodeNotFound, "该驻点尚未设置接访规则")
	}
	return sch, err
}

// Put sets a point's weekly rule, reshapes the sessions it already generated
// (never deleting a booked slot) and generates the sessions ahead.
func (s *Schedules) Put(ctx context.Context, p *model.Principal, actor model.Actor, pointID int64, in ScheduleInput) (*ScheduleResult, error) {
	pt, err := s.points.Get(ctx, p, pointID)
	if err != nil {
		return nil, err
	}
	ws, err := model.NewWindows(in.Windows)
	if err != nil {
		return nil, err
	}
	weekday := in.Weekday
	if weekday == 0 {
		weekday = model.DefaultWeekday
	}
	now := s.now()
	sch, err := model.NewSchedule(pt.ID, weekday, ws, orDefault(in.SlotMinutes, model.DefaultSlotMinutes),
		orDefault(in.SlotCapacity, model.DefaultSlotCapacity), orDefault(in.OpenDaysAhead, model.DefaultOpenDaysAhead),
		orDefault(in.CutoffHours, model.DefaultCutoffHours), p.ID, now)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("weekday=%d windows=%s slot=%dmin×%d ahead=%dd cutoff=%dh", sch.Weekday, sch.WindowsText,
		sch.SlotMinutes, sch.SlotCapacity, sch.OpenDaysAhead, sch.CutoffHours)
	if err := s.repo.PutSchedule(ctx, sch, actor.Audit("point.schedule", "point", pt.ID, detail, now)); err != nil {
		return nil, err
	}
	if err := s.reshape(ctx, sch, now); err != nil {
		return nil, err
	}
	n, dates, err := s.generate(ctx, sch, now)
	if err != nil {
		return nil, err
	}
	s.cache.Drop(ctx, pt.ID)
	return &ScheduleResult{Schedule: sch, Generated: n, Upcoming: dates}, nil
}

// want is the session a rule generates on a day, or nil.
func want(sch *model.Schedule, day model.CalendarDay, now time.Time) *model.LiaisonSession {
	d, _ := model.ParseDate(day.Date)
	if model.ISOWeekday(d) != sch.Weekday || skipDay(day) {
		return nil
	}
	sess, err := model.NewSession(sch.PointID, d, model.SessionRegular, sch.Windows(), sch.SlotMinutes, sch.SlotCapacity,
		time.Duration(sch.CutoffHours)*time.Hour, "", now)
	if err != nil {
		return nil
	}
	return sess
}

// reshape fits the point's open regular sessions after today to the rule.
func (s *Schedules) reshape(ctx context.Context, sch *model.Schedule, now time.Time) error {
	today := model.DayOf(now)
	existing, err := s.repo.OpenRegularAfter(ctx, sch.PointID, model.FormatDate(today))
	if err != nil || len(existing) == 0 {
		return err
	}
	last, _ := model.ParseDate(existing[len(existing)-1].Date)
	days, err := s.calendar.Days(ctx, today, last)
	if err != nil {
		return err
	}
	byDate := make(map[string]model.CalendarDay, len(days))
	for _, d := range days {
		byDate[d.Date] = d
	}
	for _, sess := range existing {
		w := want(sch, byDate[sess.Date], now)
		err := s.repo.ReshapeSession(ctx, sess.ID, func(cur *model.LiaisonSession, slots []*model.Slot, history map[int64]bool) model.SessionReshape {
			return cur.Reshape(w, slots, history, now)
		})
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return err
		}
	}
	return nil
}

// generate inserts the rule's sessions from today to the booking horizon;
// sessions already there (open, closed or cancelled) stay as they are.
func (s *Schedules) generate(ctx context.Context, sch *model.Schedule, now time.Time) (int, []string, error) {
	today := model.DayOf(now)
	days, err := s.calendar.Days(ctx, today, today.AddDate(0, 0, sch.OpenDaysAhead))
	if err != nil {
		return 0, nil, err
	}
	n := 0
	dates := []string{}
	for _, d := range days {
		sess := want(sch, d, now)
		if sess == nil || !now.Before(sess.EndsAt) {
			continue
		}
		ok, err := s.repo.InsertSession(ctx, sess, nil)
		if err != nil {
			return n, dates, err
		}
		if ok {
			n++
		}
		dates = append(dates, d.Date)
	}
	return n, dates, nil
}

// GenerateAll keeps every active point's sessions generated up to its
// horizon (the daily job). It is idempotent: unique keys keep one session per
// point and day, and one slot per session and start.
func (s *Schedules) GenerateAll(ctx context.Context) (int, error) {
	rules, err := s.repo.Scheduled(ctx)
	if err != nil {
		return 0, err
	}
	now, total := s.now(), 0
	for i := range rules {
		n, _, err := s.generate(ctx, &rules[i], now)
		if err != nil {
			return total, fmt.Errorf("point %d: %w", rules[i].PointID, err)
		}
		if n > 0 {
			s.cache.Drop(ctx, rules[i].PointID)
		}
		total += n
	}
	return total, nil
}

// ExtraInput is an extra or make-up session: a date from today on, windows
// (the rule's when empty) and an optional reason.
type ExtraInput struct {
	Date    string
	Windows [][2]string
	Reason  string
}

// AddSession adds an extra or make-up session on any date from today on,
// cutting slots as the point's rule says.
func (s *Schedules) AddSession(ctx context.Context, p *model.Principal, actor model.Actor, pointID int64, in ExtraInput) (*model.LiaisonSession, error) {
	pt, err := s.points.Get(ctx, p, pointID)
	if err != nil {
		return nil, err
	}
	if !pt.Active {
		return nil, model.E(model.CodeConflict, "驻点已停用")
	}
	day, err := model.ParseDate(in.Date)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if day.Before(model.DayOf(now)) {
		return nil, model.Invalid("日期不能早于今天")
	}
	if day.After(model.DayOf(now).AddDate(1, 0, 0)) {
		return nil, model.Invalid("只能安排一年以内的接访")
	}
	reason := strings.TrimSpace(in.Reason)
	if len([]rune(reason)) > 200 {
		return nil, model.Invalid("原因不能超过 200 个字符")
	}
	sch, err := s.repo.Schedule(ctx, pt.ID)
	if model.IsCode(err, model.CodeNotFound) {
		return nil, model.E(model.CodeConflict, "请先设置该驻点的每周接访规则（时段长度、容量、截止时间）")
	}
	if err != nil {
		return nil, err
	}
	ws := sch.Windows()
	if len(in.Windows) > 0 {
		if ws, err = model.NewWindows(in.Windows); err != nil {
			return nil, err
		}
	}
	sess, err := model.NewSession(pt.ID, day, model.SessionExtra, ws, sch.SlotMinutes, sch.SlotCapacity,
		time.Duration(sch.CutoffHours)*time.Hour, reason, now)
	if err != nil {
		return nil, err
	}
	if !now.Before(sess.EndsAt) {
		return nil, model.Invalid("所选时段已经结束")
	}
	ok, err := s.repo.InsertSession(ctx, sess, actor.Audit("session.add", "point", pt.ID, fmt.Sprintf("date=%s windows=%s reason=%s", sess.Date, sess.WindowsText, reason), now))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, model.E(model.CodeAlreadyExists, "该驻点当天已有接访安排")
	}
	s.cache.Drop(ctx, pt.ID)
	return s.sessions.GetSession(ctx, sess.ID)
}

// reachSession loads a session whose point is inside the staff member's subtree.
func reachSession(ctx context.Context, r SessionReader, p *model.Principal, id int64) (*model.LiaisonSession, error) {
	sess, err := r.GetSession(ctx, id)
	if model.IsCode(err, model.CodeNotFound) || err == nil && !p.Reaches(sess.OrgPath) {
		return nil, model.E(model.CodeNotFound, "接访场次不存在")
	}
	return sess, err
}

// CancelSession calls a session off: its bookings are cancelled and their
// seats released in the same transaction (where the residents' notices will be
// written too).
func (s *Schedules) CancelSession(ctx context.Context, p *model.Principal, actor model.Actor, id int64, reason string) (*model.LiaisonSession, error) {
	cur, err := reachSession(ctx, s.sessions, p, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	_, err = s.repo.CancelSession(ctx, id, func(sess *model.LiaisonSession, bookings []*model.Booking) (*model.AuditLog, error) {
		if err := sess.Cancel(reason, p.ID, now); err != nil {
			return nil, err
		}
		for _, b := range bookings {
			if err := b.Cancel("接访取消："+sess.CancelReason, true, now); err != nil {
				return nil, err
			}
		}
		return actor.Audit("session.cancel", "session", sess.ID, fmt.Sprintf("bookings=%d reason=%s", len(bookings), sess.CancelReason), now), nil
	})
	if err != nil {
		return nil, err
	}
	s.cache.Drop(ctx, cur.PointID)
	return s.sessions.GetSession(ctx, id)
}
