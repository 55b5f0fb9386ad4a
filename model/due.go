package model

import "time"

// FarFuture is the sort key of items that are no longer being handled: they
// have no due time and list after every open item.
var FarFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Due is the deadline that matters in the current state: accepting while
// submitted, closing while accepted, and the end of the next review day while
// parked (long_term). Closed, rejected and withdrawn items have none
// (FarFuture). The requests table keeps the same rule as the generated column
// due_at (migration 0030), which the inbox sorts and filters on.
func (r *Request) Due() time.Time {
	switch r.Status {
	case StatusSubmitted:
		return r.AcceptDueAt
	case StatusAccepted:
		return r.ResolveDueAt
	case StatusLongTerm:
		if r.ReviewDate != nil {
			if d, err := ParseDate(*r.ReviewDate); err == nil {
				return EndOfDay(d)
			}
		}
		return r.ResolveDueAt
	}
	return FarFuture
}

// Overdue reports whether an open item is past its due time at now (a parked
// item past its review date counts as overdue).
func (r *Request) Overdue(now time.Time) bool {
	return r.Status.Open() && now.After(r.Due())
}

// DueSoon reports whether an open item is not overdue yet but due by limit
// (the end of the next working day).
func (r *Request) DueSoon(now, limit time.Time) bool {
	return r.Status.Open() && !r.Overdue(now) && !r.Due().After(limit)
}

// InboxFilter narrows the cadre inbox. OrgPath is the jurisdiction (required).
type InboxFilter struct {
	OrgPath     string
	Status      RequestStatus // "": every open status
	CategoryID  int64
	CommunityID int64
	AssigneeID  int64 // with Unassigned false: assigned to this account
	Unassigned  bool
	Overdue     bool // due before Now
	DueSoon     bool // due between Now and SoonLimit
	Now         time.Time
	SoonLimit   time.Time
	Source      RequestSource
	NumberPref  string
	Cursor      string
	Size        int
}
