package service

import (
	"context"
	"fmt"
	"time"

	"zhilian/model"
)

// OrgRepo persists the org tree.
type OrgRepo interface {
	OrgReader
	Root(ctx context.Context) (*model.Org, error)
	EnsureRoot(ctx context.Context, build func() model.Org) (*model.Org, error)
	Create(ctx context.Context, o *model.Org, parentPath string, audit func(*model.Org) *model.AuditLog) error
	Update(ctx context.Context, id int64, change func(*model.Org) (*model.AuditLog, error)) (*model.Org, error)
	Delete(ctx context.Context, id int64, audit *model.AuditLog) error
	Children(ctx context.Context, parentID int64, activeOnly bool) ([]model.Org, error)
	Subtree(ctx context.Context, path string, activeOnly bool) ([]model.Org, error)
	ByCode(ctx context.Context, code string) (*model.Org, error)
}

// Orgs manages the org tree.
type Orgs struct {
	repo    OrgRepo
	revoker RevocationSettler
	now     func() time.Time
}

// NewOrgs builds the org service.
func NewOrgs(repo OrgRepo, revoker RevocationSettler, now func() time.Time) *Orgs {
	return &Orgs{repo: repo, revoker: revoker, now: now}
}

// RevocationSettler waits, after a commit that revoked logins, until no
// instance can still use a cached principal of theirs (*Auth).
type RevocationSettler interface {
	SettleRevocations(ctx context.Context)
}

// OrgNode is an org with its children, for tree views.
type OrgNode struct {
	model.Org
	Children []*OrgNode `json:"children"`
}

// BuildTree nests a path-ordered flat list under its first element's level.
func BuildTree(flat []model.Org) []*OrgNode {
	byID := make(map[int64]*OrgNode, len(flat))
	var roots []*OrgNode
	for i := range flat {
		n := &OrgNode{Org: flat[i], Children: []*OrgNode{}}
		byID[n.ID] = n
	}
	for i := range flat {
		n := byID[flat[i].ID]
		if flat[i].ParentID != nil {
			if parent, ok := byID[*flat[i].ParentID]; ok {
				parent.Children = append(parent.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	return roots
}

// PublicTree is the active tree below the root (or below parentID), for pickers.
func (s *Orgs) PublicTree(ctx context.Context, parentID int64) ([]*OrgNode, error) {
	var top *model.Org
	var err error
	if parentID > 0 {
		top, err = s.repo.Get(ctx, parentID)
	} else {
		top, err = s.repo.Root(ctx)
	}
	if err != nil {
		return nil, err
	}
	if !top.Active {
		return nil, model.ErrNotFound
	}
	flat, err := s.repo.Subtree(ctx, top.Path, true)
	if err != nil {
		return nil, err
	}
	return BuildTree(flat), nil
}

// PublicChildren lists the active children of a node (the root when parentID is 0).
func (s *Orgs) PublicChildren(ctx context.Context, parentID int64) ([]model.Org, error) {
	if parentID == 0 {
		root, err := s.repo.Root(ctx)
		if err != nil {
			return nil, err
		}
		parentID = root.ID
	}
	return s.repo.Children(ctx, parentID, true)
}

// Get returns an org inside the admin's subtree.
func (s *Orgs) Get(ctx context.Context, p *model.Principal, id int64) (*model.Org, error) {
	return reachOrg(ctx, s.repo, p, id)
}

// Tree returns the admin's subtree (or the subtree at id inside it), inactive nodes included.
func (s *Orgs) Tree(ctx context.Context, p *model.Principal, id int64) ([]*OrgNode, error) {
	if id == 0 {
		id = p.OrgID
	}
	top, err := reachOrg(ctx, s.repo, p, id)
	if err != nil {
		return nil, err
	}
	flat, err := s.repo.Subtree(ctx, top.Path, false)
	if err != nil {
		return nil, err
	}
	return BuildTree(flat), nil
}

// Children lists the children of a node inside the admin's subtree.
func (s *Orgs) Children(ctx context.Context, p *model.Principal, parentID int64) ([]model.Org, error) {
	if parentID == 0 {
		o, err := reachOrg(ctx, s.repo, p, p.OrgID)
		if err != nil {
			return nil, err
		}
		return []model.Org{*o}, nil
	}
	if _, err := reachOrg(ctx, s.repo, p, parentID); err != nil {
		return nil, err
	}
	return s.repo.Children(ctx, parentID, false)
}

// Create adds a node under a parent inside the admin's subtree.
func (s *Orgs) Create(ctx context.Context, p *model.Principal, actor model.Actor, parentID int64, kind model.OrgKind, name string, code *string) (*model.Org, error) {
	parent, err := reachOrg(ctx, s.repo, p, parentID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	o, err := model.NewChildOrg(parent, kind, name, code, now)
	if err != nil {
		return nil, err
	}
	err = s.repo.Create(ctx, o, parent.Path, func(o *model.Org) *model.AuditLog {
		return actor.Audit("org.create", "org", o.ID, fmt.Sprintf("kind=%s name=%s parent=%d", o.Kind, o.Name, parentID), now)
	})
	return o, err
}

// Rename changes a node's name.
func (s *Orgs) Rename(ctx context.Context, p *model.Principal, actor model.Actor, id int64, name string) (*model.Org, error) {
	if _, err := reachOrg(ctx, s.repo, p, id); err != nil {
		return nil, err
	}
	now := s.now()
	return s.repo.Update(ctx, id, func(o *model.Org) (*model.AuditLog, error) {
		old := o.Name
		if err := o.Rename(name, now); err != nil {
			return nil, err
		}
		return actor.Audit("org.rename", "org", o.ID, old+" → "+o.Name, now), nil
	})
}

// SetActive deactivates or reactivates a node strictly below the admin's own org.
func (s *Orgs) SetActive(ctx context.Context, p *model.Principal, actor model.Actor, id int64, active bool) (*model.Org, error) {
	if _, err := reachOrg(ctx, s.repo, p, id); err != nil {
		return nil, err
	}
	if id == p.OrgID {
		return nil, model.E(model.CodeConflict, "不能停用自己所在的机构")
	}
	now := s.now()
	o, err := s.repo.Update(ctx, id, func(o *model.Org) (*model.AuditLog, error) {
		if active {
			if err := o.Activate(now); err != nil {
				return nil, err
			}
			return actor.Audit("org.activate", "org", o.ID, "", now), nil
		}
		if err := o.Deactivate(now); err != nil {
			return nil, err
		}
		return actor.Audit("org.deactivate", "org", o.ID, "", now), nil
	})
	if err == nil && !active {
		s.revoker.SettleRevocations(ctx) // its accounts' logins were revoked with it
	}
	return o, err
}

// Delete removes a node with no children and no accounts.
func (s *Orgs) Delete(ctx context.Context, p *model.Principal, actor model.Actor, id int64) error {
	o, err := reachOrg(ctx, s.repo, p, id)
	if err != nil {
		return err
	}
	if id == p.OrgID {
		return model.E(model.CodeConflict, "不能删除自己所在的机构")
	}
	now := s.now()
	return s.repo.Delete(ctx, id, actor.Audit("org.delete", "org", id, o.Name, now))
}
