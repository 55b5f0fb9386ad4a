package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Shanghai is the business time zone (UTC+8 all year; China has no DST).
var Shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// DateLayout is how calendar dates are written: 2026-10-06.
const DateLayout = "2006-01-02"

// DayOf is midnight (Asia/Shanghai) of the business day containing t.
func DayOf(t time.Time) time.Time {
	t = t.In(Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Shanghai)
}

// EndOfDay is the last instant of the business day containing t.
func EndOfDay(t time.Time) time.Time { return DayOf(t).AddDate(0, 0, 1).Add(-time.Second) }

// ParseDate reads YYYY-MM-DD as a business day.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, s, Shanghai)
	if err != nil {
		return time.Time{}, Invalid("日期须为 YYYY-MM-DD：%s", s)
	}
	return t, nil
}

// FormatDate writes t's business day as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.In(Shanghai).Format(DateLayout) }

// CalendarSource says where a day's status comes from.
type CalendarSource string

// Sources of calendar days.
const (
	SourceWeekly    CalendarSource = "weekly"    // an ordinary weekday or weekend
	SourceStatutory CalendarSource = "statutory" // the State Council holiday table
	SourceOverride  CalendarSource = "override"  // an admin's entry
)

// CalendarDay is one business day's status.
type CalendarDay struct {
	Date    string
	Workday bool
	Name    string
	Source  CalendarSource
}

// CalendarOverride is an admin's entry for one day (a holiday or a make-up working day).
type CalendarOverride struct {
	Date      string `gorm:"primaryKey"`
	Workday   bool
	Name      string
	UpdatedBy int64
	UpdatedAt time.Time
}

// NewCalendarOverride validates an override.
func NewCalendarOverride(date string, workday bool, name string, by int64, now time.Time) (*CalendarOverride, error) {
	if _, err := ParseDate(date); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 32 {
		return nil, Invalid("名称不能超过 32 个字符")
	}
	return &CalendarOverride{Date: date, Workday: workday, Name: name, UpdatedBy: by, UpdatedAt: now}, nil
}

// Weekend reports whether t falls on Saturday or Sunday (business time).
func Weekend(t time.Time) bool {
	wd := t.In(Shanghai).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
