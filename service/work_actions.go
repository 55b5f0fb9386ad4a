package service

import (
	"context"
	"strings"
	"time"

	"zhilian/model"
)

// change runs fn on the locked request when the caller's jurisdiction holds
// it, and returns the item as the caller now sees it.
func (w *Work) change(ctx context.Context, p *model.Principal, cur *model.Request, fn func(r *model.Request) (*RequestEffects, error)) (*WorkDetail, error) {
	r, err := w.requests.Apply(ctx, cur.ID, func(r *model.Request) (*RequestEffects, error) {
		if !p.Reaches(r.OrgPath) {
			return nil, errWorkNotFound
		}
		return fn(r)
	})
	if err != nil {
		return nil, err
	}
	return w.detail(ctx, p, r, p.Reaches(r.OrgPath))
}

// actable loads an item inside the caller's jurisdiction (others: 404).
func (w *Work) actable(ctx context.Context, p *model.Principal, id int64) (*model.Request, error) {
	r, canAct, err := w.visible(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !canAct {
		return nil, model.E(model.CodeForbidden, "受约请部门不能办理该诉求，请通过约请答复")
	}
	return r, nil
}

func events(e *model.RequestEvent) []*model.RequestEvent { return []*model.RequestEvent{e} }

// Accept takes an item in; the close deadline is counted from now.
func (w *Work) Accept(ctx context.Context, p *model.Principal, actor model.Actor, id int64, note string) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	cat, err := w.categories.Get(ctx, cur.CategoryID)
	if err != nil {
		return nil, err
	}
	now := w.now()
	due, err := w.calendar.ResolveDue(ctx, cat, now)
	if err != nil {
		return nil, err
	}
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		e, err := r.Accept(actor, note, now)
		if err != nil {
			return nil, err
		}
		r.ResolveDueAt = due
		return &RequestEffects{Events: events(e),
			Notify: func(r *model.Request) []*model.OutboxMessage { return one(noticeAccepted(r, now)) }}, nil
	})
}

// Reject declines an item; duplicateOf must be another item the caller reaches.
func (w *Work) Reject(ctx context.Context, p *model.Principal, actor model.Actor, id int64, reason string, duplicateOf *int64) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if duplicateOf != nil {
		orig, err := w.requests.Get(ctx, *duplicateOf)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return nil, err
		}
		if err != nil || !p.Reaches(orig.OrgPath) || orig.ID == cur.ID {
			return nil, model.Invalid("duplicate_of 须为辖区内的另一条诉求")
		}
	}
	now := w.now()
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		e, err := r.Reject(actor, reason, duplicateOf, now)
		return &RequestEffects{Events: events(e), WithdrawInvitations: true, Actor: actor}, err
	})
}

// parentPath is the path of the node above the one at path ("" for the root).
func parentPath(path string) string {
	trimmed := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(trimmed, "/")
	if i <= 0 {
		return ""
	}
	return trimmed[:i+1]
}

// TransferReach reports whether staff at orgPath may hand an item to the org
// at target: anywhere under their own org's parent (a town to a sibling town
// of its district, a community to its town or a sibling community), or in
// their own subtree (the city, which has no parent).
func TransferReach(orgPath, target string) bool {
	if up := parentPath(orgPath); up != "" {
		return model.PathContains(up, target)
	}
	return model.PathContains(orgPath, target)
}

// Transfer hands an item to another town or community inside the caller's
// reach (TransferReach), keeping its state and due times.
func (w *Work) Transfer(ctx context.Context, p *model.Principal, actor model.Actor, id, orgID int64, note string) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	to, err := w.orgs.Get(ctx, orgID)
	if err != nil && !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if err != nil || !TransferReach(p.OrgPath, to.Path) {
		return nil, model.Invalid("转办目标机构不存在或不在可转办范围内")
	}
	if to.Kind != model.OrgTown && to.Kind != model.OrgCommunity {
		return nil, model.Invalid("只能转办至镇街或社区；职能部门请使用约请")
	}
	recipients, err := w.repo.Notifiable(ctx, to.ID, "")
	if err != nil {
		return nil, err
	}
	now := w.now()
	r, err := w.requests.Apply(ctx, cur.ID, func(r *model.Request) (*RequestEffects, error) {
		if !p.Reaches(r.OrgPath) {
			return nil, errWorkNotFound
		}
		e, err := r.Transfer(actor, to, note, now)
		return &RequestEffects{Events: events(e), Notify: func(r *model.Request) []*model.OutboxMessage {
			return staffNewItem(r, recipients, p.ID, now)
		}}, err
	})
	if err != nil {
		return nil, err
	}
	return w.detail(ctx, p, r, p.Reaches(r.OrgPath))
}

// Assign gives an item to an active staff member of its handling org.
func (w *Work) Assign(ctx context.Context, p *model.Principal, actor model.Actor, id, accountID int64) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	bad := model.Invalid("只能指派给承办机构的在岗工作人员")
	acc, err := w.accounts.Get(ctx, accountID)
	if err != nil && !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if err != nil || !acc.Active() || !acc.Role.StaffRole() {
		return nil, bad
	}
	now := w.now()
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		if acc.OrgID != r.HandlingOrgID {
			return nil, bad
		}
		e, err := r.Assign(actor, acc.ID, now)
		return &RequestEffects{Events: events(e), Notify: func(r *model.Request) []*model.OutboxMessage {
			return staffAssigned(r, acc.ID, p.ID, now)
		}}, err
	})
}

// Progress records a note, public (the resident sees it) or internal.
func (w *Work) Progress(ctx context.Context, p *model.Principal, actor model.Actor, id int64, note string, public bool) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := w.now()
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		e, err := r.Progress(actor, note, public, now)
		return &RequestEffects{Events: events(e)}, err
	})
}

// CloseInput is a result and optional photos (the caller's uploads).
type CloseInput struct {
	Result   string
	ImageIDs []int64
}

// Resolve closes an item as solved; the resident is told and invited to rate.
func (w *Work) Resolve(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in CloseInput) (*WorkDetail, error) {
	return w.close(ctx, p, actor, id, in, (*model.Request).Resolve)
}

// Respond closes an item with an answer; the resident is told and invited to rate.
func (w *Work) Respond(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in CloseInput) (*WorkDetail, error) {
	return w.close(ctx, p, actor, id, in, (*model.Request).Respond)
}

func (w *Work) close(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in CloseInput,
	step func(*model.Request, model.Actor, string, time.Time) (*model.RequestEvent, error)) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := validateImages(in.ImageIDs); err != nil {
		return nil, err
	}
	now := w.now()
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		e, err := step(r, actor, in.Result, now)
		return &RequestEffects{Events: events(e), Images: in.ImageIDs, ImageStage: "result",
			ImageOwner: p.Kind, ImageOwnerID: p.ID, WithdrawInvitations: true, Actor: actor,
			Notify: func(r *model.Request) []*model.OutboxMessage { return one(noticeClosed(r, now)) }}, err
	})
}

// Park marks an accepted item long-term with a plan and the next review date.
func (w *Work) Park(ctx context.Context, p *model.Principal, actor model.Actor, id int64, plan, reviewDate string) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := w.now()
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		e, err := r.Park(actor, plan, reviewDate, now)
		return &RequestEffects{Events: events(e)}, err
	})
}

// Resume brings a long-term item back to normal handling.
func (w *Work) Resume(ctx context.Context, p *model.Principal, actor model.Actor, id int64, note string) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := w.now()
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		e, err := r.Resume(actor, note, now)
		return &RequestEffects{Events: events(e)}, err
	})
}
