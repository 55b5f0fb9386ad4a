package service

import (
	"context"

	"zhilian/model"
)

// TargetDirectory reads the orgs and staff an item may be handed to.
type TargetDirectory interface {
	Subtree(ctx context.Context, path string, activeOnly bool) ([]model.Org, error)
	// StaffOf lists the accounts of one org (not its subtree), by name.
	StaffOf(ctx context.Context, orgID int64) ([]model.Account, error)
}

// WorkTargets answers who and where a cadre may hand an item to — assignees,
// transfer targets, departments to invite — by the same rules the actions
// check, so that clients offer only choices the server will accept.
type WorkTargets struct {
	work *Work
	dir  TargetDirectory
}

// NewWorkTargets builds the targets reader.
func NewWorkTargets(work *Work, dir TargetDirectory) *WorkTargets {
	return &WorkTargets{work: work, dir: dir}
}

// Targets are the choices of an item's assign, transfer and invite actions.
type Targets struct {
	Assignees   []model.Account
	Transfer    []model.Org
	Departments []model.Org
}

// For lists the targets of an item the caller may act on (an invited
// department's staff get forbidden, as for the actions themselves).
func (t *WorkTargets) For(ctx context.Context, p *model.Principal, id int64) (*Targets, error) {
	r, err := t.work.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	out := &Targets{Assignees: []model.Account{}, Transfer: []model.Org{}, Departments: []model.Org{}}
	staff, err := t.dir.StaffOf(ctx, r.HandlingOrgID)
	if err != nil {
		return nil, err
	}
	for _, a := range staff { // Assign: an active staff member of the handling org
		if a.Active() && a.Role.StaffRole() && a.OrgID == r.HandlingOrgID {
			out.Assignees = append(out.Assignees, a)
		}
	}
	reach := parentPath(p.OrgPath)
	if reach == "" {
		reach = p.OrgPath
	}
	orgs, err := t.dir.Subtree(ctx, reach, true)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs { // Transfer: a town or community within TransferReach, not the current one
		if o.ID != r.HandlingOrgID && (o.Kind == model.OrgTown || o.Kind == model.OrgCommunity) && TransferReach(p.OrgPath, o.Path) {
			out.Transfer = append(out.Transfer, o)
		}
	}
	city := "/" + firstID(r.OrgPath) + "/"
	all, err := t.dir.Subtree(ctx, city, true)
	if err != nil {
		return nil, err
	}
	for i := range all { // Invite: a department of the item's district or of the city
		if invitable(&all[i], r.OrgPath) {
			out.Departments = append(out.Departments, all[i])
		}
	}
	return out, nil
}

// firstID is the root of a materialised path ("/1/4/9/" → "1").
func firstID(path string) string {
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			return path[1:i]
		}
	}
	return ""
}
