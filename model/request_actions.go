package model

import "time"

type staffTrial struct {
	act RequestAction
	try func(r *Request, by Actor, now time.Time) error
}

// staffTrials are the staff actions of the state machine, each tried with
// arguments its own checks accept, so that only the state guard can refuse.
func staffTrials() []staffTrial {
	return []staffTrial{
		{ActAccept, func(r *Request, by Actor, now time.Time) error { _, err := r.Accept(by, "", now); return err }},
		{ActReject, func(r *Request, by Actor, now time.Time) error { _, err := r.Reject(by, "-", nil, now); return err }},
		{ActProgress, func(r *Request, by Actor, now time.Time) error { _, err := r.Progress(by, "-", false, now); return err }},
		{ActInvite, func(r *Request, by Actor, now time.Time) error { _, err := r.Invite(by, 1, "-", now); return err }},
		{ActResolve, func(r *Request, by Actor, now time.Time) error { _, err := r.Resolve(by, "-", now); return err }},
		{ActRespond, func(r *Request, by Actor, now time.Time) error { _, err := r.Respond(by, "-", now); return err }},
		{ActPark, func(r *Request, by Actor, now time.Time) error {
			_, err := r.Park(by, "-", FormatDate(now.AddDate(0, 0, 2)), now)
			return err
		}},
		{ActResume, func(r *Request, by Actor, now time.Time) error { _, err := r.Resume(by, "", now); return err }},
		{ActTransfer, func(r *Request, by Actor, now time.Time) error {
			_, err := r.Transfer(by, &Org{ID: r.HandlingOrgID + 1, Active: true}, "-", now)
			return err
		}},
		{ActAssign, func(r *Request, by Actor, now time.Time) error { _, err := r.Assign(by, 1, now); return err }},
	}
}

// StaffActions lists the actions staff may take on the request in its
// current state, in the order a desk offers them. Each action's own method
// is run on a copy: the state machine's guards decide, and no second table
// of allowed transitions exists to drift from them. Whether the caller may
// act at all (jurisdiction) is the service's question.
func (r *Request) StaffActions(now time.Time) []RequestAction {
	out := []RequestAction{}
	for _, t := range staffTrials() {
		c := *r
		if err := t.try(&c, Actor{Kind: SubjectStaff}, now); err == nil {
			out = append(out, t.act)
		}
	}
	return out
}

// Label is the action as a button names it (受理, 不予受理, …).
func (a RequestAction) Label() string { return actionLabels[a] }

// Destructive reports whether the action ends the item against the
// resident's wish (不予受理): a desk styles it apart and asks to confirm.
func (a RequestAction) Destructive() bool { return a == ActReject }
