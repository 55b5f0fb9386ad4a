package service

import (
	"context"
	"strings"

	"zhilian/model"
)

// StaffItemInput is an item a cadre records on a resident's behalf (a phone
// call, a home visit, a walk-in at the office).
type StaffItemInput struct {
	CategoryID  int64
	Content     string
	CommunityID int64
	Source      model.RequestSource // staff (default) or walk_in
	Name        string
	Phone       string
	Residency   *model.Residency
	Address     string
	SessionID   *int64 // set for items raised at a liaison session (source session)
	ResidentID  *int64 // the resident's account, when they booked the session
}

// Record creates an item for a community in the caller's jurisdiction. It is
// counted and followed like a resident's; the phone is sealed at rest.
func (w *Work) Record(ctx context.Context, p *model.Principal, actor model.Actor, in StaffItemInput) (*WorkDetail, error) {
	if !p.IsStaff() {
		return nil, model.ErrForbidden
	}
	switch in.Source {
	case "":
		in.Source = model.SourceStaff
	case model.SourceStaff, model.SourceWalkIn:
	case model.SourceSession:
		if in.SessionID == nil {
			return nil, model.Invalid("接访登记须关联接访场次")
		}
	default:
		return nil, model.Invalid("source 须为 staff 或 walk_in")
	}
	content, err := model.ValidateContent(in.Content)
	if err != nil {
		return nil, err
	}
	var phone *model.SealedPhone
	if in.Phone = strings.TrimSpace(in.Phone); in.Phone != "" {
		if err := model.ValidatePhone(in.Phone); err != nil {
			return nil, err
		}
		enc, err := w.sealer.Seal(in.Phone, ContactPurpose)
		if err != nil {
			return nil, err
		}
		phone = &model.SealedPhone{Enc: enc, Hash: w.sealer.Hash(in.Phone, ContactPurpose)}
	}
	cat, err := w.categories.Get(ctx, in.CategoryID)
	if err != nil && !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if err != nil || !cat.Active {
		return nil, model.Invalid("所选类别不存在或已停用")
	}
	community, town, err := w.residentsS.communityAndTown(ctx, in.CommunityID)
	if err != nil {
		return nil, err
	}
	if !p.Reaches(community.Path) {
		return nil, model.Invalid("只能为本辖区的社区登记诉求")
	}
	now := w.now()
	acceptDue, err := w.calendar.AcceptDue(ctx, cat, now)
	if err != nil {
		return nil, err
	}
	resolveDue, err := w.calendar.ResolveDue(ctx, cat, now)
	if err != nil {
		return nil, err
	}
	recipients, err := w.repo.Notifiable(ctx, town.ID, "")
	if err != nil {
		return nil, err
	}
	req, ev, err := model.NewRequest(model.NewRequestInput{ResidentID: in.ResidentID, SessionID: in.SessionID,
		Source: in.Source, CategoryID: cat.ID, Content: content,
		CommunityID: community.ID, HandlingOrg: town, Residency: in.Residency, Address: in.Address,
		AcceptDueAt: acceptDue, ResolveDueAt: resolveDue, ContactName: in.Name, ContactPhone: phone}, actor, now)
	if err != nil {
		return nil, err
	}
	if _, err := w.requests.Submit(ctx, NewRequestRecord{Request: req, Event: ev,
		Notify: func(r *model.Request) []*model.OutboxMessage { return staffNewItem(r, recipients, p.ID, now) }}); err != nil {
		return nil, err
	}
	return w.detail(ctx, p, req, p.Reaches(req.OrgPath))
}
