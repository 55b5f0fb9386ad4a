package service

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"zhilian/model"
)

// StatsRepo reads the figures of requests (see internal/store/stats.go).
type StatsRepo interface {
	Facets(ctx context.Context, q model.StatsQuery) ([]model.StatsFacet, error)
	Days(ctx context.Context, q model.StatsQuery) ([]model.StatsDays, error)
	// Version changes whenever data a report reads changes.
	Version(ctx context.Context) (string, error)
	// Items lists the period's items after id `after`, in id order.
	Items(ctx context.Context, q model.StatsQuery, after int64, limit int) ([]model.StatsItem, error)
}

// StatsCache keeps computed reports for a short time (Redis); it may fail.
type StatsCache interface {
	Get(ctx context.Context, key string) ([]byte, error) // nil on a miss
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// StatsOrgs reads the org tree.
type StatsOrgs interface {
	Get(ctx context.Context, id int64) (*model.Org, error)
	Subtree(ctx context.Context, path string, activeOnly bool) ([]model.Org, error)
}

// StatsCategories lists categories.
type StatsCategories interface {
	List(ctx context.Context, activeOnly bool) ([]model.Category, error)
}

// StatsSection adds a section to every report, after the built-in splits:
// how features with their own tables (liaison points and sessions,
// department invitations) report for the same subtree and period. Its table
// (a key, column keys and rows) is in the JSON under `sections` and in
// exports as a CSV section and a sheet; the api titles it and labels its
// columns by key.
type StatsSection interface {
	Compute(ctx context.Context, q model.StatsQuery) (model.StatsTable, error)
}

// StatsDeps are the collaborators of Stats.
type StatsDeps struct {
	Repo       StatsRepo
	Orgs       StatsOrgs
	Categories StatsCategories
	Calendar   *Calendar
	Cache      StatsCache
	CacheTTL   time.Duration // 0: one minute
	Sections   []StatsSection
	Now        func() time.Time
	Log        *slog.Logger
}

// Stats answers statistics for an org subtree and a period.
type Stats struct {
	d      StatsDeps
	flight singleflight.Group // one computation of a report for every caller asking at once
}

// NewStats builds the statistics service.
func NewStats(d StatsDeps) *Stats {
	if d.CacheTTL == 0 {
		d.CacheTTL = time.Minute
	}
	return &Stats{d: d}
}

// StatsInput is a statistics question as the caller asks it.
type StatsInput struct {
	OrgID    int64  // 0: the caller's own org
	From, To string // YYYY-MM-DD, to exclusive; empty: this year
	Group    string // week or month (default)
}

// Query checks the input and the caller's reach: a staff member asks about
// their own org or any org below it; anything else is not_found.
func (s *Stats) Query(ctx context.Context, p *model.Principal, in StatsInput) (model.StatsQuery, error) {
	q, err := model.NewStatsQuery(nil, in.From, in.To, in.Group, s.d.Now())
	if err != nil {
		return q, err
	}
	if !p.IsStaff() {
		return q, model.E(model.CodeForbidden, "仅限工作人员访问")
	}
	id := in.OrgID
	if id == 0 {
		id = p.OrgID
	}
	org, err := s.d.Orgs.Get(ctx, id)
	if err != nil {
		return q, err
	}
	if !p.Reaches(org.Path) {
		return q, model.ErrNotFound
	}
	q.Org = org
	return q, nil
}

// Report computes the figures of a query, or returns them from the cache
// when no request, category or org changed since (and at most CacheTTL ago).
func (s *Stats) Report(ctx context.Context, q model.StatsQuery) (*model.StatsReport, error) {
	version, err := s.d.Repo.Version(ctx)
	if err != nil {
		return nil, err
	}
	// The cache holds the model value as encoding/json writes it (Go field
	// names); "r2" marks that form so reports cached in the older snake_case
	// form are never read.
	key := "r2|" + q.Key() + "|" + version
	if s.d.Cache != nil {
		raw, err := s.d.Cache.Get(ctx, key)
		if err != nil {
			s.d.Log.WarnContext(ctx, "stats cache unavailable", "err", err)
		} else if raw != nil {
			var r model.StatsReport
			if json.Unmarshal(raw, &r) == nil {
				return &r, nil
			}
		}
	}
	// Callers asking the same report of the same data at once share one
	// computation (under load, each would otherwise read and hold the same
	// rows); the report is shared read-only, as the cached one is.
	v, err, _ := s.flight.Do(key, func() (any, error) { return s.computeAndCache(context.WithoutCancel(ctx), q, key) })
	if err != nil {
		return nil, err
	}
	return v.(*model.StatsReport), nil
}

// computeAndCache computes a report and caches it under key.
func (s *Stats) computeAndCache(ctx context.Context, q model.StatsQuery, key string) (*model.StatsReport, error) {
	r, err := s.compute(ctx, q)
	if err != nil {
		return nil, err
	}
	if s.d.Cache != nil {
		if raw, err := json.Marshal(r); err == nil {
			if err := s.d.Cache.Set(ctx, key, raw, s.d.CacheTTL); err != nil {
				s.d.Log.WarnContext(ctx, "stats cache unavailable", "err", err)
			}
		}
	}
	return r, nil
}

// compute runs the two grouped scans at once and builds the report.
func (s *Stats) compute(ctx context.Context, q model.StatsQuery) (*model.StatsReport, error) {
	var (
		wg             sync.WaitGroup
		facets         []model.StatsFacet
		days           []model.StatsDays
		errFac, errDay error
	)
	wg.Add(2)
	go func() { defer wg.Done(); facets, errFac = s.d.Repo.Facets(ctx, q) }()
	go func() { defer wg.Done(); days, errDay = s.d.Repo.Days(ctx, q) }()
	wg.Wait()
	if errFac != nil {
		return nil, errFac
	}
	if errDay != nil {
		return nil, errDay
	}
	r := &model.StatsReport{Org: model.StatsOrg{ID: q.Org.ID, Name: q.Org.Name, Kind: q.Org.Kind},
		From: model.FormatDate(q.From), To: model.FormatDate(q.To), Group: q.Group, AsOf: q.AsOf.In(model.Shanghai)}
	if err := s.splits(ctx, q, facets, r); err != nil {
		return nil, err
	}
	if err := s.timeline(ctx, q, days, r); err != nil {
		return nil, err
	}
	for _, sec := range s.d.Sections {
		t, err := sec.Compute(ctx, q)
		if err != nil {
			return nil, err
		}
		r.Sections = append(r.Sections, t)
	}
	return r, nil
}

// childOf maps every org below the node to the node's direct child above it.
func childOf(node *model.Org, subtree []model.Org) map[int64]int64 {
	out := make(map[int64]int64, len(subtree))
	for _, o := range subtree {
		rest := strings.TrimPrefix(o.Path, node.Path)
		if rest == o.Path || rest == "" {
			continue
		}
		first, _, _ := strings.Cut(rest, "/")
		if id, err := strconv.ParseInt(first, 10, 64); err == nil {
			out[o.ID] = id
		}
	}
	return out
}

// splits adds the headline figures and the splits by category, residency,
// source and child org.
func (s *Stats) splits(ctx context.Context, q model.StatsQuery, facets []model.StatsFacet, r *model.StatsReport) error {
	cats, err := s.d.Categories.List(ctx, false)
	if err != nil {
		return err
	}
	subtree, err := s.d.Orgs.Subtree(ctx, q.Org.Path, false)
	if err != nil {
		return err
	}
	under := childOf(q.Org, subtree)
	byCat := map[int64]*model.StatsCounts{}
	bySource := map[string]*model.StatsCounts{}
	byRes := map[string]*model.StatsCounts{}
	byOrg := map[int64]*model.StatsCounts{}
	at := func(m map[int64]*model.StatsCounts, k int64) *model.StatsCounts {
		if m[k] == nil {
			m[k] = &model.StatsCounts{}
		}
		return m[k]
	}
	atS := func(m map[string]*model.StatsCounts, k string) *model.StatsCounts {
		if m[k] == nil {
			m[k] = &model.StatsCounts{}
		}
		return m[k]
	}
	for _, f := range facets {
		r.Submitted += f.N
		if f.Status == model.StatusWithdrawn {
			r.Withdrawn += f.N
			continue
		}
		r.StatsCounts.Add(f)
		at(byCat, f.CategoryID).Add(f)
		atS(bySource, string(f.Source)).Add(f)
		res := f.Residency
		if res != string(model.Hukou) && res != string(model.NonHukou) {
			res = ""
		}
		atS(byRes, res).Add(f)
		child := f.Child
		if child == 0 && f.CommunityID != 0 {
			child = under[f.CommunityID] // 0 when the community is not below the node
		}
		at(byOrg, child).Add(f)
	}
	total := r.Collected
	r.StatsCounts.Finish(total)
	finish := func(c *model.StatsCounts) model.StatsCounts {
		if c == nil {
			c = &model.StatsCounts{}
		}
		c.Finish(total)
		return *c
	}

	r.ByCategory = []model.StatsCategoryRow{}
	known := map[int64]bool{}
	for _, c := range cats {
		known[c.ID] = true
		if !c.Active && byCat[c.ID] == nil {
			continue
		}
		r.ByCategory = append(r.ByCategory, model.StatsCategoryRow{CategoryID: c.ID, Name: c.Name, StatsCounts: finish(byCat[c.ID])})
	}
	for id, c := range byCat { // categories the list did not name (none while foreign keys hold)
		if !known[id] {
			r.ByCategory = append(r.ByCategory, model.StatsCategoryRow{CategoryID: id, Name: fmt.Sprintf("#%d", id), StatsCounts: finish(c)})
		}
	}

	r.ByResidency = model.StatsResidency{Hukou: finish(byRes[string(model.Hukou)]),
		NonHukou: finish(byRes[string(model.NonHukou)]), Unknown: finish(byRes[""])}

	r.BySource = map[string]model.StatsCounts{}
	for _, src := range model.StatsSources {
		r.BySource[string(src)] = finish(bySource[string(src)])
	}
	for k, c := range bySource {
		if _, ok := r.BySource[k]; !ok {
			r.BySource[k] = finish(c)
		}
	}

	r.ByOrg = []model.StatsOrgRow{}
	for _, o := range subtree {
		if o.ParentID != nil && *o.ParentID == q.Org.ID {
			r.ByOrg = append(r.ByOrg, model.StatsOrgRow{OrgID: o.ID, Name: o.Name, Kind: o.Kind, StatsCounts: finish(byOrg[o.ID])})
			delete(byOrg, o.ID)
		}
	}
	// The node itself, and anything whose child the tree no longer lists.
	self := &model.StatsCounts{}
	for _, c := range byOrg {
		self.Merge(c)
	}
	if self.Collected > 0 {
		r.ByOrg = append(r.ByOrg, model.StatsOrgRow{OrgID: q.Org.ID, Name: q.Org.Name, Kind: q.Org.Kind, Self: true,
			StatsCounts: finish(self)})
	}
	return nil
}

// timeline adds the working-day durations and the time series.
func (s *Stats) timeline(ctx context.Context, q model.StatsQuery, days []model.StatsDays, r *model.StatsReport) error {
	r.Series = seriesBuckets(q)
	if len(days) == 0 {
		return nil
	}
	lo, hi := days[0].Created, days[0].Created
	for _, d := range days {
		for _, n := range []int64{d.Created, d.Accepted, d.Closed} {
			if n != 0 && n < lo {
				lo = n
			}
			if n > hi {
				hi = n
			}
		}
	}
	cal, err := s.d.Calendar.Days(ctx, model.DayFromNumber(lo), model.DayFromNumber(hi))
	if err != nil {
		return err
	}
	// work[i] counts the working days in (lo, lo+i]: WorkdaysBetween(a, b) = work[b-lo] - work[a-lo].
	work := make([]int64, len(cal))
	for i := 1; i < len(cal); i++ {
		work[i] = work[i-1]
		if cal[i].Workday {
			work[i]++
		}
	}
	between := func(a, b int64) int64 {
		if b <= a {
			return 0
		}
		return work[b-lo] - work[a-lo]
	}
	acceptHist, closeHist := map[int64]int64{}, map[int64]int64{}
	for _, d := range days {
		if d.Accepted != 0 {
			acceptHist[between(d.Created, d.Accepted)] += d.N
		}
		if d.Closed != 0 {
			closeHist[between(d.Created, d.Closed)] += d.N
		}
		i := bucketIndex(r.Series, model.FormatDate(model.DayFromNumber(d.Created)))
		if i < 0 {
			continue
		}
		b := &r.Series[i]
		b.Collected += d.N - d.Withdrawn
		if d.Accepted != 0 {
			b.Accepted += d.N
		}
		b.Resolved += d.Resolved
		b.Responded += d.Responded
		b.Rejected += d.Rejected
		b.Open += d.Open
	}
	for i := range r.Series {
		b := &r.Series[i]
		if b.Collected > 0 {
			b.Rate = float64(b.Resolved+b.Responded) / float64(b.Collected)
		}
	}
	r.AcceptDays = model.Durations(acceptHist)
	r.CloseDays = model.Durations(closeHist)
	return nil
}

// seriesBuckets lists the weeks or months of the period, clipped to it.
func seriesBuckets(q model.StatsQuery) []model.StatsSeriesRow {
	out := []model.StatsSeriesRow{}
	start := q.From
	for start.Before(q.To) {
		var next time.Time
		var label string
		if q.Group == model.GroupWeek {
			monday := start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
			next = monday.AddDate(0, 0, 7)
			y, w := monday.ISOWeek()
			label = fmt.Sprintf("%d-W%02d", y, w)
		} else {
			next = time.Date(start.Year(), start.Month()+1, 1, 0, 0, 0, 0, model.Shanghai)
			label = start.Format("2006-01")
		}
		if next.After(q.To) {
			next = q.To
		}
		out = append(out, model.StatsSeriesRow{Period: label, From: model.FormatDate(start), To: model.FormatDate(next)})
		start = next
	}
	return out
}

// bucketIndex finds the bucket holding a day (YYYY-MM-DD sorts as text).
func bucketIndex(rows []model.StatsSeriesRow, day string) int {
	lo, hi := 0, len(rows)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case day < rows[m].From:
			hi = m
		case day >= rows[m].To:
			lo = m + 1
		default:
			return m
		}
	}
	return -1
}

