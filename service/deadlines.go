package service

import (
	"context"
	"time"

	"zhilian/model"
)

// AcceptDue is when an item submitted at from must be accepted: the
// category's accept limit in working days on the official calendar.
func (c *Calendar) AcceptDue(ctx context.Context, cat *model.Category, from time.Time) (time.Time, error) {
	return c.AddWorkdays(ctx, from, cat.AcceptDays)
}

// ResolveDue is when an item must be closed, counted in working days from
// from: the submission (a provisional deadline), then the acceptance, then a
// redo. Every due time of a request comes from AcceptDue and ResolveDue.
func (c *Calendar) ResolveDue(ctx context.Context, cat *model.Category, from time.Time) (time.Time, error) {
	return c.AddWorkdays(ctx, from, cat.ResolveDays)
}

// SoonLimit is the end of the next working day after now: an open item due
// by then is "due soon".
func (c *Calendar) SoonLimit(ctx context.Context, now time.Time) (time.Time, error) {
	return c.AddWorkdays(ctx, now, 1)
}
