package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"zhilian/model"
)

// PointRepo persists liaison points and their host teams.
type PointRepo interface {
	Create(ctx context.Context, p *model.Point, hostIDs []int64, audit func(*model.Point) *model.AuditLog) error
	Get(ctx context.Context, id int64) (*model.Point, error)
	Update(ctx context.Context, id int64, hostIDs []int64, change func(*model.Point) (*model.AuditLog, error)) (*model.Point, error)
	Delete(ctx context.Context, id int64, audit *model.AuditLog) error
	List(ctx context.Context, f model.PointFilter) (model.Page[model.Point], error)
}

// AccountReader loads staff accounts with their org.
type AccountReader interface {
	Get(ctx context.Context, id int64) (*model.Account, error)
}

// CodeMaker draws mini-program codes (WeChat).
type CodeMaker interface {
	WXACode(ctx context.Context, scene, page string) ([]byte, error)
}

// PointPage is the mini-program page a point's code opens.
const PointPage = "pages/points/points"

// Points manages liaison points: admins edit those in their subtree; anyone
// lists the active ones.
type Points struct {
	repo     PointRepo
	orgs     OrgReader
	accounts AccountReader
	codes    CodeMaker
	now      func() time.Time
}

// NewPoints builds the points service.
func NewPoints(repo PointRepo, orgs OrgReader, accounts AccountReader, codes CodeMaker, now func() time.Time) *Points {
	return &Points{repo: repo, orgs: orgs, accounts: accounts, codes: codes, now: now}
}

// PointInput is what an admin gives for a point. Nil HostIDs keeps the team on update.
type PointInput struct {
	OrgID   int64
	Fields  model.PointFields
	Active  *bool
	HostIDs *[]int64
}

var errPointNotFound = model.E(model.CodeNotFound, "驻点不存在")

// hosts validates a host team for a point in the community at path: cadres of
// the community or its town, inside the admin's subtree.
func (s *Points) hosts(ctx context.Context, p *model.Principal, communityPath string, ids []int64) ([]int64, error) {
	if len(ids) > 20 {
		return nil, model.Invalid("驻点干部不能超过 20 人")
	}
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if slices.Contains(out, id) {
			continue
		}
		a, err := s.accounts.Get(ctx, id)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return nil, err
		}
		if err != nil || !p.Reaches(a.OrgPath) {
			return nil, model.Invalid("账号 %d 不存在或不在您的管辖范围内", id)
		}
		if !model.HostAllowed(a, communityPath) {
			return nil, model.Invalid("账号 %d 须为本社区或所属镇街的在用干部账号", id)
		}
		out = append(out, id)
	}
	return out, nil
}

