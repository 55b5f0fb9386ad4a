package service

import (
	"context"
	"strings"

	"zhilian/model"
)

// InboxQuery is the inbox's filters as the client sends them.
type InboxQuery struct {
	Status      model.RequestStatus
	CategoryID  int64
	CommunityID int64
	Assignee    string // "me", "unassigned" or ""
	Overdue     bool
	DueSoon     bool
	Source      model.RequestSource
	Q           string // number prefix
	Cursor      string
	Size        int
}

// Inbox lists the items handled inside the caller's jurisdiction, by due time.
func (w *Work) Inbox(ctx context.Context, p *model.Principal, q InboxQuery) (model.Page[model.Request], DueClock, error) {
	var none model.Page[model.Request]
	if !p.IsStaff() {
		return none, DueClock{}, model.ErrForbidden
	}
	if q.Status != "" && !q.Status.Valid() {
		return none, DueClock{}, model.Invalid("未知的状态：%s", q.Status)
	}
	if q.Source != "" && !q.Source.Valid() {
		return none, DueClock{}, model.Invalid("未知的来源：%s", q.Source)
	}
	q.Q = strings.TrimSpace(q.Q)
	if len(q.Q) > 24 {
		return none, DueClock{}, model.Invalid("编号过长")
	}
	clk, err := w.clock(ctx)
	if err != nil {
		return none, DueClock{}, err
	}
	f := model.InboxFilter{OrgPath: p.OrgPath, Status: q.Status, CategoryID: q.CategoryID, CommunityID: q.CommunityID,
		Overdue: q.Overdue, DueSoon: q.DueSoon, Now: clk.Now, SoonLimit: clk.SoonLimit, Source: q.Source,
		NumberPref: strings.ToUpper(q.Q), Cursor: q.Cursor, Size: q.Size}
	switch q.Assignee {
	case "":
	case "me":
		f.AssigneeID = p.ID
	case "unassigned":
		f.Unassigned = true
	default:
		return none, DueClock{}, model.Invalid("assignee 须为 me 或 unassigned")
	}
	page, err := w.repo.Inbox(ctx, f)
	return page, clk, err
}
