package service

import (
	"context"
	"fmt"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"zhilian/model"
)

// CalendarRepo persists admin overrides of the official calendar.
type CalendarRepo interface {
	Overrides(ctx context.Context, from, to string) (map[string]model.CalendarOverride, error)
	Put(ctx context.Context, o *model.CalendarOverride, audit *model.AuditLog) error
	Delete(ctx context.Context, date string, audit *model.AuditLog) error
}

// Calendar answers which days are working days: weekends off, statutory
// holidays off and make-up days (调休) on, from the State Council tables that
// lunar-go maintains, with admin overrides on top.
type Calendar struct {
	repo CalendarRepo
	now  func() time.Time
}

// NewCalendar builds the calendar.
func NewCalendar(repo CalendarRepo, now func() time.Time) *Calendar {
	return &Calendar{repo: repo, now: now}
}

// statutory looks a day up in the holiday table.
func statutory(day time.Time) (model.CalendarDay, bool) {
	h := HolidayUtil.GetHolidayByYmd(day.Year(), int(day.Month()), day.Day())
	if h == nil {
		return model.CalendarDay{}, false
	}
	return model.CalendarDay{Date: model.FormatDate(day), Workday: h.IsWork(), Name: h.GetName(), Source: model.SourceStatutory}, true
}

// resolve gives a day's status from the overrides already loaded.
func resolve(day time.Time, overrides map[string]model.CalendarOverride) model.CalendarDay {
	date := model.FormatDate(day)
	if o, ok := overrides[date]; ok {
		return model.CalendarDay{Date: date, Workday: o.Workday, Name: o.Name, Source: model.SourceOverride}
	}
	if d, ok := statutory(day); ok {
		return d
	}
	return model.CalendarDay{Date: date, Workday: !model.Weekend(day), Source: model.SourceWeekly}
}

// Day returns one day's status.
func (c *Calendar) Day(ctx context.Context, t time.Time) (model.CalendarDay, error) {
	date := model.FormatDate(t)
	ov, err := c.repo.Overrides(ctx, date, date)
	if err != nil {
		return model.CalendarDay{}, err
	}
	return resolve(model.DayOf(t), ov), nil
}

// Days returns the status of every day in [from, to] (business days).
func (c *Calendar) Days(ctx context.Context, from, to time.Time) ([]model.CalendarDay, error) {
	from, to = model.DayOf(from), model.DayOf(to)
	if to.Before(from) {
		return nil, nil
	}
	ov, err := c.repo.Overrides(ctx, model.FormatDate(from), model.FormatDate(to))
	if err != nil {
		return nil, err
	}
	var out []model.CalendarDay
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		out = append(out, resolve(d, ov))
	}
	return out, nil
}

// AddWorkdays is the deadline n working days after t: the end (23:59:59,
// Asia/Shanghai) of the n-th working day following t's day. n = 0 is the end of t's day.
func (c *Calendar) AddWorkdays(ctx context.Context, t time.Time, n int) (time.Time, error) {
	start := model.DayOf(t)
	if n <= 0 {
		return model.EndOfDay(start), nil
	}
	// Look far enough ahead for n working days even across Spring Festival.
	horizon := start.AddDate(0, 0, n*2+30)
	ov, err := c.repo.Overrides(ctx, model.FormatDate(start), model.FormatDate(horizon))
	if err != nil {
		return time.Time{}, err
	}
	d := start
	for left := n; left > 0; {
		d = d.AddDate(0, 0, 1)
		if d.After(horizon) { // overrides made a long run of days off: widen the window
			more, err := c.repo.Overrides(ctx, model.FormatDate(d), model.FormatDate(d.AddDate(0, 0, 366)))
			if err != nil {
				return time.Time{}, err
			}
			for k, v := range more {
				ov[k] = v
			}
			horizon = d.AddDate(0, 0, 366)
		}
		if resolve(d, ov).Workday {
			left--
		}
	}
	return model.EndOfDay(d), nil
}

// WorkdaysBetween counts working days after a's day up to and including b's day.
func (c *Calendar) WorkdaysBetween(ctx context.Context, a, b time.Time) (int, error) {
	days, err := c.Days(ctx, model.DayOf(a).AddDate(0, 0, 1), b)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range days {
		if d.Workday {
			n++
		}
	}
	return n, nil
}

// Year lists a year's special days: statutory holidays and make-up days, and overrides.
func (c *Calendar) Year(ctx context.Context, year int) ([]model.CalendarDay, error) {
	if year < 2002 || year > 2100 {
		return nil, model.Invalid("年份超出范围")
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, model.Shanghai)
	days, err := c.Days(ctx, from, from.AddDate(1, 0, -1))
	if err != nil {
		return nil, err
	}
	out := []model.CalendarDay{}
	for _, d := range days {
		if d.Source != model.SourceWeekly {
			out = append(out, d)
		}
	}
	return out, nil
}

// Override sets a day's status; only city-level admins change the city's calendar.
func (c *Calendar) Override(ctx context.Context, p *model.Principal, actor model.Actor, date string, workday bool, name string) (*model.CalendarOverride, error) {
	if err := rootAdmin(p, "仅市级管理员可以修改节假日日历"); err != nil {
		return nil, err
	}
	now := c.now()
	o, err := model.NewCalendarOverride(date, workday, name, p.ID, now)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("workday=%t name=%s", workday, o.Name)
	return o, c.repo.Put(ctx, o, actor.Audit("calendar.override", "calendar", dateKey(date), detail, now))
}

// ClearOverride removes an override: the official calendar applies again.
func (c *Calendar) ClearOverride(ctx context.Context, p *model.Principal, actor model.Actor, date string) error {
	if err := rootAdmin(p, "仅市级管理员可以修改节假日日历"); err != nil {
		return err
	}
	if _, err := model.ParseDate(date); err != nil {
		return err
	}
	return c.repo.Delete(ctx, date, actor.Audit("calendar.clear", "calendar", dateKey(date), date, c.now()))
}

// dateKey turns 2026-10-06 into 20261006 for audit target ids.
func dateKey(date string) int64 {
	var n int64
	for _, r := range date {
		if r >= '0' && r <= '9' {
			n = n*10 + int64(r-'0')
		}
	}
	return n
}

// ThisYear is the current business year.
func (c *Calendar) ThisYear() int { return c.now().In(model.Shanghai).Year() }
