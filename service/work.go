package service

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"zhilian/model"
)

// WorkRepo is what the cadre side reads beyond requests themselves.
type WorkRepo interface {
	StaffDirectory
	// Inbox lists requests in a jurisdiction by due time, then id.
	Inbox(ctx context.Context, f model.InboxFilter) (model.Page[model.Request], error)
	// DueBetween lists open requests due in (from, to], by id after afterID.
	DueBetween(ctx context.Context, from, to time.Time, afterID int64, limit int) ([]model.Request, error)
	Invitation(ctx context.Context, id int64) (*model.Invitation, error)
	Invitations(ctx context.Context, f model.InvitationFilter) (model.Page[model.Invitation], error)
	// Invited reports whether the department was ever invited on the request.
	Invited(ctx context.Context, requestID, departmentID int64) (bool, error)
	// AnswerInvitation locks the invitation's request, then the invitation,
	// applies change and saves both sides' rows in one transaction.
	AnswerInvitation(ctx context.Context, id int64,
		change func(*model.Invitation, *model.Request) (*model.RequestEvent, []*model.OutboxMessage, error)) (*model.Invitation, error)
	// InvitationCounts counts open invitations per department, for departments
	// in deptPath's subtree or requests in requestPath's subtree.
	InvitationCounts(ctx context.Context, deptPath, requestPath string, now time.Time) ([]model.InvitationCount, error)
}

// ContactPurpose binds sealed phones of items recorded by staff to their field.
const ContactPurpose = "request.contact_phone"

// Work is the cadre side of requests: the inbox of a jurisdiction, the
// state machine's actions, items recorded by staff, and invitations (约请).
type Work struct {
	repo       WorkRepo
	requests   RequestRepo
	residentsS *Requests
	residents  ResidentRepo
	orgs       OrgReader
	accounts   AccountReader
	categories CategoryReader
	calendar   *Calendar
	sealer     PhoneSealer
	now        func() time.Time
	log        *slog.Logger
}

// WorkDeps are the collaborators of Work.
type WorkDeps struct {
	Repo       WorkRepo
	Requests   RequestRepo
	Submitter  *Requests // the resident side: community checks and details
	Residents  ResidentRepo
	Orgs       OrgReader
	Accounts   AccountReader
	Categories CategoryReader
	Calendar   *Calendar
	Sealer     PhoneSealer
	Now        func() time.Time
	Log        *slog.Logger
}

// NewWork builds the cadre side.
func NewWork(d WorkDeps) *Work {
	return &Work{repo: d.Repo, requests: d.Requests, residentsS: d.Submitter, residents: d.Residents, orgs: d.Orgs,
		accounts: d.Accounts, categories: d.Categories, calendar: d.Calendar, sealer: d.Sealer, now: d.Now, log: d.Log}
}

// Now is the service's clock (flags in responses are computed with it).
func (w *Work) Now() time.Time { return w.now() }

// DueClock is the moment flags are computed at: overdue before Now, due soon
// up to SoonLimit (the end of the next working day).
type DueClock struct {
	Now       time.Time
	SoonLimit time.Time
}

func (w *Work) clock(ctx context.Context) (DueClock, error) {
	now := w.now()
	soon, err := w.calendar.SoonLimit(ctx, now)
	return DueClock{Now: now, SoonLimit: soon}, err
}

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

// Contact is the person an item is about, as the viewer may see them.
type Contact struct {
	Name        string
	Phone       string // unmasked, or masked (138****5678), or ""
	PhoneMasked bool
}

// WorkDetail is a request with everything a cadre needs to handle it.
type WorkDetail struct {
	*model.Request
	Timeline    []model.RequestEvent // internal and public
	Images      []RequestImage
	Contact     Contact
	Invitations []model.Invitation
	Clock       DueClock
	CanAct      bool // the caller's jurisdiction holds the item
}

// errWorkNotFound is what staff get for items outside their reach.
var errWorkNotFound = model.E(model.CodeNotFound, "诉求不存在")

// visible loads a request the caller may see: inside their jurisdiction, or
// one their department was invited on. canAct says which.
func (w *Work) visible(ctx context.Context, p *model.Principal, id int64) (*model.Request, bool, error) {
	if !p.IsStaff() {
		return nil, false, errWorkNotFound
	}
	r, err := w.requests.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, false, errWorkNotFound
		}
		return nil, false, err
	}
	if p.Reaches(r.OrgPath) {
		return r, true, nil
	}
	if p.OrgKind == model.OrgDepartment {
		invited, err := w.repo.Invited(ctx, r.ID, p.OrgID)
		if err != nil {
			return nil, false, err
		}
		if invited {
			return r, false, nil
		}
	}
	return nil, false, errWorkNotFound
}

// CanView implements RequestGuard for staff: the jurisdiction, or an invited
// department; residents are asked of the resident side.
func (w *Work) CanView(ctx context.Context, p *model.Principal, requestID int64) (bool, error) {
	if !p.IsStaff() {
		return w.residentsS.CanView(ctx, p, requestID)
	}
	_, _, err := w.visible(ctx, p, requestID)
	if model.IsCode(err, model.CodeNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Detail returns an item with its whole timeline, photos, contact, invitations and due times.
func (w *Work) Detail(ctx context.Context, p *model.Principal, id int64) (*WorkDetail, error) {
	r, canAct, err := w.visible(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return w.detail(ctx, p, r, canAct)
}

func (w *Work) detail(ctx context.Context, p *model.Principal, r *model.Request, canAct bool) (*WorkDetail, error) {
	events, err := w.requests.Events(ctx, r.ID, false)
	if err != nil {
		return nil, err
	}
	images, err := w.requests.Images(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	invs, err := w.repo.Invitations(ctx, model.InvitationFilter{RequestID: r.ID, Size: 50})
	if err != nil {
		return nil, err
	}
	contact, err := w.contact(ctx, p, r)
	if err != nil {
		return nil, err
	}
	clk, err := w.clock(ctx)
	if err != nil {
		return nil, err
	}
	return &WorkDetail{Request: r, Timeline: events, Images: images, Contact: contact, Invitations: invs.Items,
		Clock: clk, CanAct: canAct}, nil
}

// contact opens the phone of the item's person for staff of the handling org
// (model.PhoneVisibleTo) and masks it for everyone else.
func (w *Work) contact(ctx context.Context, p *model.Principal, r *model.Request) (Contact, error) {
	var c Contact
	var sealed []byte
	purpose := ContactPurpose
	var residentID int64
	if r.ResidentID != nil {
		residentID = *r.ResidentID
		res, err := w.residents.Get(ctx, residentID)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return c, err
		}
		if res != nil {
			c.Name, sealed, purpose = res.Name, res.PhoneEnc, PhonePurpose
		}
	} else {
		c.Name, sealed = r.ContactName, r.ContactPhoneEnc
	}
	if len(sealed) == 0 {
		return c, nil
	}
	phone, err := w.sealer.Open(sealed, purpose)
	if err != nil {
		w.log.ErrorContext(ctx, "contact phone unreadable with the configured keys", "request_id", r.ID)
		return c, nil
	}
	if model.PhoneVisibleTo(p, residentID, r.OrgPath) {
		c.Phone = phone
		return c, nil
	}
	c.Phone, c.PhoneMasked = model.MaskPhone(phone), true
	return c, nil
}

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

var _ RequestGuard = (*Work)(nil)
