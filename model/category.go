package model

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Category is a kind of request with its time limits (办理时限) in working days.
type Category struct {
	ID          int64 `gorm:"primaryKey"`
	Name        string
	Code        string
	AcceptDays  int
	ResolveDays int
	Priority    bool // one of the city's priority issues
	Active      bool
	Sort        int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Limits on category fields.
const (
	MaxAcceptDays  = 30
	MaxResolveDays = 365
)

var categoryCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// CategoryChange is a partial edit; nil fields stay.
type CategoryChange struct {
	Name        *string
	Code        *string
	AcceptDays  *int
	ResolveDays *int
	Priority    *bool
	Active      *bool
	Sort        *int
}

// NewCategory validates and builds an active category.
func NewCategory(ch CategoryChange, now time.Time) (*Category, error) {
	if ch.Name == nil || ch.Code == nil || ch.AcceptDays == nil || ch.ResolveDays == nil {
		return nil, Invalid("须提供 name、code、accept_days 与 resolve_days")
	}
	c := &Category{Active: true, CreatedAt: now}
	if err := c.Apply(ch, now); err != nil {
		return nil, err
	}
	return c, nil
}

// Apply validates and applies an edit.
func (c *Category) Apply(ch CategoryChange, now time.Time) error {
	next := *c
	if ch.Name != nil {
		name := strings.TrimSpace(*ch.Name)
		if n := utf8.RuneCountInString(name); n < 1 || n > 32 {
			return Invalid("类别名称须为 1–32 个字符")
		}
		next.Name = name
	}
	if ch.Code != nil {
		if !categoryCodeRe.MatchString(*ch.Code) {
			return Invalid("类别代码须为 2–32 位小写字母、数字或下划线，以字母开头")
		}
		next.Code = *ch.Code
	}
	if ch.AcceptDays != nil {
		next.AcceptDays = *ch.AcceptDays
	}
	if ch.ResolveDays != nil {
		next.ResolveDays = *ch.ResolveDays
	}
	if next.AcceptDays < 1 || next.AcceptDays > MaxAcceptDays {
		return Invalid("受理时限须为 1–%d 个工作日", MaxAcceptDays)
	}
	if next.ResolveDays < next.AcceptDays || next.ResolveDays > MaxResolveDays {
		return Invalid("办结时限须不少于受理时限且不超过 %d 个工作日", MaxResolveDays)
	}
	if ch.Priority != nil {
		next.Priority = *ch.Priority
	}
	if ch.Active != nil {
		next.Active = *ch.Active
	}
	if ch.Sort != nil {
		if *ch.Sort < 0 || *ch.Sort > 100000 {
			return Invalid("排序值须为 0–100000")
		}
		next.Sort = *ch.Sort
	}
	next.UpdatedAt = now
	*c = next
	return nil
}
