package service

import (
	"context"
	"time"

	"zhilian/model"
)

// SessionRange lists a point's sessions between two dates, any status.
type SessionRange interface {
	Between(ctx context.Context, pointID int64, from, to string) ([]model.LiaisonSession, error)
}

// MaxCalendarDays bounds one calendar query (a little over six months).
const MaxCalendarDays = 190

// PointCalendar shows admins a point's sessions past and future — held,
// closed, cancelled and make-up — for a calendar.
type PointCalendar struct {
	repo   SessionRange
	points *Points
	now    func() time.Time
}

// NewPointCalendar builds the calendar reader.
func NewPointCalendar(repo SessionRange, points *Points, now func() time.Time) *PointCalendar {
	return &PointCalendar{repo: repo, points: points, now: now}
}

// Now is the calendar's clock (for seats still bookable).
func (s *PointCalendar) Now() time.Time { return s.now() }

// Sessions lists the sessions of a point in the admin's subtree dated in
// [from, to) (YYYY-MM-DD, Asia/Shanghai). An empty from is the first day of
// this month; an empty to is one month after from.
func (s *PointCalendar) Sessions(ctx context.Context, p *model.Principal, pointID int64, from, to string) ([]model.LiaisonSession, string, string, error) {
	start := model.DayOf(s.now())
	start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, model.Shanghai)
	if from != "" {
		d, err := model.ParseDate(from)
		if err != nil {
			return nil, "", "", model.Invalid("from 须为 YYYY-MM-DD 格式的日期")
		}
		start = d
	}
	end := start.AddDate(0, 1, 0)
	if to != "" {
		d, err := model.ParseDate(to)
		if err != nil {
			return nil, "", "", model.Invalid("to 须为 YYYY-MM-DD 格式的日期")
		}
		end = d
	}
	if !end.After(start) {
		return nil, "", "", model.Invalid("to 须晚于 from")
	}
	if end.Sub(start) > MaxCalendarDays*24*time.Hour {
		return nil, "", "", model.Invalid("一次最多查询 %d 天", MaxCalendarDays)
	}
	pt, err := s.points.Get(ctx, p, pointID)
	if err != nil {
		return nil, "", "", err
	}
	f, t := model.FormatDate(start), model.FormatDate(end)
	list, err := s.repo.Between(ctx, pt.ID, f, t)
	if err != nil {
		return nil, "", "", err
	}
	return list, f, t, nil
}