// itemBatch is how many items an export reads per query.
const itemBatch = 1000

// StatsItemRow is one item of the item export: the item with its category
// and org names resolved and whether it is overdue at the query's as-of time.
type StatsItemRow struct {
	model.StatsItem
	Category    string
	HandlingOrg string
	Community   string
	Overdue     bool
}

// Items streams one row per item of the query (no personal data) to fn,
// reading the database in keyset batches.
func (s *Stats) Items(ctx context.Context, q model.StatsQuery, fn func(row StatsItemRow) error) error {
	cats, err := s.d.Categories.List(ctx, false)
	if err != nil {
		return err
	}
	catName := make(map[int64]string, len(cats))
	for _, c := range cats {
		catName[c.ID] = c.Name
	}
	orgName := map[int64]string{}
	name := func(id int64) (string, error) {
		if n, ok := orgName[id]; ok {
			return n, nil
		}
		o, err := s.d.Orgs.Get(ctx, id)
		if err != nil {
			return "", err
		}
		orgName[id] = o.Name
		return o.Name, nil
	}
	subtree, err := s.d.Orgs.Subtree(ctx, q.Org.Path, false)
	if err != nil {
		return err
	}
	for _, o := range subtree {
		orgName[o.ID] = o.Name
	}
	var after int64
	for {
		items, err := s.d.Repo.Items(ctx, q, after, itemBatch)
		if err != nil {
			return err
		}
		for _, it := range items {
			handling, err := name(it.HandlingOrgID)
			if err != nil {
				return err
			}
			community, err := name(it.CommunityID)
			if err != nil {
				return err
			}
			if err := fn(StatsItemRow{StatsItem: it, Category: catName[it.CategoryID], HandlingOrg: handling,
				Community: community, Overdue: it.Overdue(q.AsOf)}); err != nil {
				return err
			}
		}
		if len(items) < itemBatch {
			return nil
		}
		after = items[len(items)-1].ID
	}
}