// Create adds a point in a community of the admin's subtree.
func (s *Points) Create(ctx context.Context, p *model.Principal, actor model.Actor, in PointInput) (*model.Point, error) {
	org, err := reachOrg(ctx, s.orgs, p, in.OrgID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	pt, err := model.NewPoint(org, in.Fields, now)
	if err != nil {
		return nil, err
	}
	var hostIDs []int64
	if in.HostIDs != nil {
		if hostIDs, err = s.hosts(ctx, p, org.Path, *in.HostIDs); err != nil {
			return nil, err
		}
	}
	if in.Active != nil {
		pt.SetActive(*in.Active, now)
	}
	err = s.repo.Create(ctx, pt, hostIDs, func(pt *model.Point) *model.AuditLog {
		return actor.Audit("point.create", "point", pt.ID, fmt.Sprintf("org=%d name=%s", pt.OrgID, pt.Name), now)
	})
	if err != nil {
		return nil, err
	}
	return s.repo.Get(ctx, pt.ID)
}

// Get returns a point inside the admin's subtree.
func (s *Points) Get(ctx context.Context, p *model.Principal, id int64) (*model.Point, error) {
	pt, err := s.repo.Get(ctx, id)
	if model.IsCode(err, model.CodeNotFound) || err == nil && !p.Reaches(pt.OrgPath) {
		return nil, errPointNotFound
	}
	return pt, err
}

// Update edits a point; nil fields of in stay as they are.
func (s *Points) Update(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in PointPatch) (*model.Point, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	var hostIDs []int64
	if in.HostIDs != nil {
		if hostIDs, err = s.hosts(ctx, p, cur.OrgPath, *in.HostIDs); err != nil {
			return nil, err
		}
		if hostIDs == nil {
			hostIDs = []int64{}
		}
	}
	now := s.now()
	return s.repo.Update(ctx, id, hostIDs, func(pt *model.Point) (*model.AuditLog, error) {
		f := model.PointFields{Name: pt.Name, Address: pt.Address, Lat: pt.Lat, Lng: pt.Lng, Notes: pt.Notes}
		if in.Name != nil {
			f.Name = *in.Name
		}
		if in.Address != nil {
			f.Address = *in.Address
		}
		if in.Notes != nil {
			f.Notes = *in.Notes
		}
		if in.ClearLocation {
			f.Lat, f.Lng = nil, nil
		} else if in.Lat != nil || in.Lng != nil {
			f.Lat, f.Lng = in.Lat, in.Lng
		}
		if err := pt.Edit(f, now); err != nil {
			return nil, err
		}
		if in.Active != nil {
			pt.SetActive(*in.Active, now)
		}
		return actor.Audit("point.update", "point", pt.ID, fmt.Sprintf("name=%s active=%t hosts=%v", pt.Name, pt.Active, hostIDs), now), nil
	})
}

// PointPatch is a partial update of a point. Lat and Lng go together.
type PointPatch struct {
	Name, Address, Notes *string
	Lat, Lng             *float64
	ClearLocation        bool
	Active               *bool
	HostIDs              *[]int64
}

// Delete removes a point that never had a booking (with its rule, sessions and slots).
func (s *Points) Delete(ctx context.Context, p *model.Principal, actor model.Actor, id int64) error {
	if _, err := s.Get(ctx, p, id); err != nil {
		return err
	}
	return s.repo.Delete(ctx, id, actor.Audit("point.delete", "point", id, "", s.now()))
}

// PointQuery filters a point list. OrgID narrows to a subtree; Near sorts nearest first.
type PointQuery struct {
	OrgID  int64
	Near   *model.LatLng
	Cursor string
	Size   int
}

// List lists the points in the admin's subtree (active or not).
func (s *Points) List(ctx context.Context, p *model.Principal, q PointQuery) (model.Page[model.Point], error) {
	f := model.PointFilter{OrgPath: p.OrgPath, Near: q.Near, Cursor: q.Cursor, Size: q.Size}
	if q.OrgID > 0 {
		o, err := reachOrg(ctx, s.orgs, p, q.OrgID)
		if err != nil {
			return model.Page[model.Point]{}, err
		}
		f.OrgPath = o.Path
	}
	return s.repo.List(ctx, f)
}

// PublicList lists active points for residents, optionally in an org's
// subtree and nearest first from a location.
func (s *Points) PublicList(ctx context.Context, q PointQuery) (model.Page[model.Point], error) {
	f := model.PointFilter{OrgPath: "/", ActiveOnly: true, Near: q.Near, Cursor: q.Cursor, Size: q.Size}
	if q.OrgID > 0 {
		o, err := s.orgs.Get(ctx, q.OrgID)
		if model.IsCode(err, model.CodeNotFound) {
			return model.Page[model.Point]{}, model.E(model.CodeNotFound, "机构不存在")
		}
		if err != nil {
			return model.Page[model.Point]{}, err
		}
		f.OrgPath = o.Path
	}
	return s.repo.List(ctx, f)
}

// PublicGet returns an active point.
func (s *Points) PublicGet(ctx context.Context, id int64) (*model.Point, error) {
	pt, err := s.repo.Get(ctx, id)
	if model.IsCode(err, model.CodeNotFound) || err == nil && !pt.Active {
		return nil, errPointNotFound
	}
	return pt, err
}

// WXACode draws the mini-program code to post at the point (scene p=<id>).
func (s *Points) WXACode(ctx context.Context, p *model.Principal, id int64) ([]byte, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	return s.codes.WXACode(ctx, fmt.Sprintf("p=%d", id), PointPage)
}
