package model

import (
	"fmt"
	"time"
)

// Actions of merging duplicates and of following an item.
const (
	ActMerge   RequestAction = "merge"    // the duplicate: open → merged, linked to its primary
	ActMergeIn RequestAction = "merge_in" // the primary: a duplicate was merged into it (internal)
	ActOutcome RequestAction = "outcome"  // a merged item: its primary closed → the primary's outcome
)

// MergeInto closes r as a duplicate of primary: r (open) → merged, linked to
// primary, whose outcome it takes when primary closes (TakeOutcome). The
// primary must be accepted or long-term: its outcome is then certain to come
// (an accepted item is never withdrawn or rejected). It returns r's public
// event and primary's internal one.
func (r *Request) MergeInto(primary *Request, by Actor, note string, now time.Time) (dup, prim *RequestEvent, err error) {
	note, err = text(note, "合并说明", false)
	if err != nil {
		return nil, nil, err
	}
	if primary == nil || primary.ID == r.ID {
		return nil, nil, Invalid("须合并到另一条诉求")
	}
	if primary.Status != StatusAccepted && primary.Status != StatusLongTerm {
		return nil, nil, E(CodeInvalidTransition, fmt.Sprintf("只能合并到已受理、正在办理的诉求（%s 当前%s）",
			primary.Number, primary.Status.Label()))
	}
	public := fmt.Sprintf("已与诉求 %s 合并办理，办理结果将同步告知您", primary.Number)
	if note != "" {
		public += "。" + note
	}
	dup, err = r.move(by, ActMerge, StatusMerged, public, Public, fmt.Sprintf("duplicate_of=%d", primary.ID), now,
		StatusSubmitted, StatusAccepted, StatusLongTerm)
	if err != nil {
		return nil, nil, err
	}
	id := primary.ID
	r.DuplicateOf, r.ReviewDate = &id, nil
	primary.UpdatedAt = now
	prim = primary.event(by, ActMergeIn, primary.Status, primary.Status, fmt.Sprintf("合并了诉求 %s", r.Number),
		Internal, fmt.Sprintf("merged=%d", r.ID), now)
	return dup, prim, nil
}

// Repoint moves an item merged into r on to r's own primary, when r is
// merged in turn: a merged item always points at an open primary.
func (r *Request) Repoint(primary *Request, by Actor, now time.Time) (*RequestEvent, error) {
	if r.Status != StatusMerged {
		return nil, Transition(actionLabels[ActMerge], r.Status.Label())
	}
	id := primary.ID
	r.DuplicateOf, r.UpdatedAt = &id, now
	return r.event(by, ActMerge, StatusMerged, StatusMerged, fmt.Sprintf("随合并改为与诉求 %s 合并办理", primary.Number),
		Public, fmt.Sprintf("duplicate_of=%d", id), now), nil
}

// TakeOutcome closes a merged item with its primary's outcome: merged →
// resolved or responded, with the primary's result, as of now. The resident
// may then rate it and ask for a redo like any closed item.
func (r *Request) TakeOutcome(primary *Request, by Actor, now time.Time) (*RequestEvent, error) {
	if r.Status != StatusMerged || r.DuplicateOf == nil || *r.DuplicateOf != primary.ID {
		return nil, Transition(actionLabels[ActOutcome], r.Status.Label())
	}
	if !primary.Status.Closed() {
		return nil, E(CodeInvalidTransition, "合并的诉求尚未办结")
	}
	e, err := r.move(by, ActOutcome, primary.Status, primary.Result, Public, fmt.Sprintf("primary=%d", primary.ID), now,
		StatusMerged)
	if err != nil {
		return nil, err
	}
	r.Result, r.ClosedAt, r.RatedAt = primary.Result, &now, nil
	return e, nil
}

// Follow is a resident following an item that is not theirs ("我也遇到"):
// counted on the item, listed with its progress, told when it moves.
// ViaRequestID is the resident's own item when it was merged into this one.
type Follow struct {
	RequestID    int64
	ResidentID   int64
	ViaRequestID *int64
	CreatedAt    time.Time
}

// TableName is the followers table.
func (Follow) TableName() string { return "request_followers" }

// CanFollow checks that the resident may follow r: an item still being
// handled, not theirs, not waiting for moderation (those are never shown).
func (r *Request) CanFollow(residentID int64) error {
	if r.FlaggedForReview {
		return ErrNotFound
	}
	if r.OwnedBy(residentID) {
		return E(CodeConflict, "这是您自己提交的诉求，无需关注")
	}
	if !r.Status.Open() {
		return E(CodeInvalidTransition, fmt.Sprintf("该诉求%s，不能再关注", r.Status.Label()))
	}
	return nil
}
