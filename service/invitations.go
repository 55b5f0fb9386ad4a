package service

import (
	"context"
	"strings"

	"zhilian/model"
)

// invitable reports whether a department may be invited on an item handled at
// path: departments of the item's district, or of the city.
func invitable(dept *model.Org, handlingPath string) bool {
	if dept.Kind != model.OrgDepartment {
		return false
	}
	up := parentPath(dept.Path) // the department's parent: the city or a district
	ids := strings.Split(strings.Trim(handlingPath, "/"), "/")
	city := "/" + ids[0] + "/"
	return up == city || len(ids) >= 2 && up == city+ids[1]+"/"
}

// Invite asks a department of the item's district, or of the city, to
// co-handle an accepted item (约请) with a message and a due date. The
// department's staff are notified; one open invitation per department.
func (w *Work) Invite(ctx context.Context, p *model.Principal, actor model.Actor, id, departmentID int64, message, dueDate string) (*WorkDetail, error) {
	cur, err := w.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	dept, err := w.orgs.Get(ctx, departmentID)
	if err != nil && !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if err != nil || !invitable(dept, cur.OrgPath) {
		return nil, model.Invalid("只能约请本区或市级的职能部门")
	}
	recipients, err := w.repo.Notifiable(ctx, dept.ID, "")
	if err != nil {
		return nil, err
	}
	now := w.now()
	return w.change(ctx, p, cur, func(r *model.Request) (*RequestEffects, error) {
		e, err := r.Invite(actor, dept.ID, message, now)
		if err != nil {
			return nil, err
		}
		inv, err := model.NewInvitation(r, dept, actor, p.OrgID, message, dueDate, now)
		if err != nil {
			return nil, err
		}
		return &RequestEffects{Events: events(e), Invitation: inv, Notify: func(r *model.Request) []*model.OutboxMessage {
			return invitationNew(inv, r, recipients, now)
		}}, nil
	})
}

// InvitationQuery narrows the invitations list. Side "incoming" (default) is
// invitations of departments in the caller's subtree; "outgoing" is
// invitations on items in the caller's jurisdiction.
type InvitationQuery struct {
	Side   string
	Status model.InvitationStatus
	Cursor string
	Size   int
}

// Invitations lists invitations, open ones first, then by due date.
func (w *Work) Invitations(ctx context.Context, p *model.Principal, q InvitationQuery) (model.Page[model.Invitation], error) {
	var none model.Page[model.Invitation]
	if !p.IsStaff() {
		return none, model.ErrForbidden
	}
	if q.Status != "" && !q.Status.Valid() {
		return none, model.Invalid("status 须为 pending、accepted、declined 或 replied")
	}
	f := model.InvitationFilter{Status: q.Status, Cursor: q.Cursor, Size: q.Size}
	switch q.Side {
	case "", "incoming":
		f.DeptPath = p.OrgPath
	case "outgoing":
		f.RequestPath = p.OrgPath
	default:
		return none, model.Invalid("side 须为 incoming 或 outgoing")
	}
	return w.repo.Invitations(ctx, f)
}

// InvitationSummary counts open invitations per department: departments in
// the caller's subtree, and departments invited on the caller's items.
func (w *Work) InvitationSummary(ctx context.Context, p *model.Principal) ([]model.InvitationCount, error) {
	if !p.IsStaff() {
		return nil, model.ErrForbidden
	}
	return w.repo.InvitationCounts(ctx, p.OrgPath, p.OrgPath, w.now())
}

// answer applies a department's answer to an invitation of a department in
// the caller's subtree; others do not exist for them.
func (w *Work) answer(ctx context.Context, p *model.Principal, id int64,
	step func(v *model.Invitation, reqStatus model.RequestStatus) (*model.RequestEvent, error)) (*model.Invitation, error) {
	notFound := model.E(model.CodeNotFound, "约请不存在")
	if !p.IsStaff() {
		return nil, notFound
	}
	cur, err := w.repo.Invitation(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, notFound
		}
		return nil, err
	}
	dept, err := w.orgs.Get(ctx, cur.DepartmentID)
	if err != nil {
		return nil, err
	}
	if !p.Reaches(dept.Path) {
		return nil, notFound
	}
	now := w.now()
	return w.repo.AnswerInvitation(ctx, id, func(v *model.Invitation, r *model.Request) (*model.RequestEvent, []*model.OutboxMessage, error) {
		e, err := step(v, r.Status)
		if err != nil {
			return nil, nil, err
		}
		return e, []*model.OutboxMessage{invitationAnswered(v, r, now)}, nil
	})
}

// AcceptInvitation is the department taking an invitation on.
func (w *Work) AcceptInvitation(ctx context.Context, p *model.Principal, actor model.Actor, id int64) (*model.Invitation, error) {
	now := w.now()
	return w.answer(ctx, p, id, func(v *model.Invitation, s model.RequestStatus) (*model.RequestEvent, error) {
		return v.Accept(actor, s, now)
	})
}

// DeclineInvitation sends an invitation back with a reason.
func (w *Work) DeclineInvitation(ctx context.Context, p *model.Principal, actor model.Actor, id int64, reason string) (*model.Invitation, error) {
	now := w.now()
	return w.answer(ctx, p, id, func(v *model.Invitation, s model.RequestStatus) (*model.RequestEvent, error) {
		return v.Decline(actor, reason, s, now)
	})
}

// ReplyInvitation answers an invitation, optionally naming a Tuesday session
// the department will attend.
func (w *Work) ReplyInvitation(ctx context.Context, p *model.Principal, actor model.Actor, id int64, message string, sessionID *int64) (*model.Invitation, error) {
	now := w.now()
	return w.answer(ctx, p, id, func(v *model.Invitation, s model.RequestStatus) (*model.RequestEvent, error) {
		return v.Reply(actor, message, sessionID, s, now)
	})
}
