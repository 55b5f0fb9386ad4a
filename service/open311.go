package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhilian/model"
)

// Open311Repo is what Open311 GeoReport v2 reads and writes beyond requests.
type Open311Repo interface {
	// Attributes lists a category's service definition in order.
	Attributes(ctx context.Context, categoryID int64) ([]model.ServiceAttribute, error)
	// DefinedCategories lists the ids of categories that have a service definition.
	DefinedCategories(ctx context.Context) (map[int64]bool, error)
	// SetAttributes replaces a category's service definition, with the audit row.
	SetAttributes(ctx context.Context, categoryID int64, attrs []model.ServiceAttribute, audit *model.AuditLog) error
	// NearestCommunity is the community of the active liaison point nearest to
	// (lat, lng) inside the subtree at scopePath, within radius metres.
	NearestCommunity(ctx context.Context, scopePath string, lat, lng float64, radius int) (int64, error)
	// CommunitiesNamedIn lists the active communities inside scopePath whose
	// name the address contains, with their towns' names (same order).
	CommunitiesNamedIn(ctx context.Context, scopePath, address string) ([]model.Org, []string, error)
	// Find lists requests as GeoReport v2 shows them, newest first.
	Find(ctx context.Context, f model.Open311Filter) ([]model.Open311Item, error)
}

// Open311Orgs reads orgs for routing: one by id, and the root (the jurisdiction).
type Open311Orgs interface {
	OrgReader
	Root(ctx context.Context) (*model.Org, error)
}

// CategoryLister lists categories by sort order.
type CategoryLister interface {
	List(ctx context.Context, activeOnly bool) ([]model.Category, error)
}

// Limiter applies a named rate limit (Auth.Limit).
type Limiter interface {
	Limit(ctx context.Context, key string, n int, period time.Duration) error
}

// PublicOpen311Rate is how many GET calls per minute one IP may make without a key.
const PublicOpen311Rate = 120

// Open311 is the GeoReport v2 use case: services and their definitions,
// filing requests with an integrator's key, and following them.
type Open311 struct {
	repo        Open311Repo
	requests    RequestRepo
	categories  CategoryLister
	orgs        Open311Orgs
	integrators *Integrators
	calendar    *Calendar
	sealer      PhoneSealer
	staff       StaffDirectory
	limiter     Limiter
	now         func() time.Time
}

// Open311Deps are the collaborators of Open311.
type Open311Deps struct {
	Repo        Open311Repo
	Requests    RequestRepo
	Categories  CategoryLister
	Orgs        Open311Orgs
	Integrators *Integrators
	Calendar    *Calendar
	Sealer      PhoneSealer
	Staff       StaffDirectory
	Limiter     Limiter
	Now         func() time.Time
}

// NewOpen311 builds the Open311 service.
func NewOpen311(d Open311Deps) *Open311 {
	return &Open311{repo: d.Repo, requests: d.Requests, categories: d.Categories, orgs: d.Orgs, integrators: d.Integrators,
		calendar: d.Calendar, sealer: d.Sealer, staff: d.Staff, limiter: d.Limiter, now: d.Now}
}

// Jurisdiction checks a jurisdiction_id: empty, or the city's code.
func (s *Open311) Jurisdiction(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	root, err := s.orgs.Root(ctx)
	if err != nil {
		return err
	}
	if root.Code == nil || *root.Code != id {
		return model.Invalid("jurisdiction_id 无效：本接口只服务 %s", root.Name)
	}
	return nil
}

// Throttle limits a public GET: by the key when one is given (403 when it is
// not valid), otherwise by the caller's IP.
func (s *Open311) Throttle(ctx context.Context, key, ip string) error {
	if key == "" {
		return s.limiter.Limit(ctx, "open311:ip:"+ip, PublicOpen311Rate, time.Minute)
	}
	k, err := s.integrators.Authenticate(ctx, key)
	if err != nil {
		return err
	}
	return s.limiter.Limit(ctx, fmt.Sprintf("open311:key:%d", k.ID), k.RatePerMinute, time.Minute)
}

// Open311Service is an active category as a GeoReport service.
type Open311Service struct {
	model.Category
	Metadata bool // a service definition exists
}

// Services lists the active categories, saying which have a definition.
func (s *Open311) Services(ctx context.Context) ([]Open311Service, error) {
	cats, err := s.categories.List(ctx, true)
	if err != nil {
		return nil, err
	}
	defined, err := s.repo.DefinedCategories(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Open311Service, len(cats))
	for i, c := range cats {
		out[i] = Open311Service{Category: c, Metadata: defined[c.ID]}
	}
	return out, nil
}

var errNoService = model.E(model.CodeNotFound, "没有该 service_code 的服务")

// category finds an active category by its code.
func (s *Open311) category(ctx context.Context, code string) (*model.Category, error) {
	cats, err := s.categories.List(ctx, true)
	if err != nil {
		return nil, err
	}
	for i := range cats {
		if cats[i].Code == code {
			return &cats[i], nil
		}
	}
	return nil, errNoService
}

// Definition returns the service definition of an active category; a
// category without extra attributes has none (not_found).
func (s *Open311) Definition(ctx context.Context, code string) (*model.Category, []model.ServiceAttribute, error) {
	c, err := s.category(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	attrs, err := s.repo.Attributes(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	if len(attrs) == 0 {
		return nil, nil, model.E(model.CodeNotFound, "该服务没有附加字段定义")
	}
	return c, attrs, nil
}

// Attributes returns a category's service definition (admins).
func (s *Open311) Attributes(ctx context.Context, p *model.Principal, categoryID int64) ([]model.ServiceAttribute, error) {
	if !p.IsAdmin() {
		return nil, model.ErrForbidden
	}
	if _, err := s.anyCategory(ctx, categoryID); err != nil {
		return nil, err
	}
	return s.repo.Attributes(ctx, categoryID)
}

func (s *Open311) anyCategory(ctx context.Context, id int64) (*model.Category, error) {
	cats, err := s.categories.List(ctx, false)
	if err != nil {
		return nil, err
	}
	for i := range cats {
		if cats[i].ID == id {
			return &cats[i], nil
		}
	}
	return nil, model.E(model.CodeNotFound, "类别不存在")
}

// SetAttributes replaces a category's service definition (city admins); an
// empty list removes it.
func (s *Open311) SetAttributes(ctx context.Context, p *model.Principal, actor model.Actor, categoryID int64, attrs []model.ServiceAttribute) ([]model.ServiceAttribute, error) {
	if err := cityLevelAdmin(p, "仅市级管理员可以维护服务的附加字段"); err != nil {
		return nil, err
	}
	if _, err := s.anyCategory(ctx, categoryID); err != nil {
		return nil, err
	}
	if err := model.ValidateAttributes(attrs); err != nil {
		return nil, err
	}
	codes := make([]string, len(attrs))
	for i := range attrs {
		attrs[i].CategoryID = categoryID
		codes[i] = attrs[i].Code
	}
	audit := actor.Audit("category.attributes", "category", categoryID, "codes="+strings.Join(codes, ","), s.now())
	if err := s.repo.SetAttributes(ctx, categoryID, attrs, audit); err != nil {
		return nil, err
	}
	return attrs, nil
}

// Open311Query is GET requests' filters as the wire gives them.
type Open311Query struct {
	IDs        []string // service_request_id: overrides everything else
	Codes      []string
	Statuses   []string
	Start, End *time.Time
}

// Requests finds requests for GET requests: by ids, or by submission time in
// a window of at most 90 days (default the last 90), service codes and
// open/closed, newest first, at most model.Open311MaxResults.
func (s *Open311) Requests(ctx context.Context, q Open311Query) ([]model.Open311Item, error) {
	f := model.Open311Filter{Limit: model.Open311MaxResults}
	if len(q.IDs) > 0 {
		if len(q.IDs) > model.Open311MaxResults {
			return nil, model.Invalid("service_request_id 最多 %d 个", model.Open311MaxResults)
		}
		for _, id := range q.IDs {
			if id == "" || len(id) > 24 {
				return nil, model.Invalid("service_request_id 无效：%s", truncate(id, 24))
			}
		}
		f.Numbers = q.IDs
		return s.repo.Find(ctx, f)
	}
	if err := s.window(&f, q.Start, q.End); err != nil {
		return nil, err
	}
	for _, st := range q.Statuses {
		statuses, err := model.Open311Statuses(st)
		if err != nil {
			return nil, err
		}
		f.Statuses = append(f.Statuses, statuses...)
	}
	for _, c := range q.Codes {
		if c == "" || len(c) > 32 {
			return nil, model.Invalid("service_code 无效")
		}
	}
	f.Codes = q.Codes
	return s.repo.Find(ctx, f)
}

// window sets [From, To]: both given, at most 90 days apart; one given, 90
// days from or to it; none, the last 90 days.
func (s *Open311) window(f *model.Open311Filter, start, end *time.Time) error {
	switch {
	case start != nil && end != nil:
		f.From, f.To = *start, *end
	case start != nil:
		f.From, f.To = *start, start.Add(model.Open311Window)
	case end != nil:
		f.From, f.To = end.Add(-model.Open311Window), *end
	default:
		f.To = s.now()
		f.From = f.To.Add(-model.Open311Window)
	}
	if f.To.Before(f.From) {
		return model.Invalid("end_date 不能早于 start_date")
	}
	if f.To.Sub(f.From) > model.Open311Window {
		return model.Invalid("start_date 与 end_date 相隔不能超过 90 天")
	}
	return nil
}

// Request finds one request by its service_request_id (the item's number).
func (s *Open311) Request(ctx context.Context, id string) (*model.Open311Item, error) {
	items, err := s.Requests(ctx, Open311Query{IDs: []string{id}})
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, model.E(model.CodeNotFound, "没有该 service_request_id 的诉求")
	}
	return &items[0], nil
}
