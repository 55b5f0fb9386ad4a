package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"zhilian/model"
	"zhilian/service"
)

// Stats reads the statistics of requests. Every query is one range of
// idx_requests_stats_cover (org_path prefix, then created_at), which holds
// every column used, so table rows are not read.
type Stats struct {
	s    *Store
	scan bool // never read the rollups (tests compare both ways)
}

// Stats returns the statistics repository: city- and district-level queries
// read the rollups (stats_rollup.go), others scan the covering index.
func (s *Store) Stats() *Stats { return &Stats{s: s} }

// StatsScan returns a repository that always scans the requests table.
func (s *Store) StatsScan() *Stats { return &Stats{s: s, scan: true} }

// The period filter shared by the statistics queries.
const (
	statsFilter = ` WHERE org_path LIKE ? AND created_at >= ? AND created_at < ?`
	statsWhere  = ` FROM requests` + statsFilter
)

func statsArgs(q model.StatsQuery) []any {
	return []any{q.Org.Path + "%", q.From.UTC(), q.To.UTC()}
}

// Facets groups the period's items by child org, category, source,
// residency and status. The child is the id between the node's path and the
// next slash of the handling org's path; items the node handles itself are
// also grouped by community.
//
// For the city and a district the whole months of the period come from the
// rollups and the days before the first and after the last whole month (the
// edges) from idx_requests_stats_created, a range of the edge days alone;
// each part counts its own items, so the parts add up to the scan's figures.
func (r *Stats) Facets(ctx context.Context, q model.StatsQuery) ([]model.StatsFacet, error) {
	depth, ok := rollupNode(q)
	if !ok || r.scan {
		return r.scanFacets(ctx, q, "")
	}
	first, last := monthCeil(q.From), monthFloor(q.To)
	if !first.Before(last) { // no whole month: all edge
		return r.scanFacets(ctx, q, edgeIndex)
	}
	months := q
	months.From, months.To = first, last
	out, err := r.cubeFacets(ctx, months, depth)
	if err != nil {
		return nil, err
	}
	for _, edge := range [][2]time.Time{{q.From, first}, {last, q.To}} {
		if !edge[0].Before(edge[1]) {
			continue
		}
		e := q
		e.From, e.To = edge[0], edge[1]
		f, err := r.scanFacets(ctx, e, edgeIndex)
		if err != nil {
			return nil, err
		}
		out = append(out, f...)
	}
	return out, nil
}

// edgeIndex reads a few days of every org: created_at first, then every
// column of the figures (migration 0113).
const edgeIndex = " FORCE INDEX (idx_requests_stats_created)"

// monthFloor is the start (UTC+8) of t's month; monthCeil the first month start at or after t.
func monthFloor(t time.Time) time.Time {
	s := t.In(model.Shanghai)
	return time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, model.Shanghai)
}

func monthCeil(t time.Time) time.Time {
	f := monthFloor(t)
	if f.Equal(t) {
		return f
	}
	return f.AddDate(0, 1, 0)
}

// scanFacets computes the facets of the period from the requests table
// (its covering indexes), with an optional index hint.
func (r *Stats) scanFacets(ctx context.Context, q model.StatsQuery, hint string) ([]model.StatsFacet, error) {
	asOf := q.AsOf.UTC()
	args := append([]any{len(q.Org.Path) + 1, q.Org.Path, asOf, asOf}, statsArgs(q)...)
	rows, err := r.s.lagged(ctx).Raw(`SELECT
		SUBSTRING_INDEX(SUBSTRING(org_path, ?), '/', 1) AS child,
		IF(org_path = ?, community_id, 0) AS community,
		category_id, source, COALESCE(residency, '') AS res, status,
		COUNT(*),
		SUM(accepted_at IS NOT NULL),
		SUM((status = 'submitted' AND accept_due_at < ?) OR (status = 'accepted' AND resolve_due_at < ?)),
		SUM(status IN ('resolved', 'responded') AND COALESCE(closed_at <= resolve_due_at, 0)),
		COUNT(rating),
		COALESCE(SUM(rating), 0),
		SUM(COALESCE(rating, 0) >= 4),
		SUM(redo_count),
		SUM(redo_count > 0) FROM requests`+hint+statsFilter+`
		GROUP BY child, community, category_id, source, res, status ORDER BY NULL`, args...).Rows()
	if err != nil {
		return nil, translate(err)
	}
	return readFacets(rows)
}

// readFacets reads facet rows: child (text or number), community, category,
// source, residency, status and the nine counts.
func readFacets(rows *sql.Rows) ([]model.StatsFacet, error) {
	defer rows.Close()
	var out []model.StatsFacet
	for rows.Next() {
		var f model.StatsFacet
		var child string
		if err := rows.Scan(&child, &f.CommunityID, &f.CategoryID, &f.Source, &f.Residency, &f.Status, &f.N,
			&f.Accepted, &f.Overdue, &f.OnTime, &f.Rated, &f.RatingSum, &f.Satisfied, &f.Redos, &f.Redone); err != nil {
			return nil, translate(err)
		}
		if child != "" {
			var err error
			if f.Child, err = strconv.ParseInt(child, 10, 64); err != nil {
				return nil, err
			}
		}
		out = append(out, f)
	}
	return out, translate(rows.Err())
}

// Days groups the period's items by the business days (UTC+8) they were
// submitted, accepted and closed (closed items only), as TO_DAYS numbers.
func (r *Stats) Days(ctx context.Context, q model.StatsQuery) ([]model.StatsDays, error) {
	if depth, ok := rollupNode(q); ok && !r.scan {
		return r.rollupDays(ctx, q, depth)
	}
	rows, err := r.s.lagged(ctx).Raw(`SELECT
		TO_DAYS(created_at + INTERVAL 8 HOUR) AS cday,
		COALESCE(TO_DAYS(accepted_at + INTERVAL 8 HOUR), 0) AS aday,
		IF(status IN ('resolved', 'responded'), COALESCE(TO_DAYS(closed_at + INTERVAL 8 HOUR), 0), 0) AS kday,
		COUNT(*),
		SUM(status = 'withdrawn'),
		SUM(status = 'resolved'),
		SUM(status = 'responded'),
		SUM(status = 'rejected'),
		SUM(status IN ('submitted', 'accepted', 'long_term'))`+statsWhere+`
		GROUP BY cday, aday, kday ORDER BY NULL`, statsArgs(q)...).Rows()
	if err != nil {
		return nil, translate(err)
	}
	return scanDays(rows)
}

// scanDays reads day-triple rows: the three day numbers and six counts.
func scanDays(rows *sql.Rows) ([]model.StatsDays, error) {
	defer rows.Close()
	var out []model.StatsDays
	for rows.Next() {
		var d model.StatsDays
		if err := rows.Scan(&d.Created, &d.Accepted, &d.Closed, &d.N, &d.Withdrawn, &d.Resolved, &d.Responded,
			&d.Rejected, &d.Open); err != nil {
			return nil, translate(err)
		}
		out = append(out, d)
	}
	return out, translate(rows.Err())
}

// Version changes whenever a request, category or org is written: the
// latest update times (indexed on requests) and the highest request id.
func (r *Stats) Version(ctx context.Context) (string, error) {
	var v string
	err := r.s.lagged(ctx).Raw(`SELECT CONCAT_WS(':',
		(SELECT COALESCE(DATE_FORMAT(MAX(updated_at), '%Y%m%d%H%i%s%f'), '0') FROM requests),
		(SELECT COALESCE(MAX(id), 0) FROM requests),
		(SELECT COALESCE(DATE_FORMAT(MAX(updated_at), '%Y%m%d%H%i%s%f'), '0') FROM categories),
		(SELECT COALESCE(DATE_FORMAT(MAX(updated_at), '%Y%m%d%H%i%s%f'), '0') FROM orgs),
		(SELECT COUNT(*) FROM orgs))`).Row().Scan(&v)
	return v, translate(err)
}

// Items lists the period's items after id `after`, in id order. The scan
// follows the primary key, so an export reads the table at most once
// whatever the size of the subtree.
func (r *Stats) Items(ctx context.Context, q model.StatsQuery, after int64, limit int) ([]model.StatsItem, error) {
	rows, err := r.s.lagged(ctx).Raw(`SELECT id, number, created_at, category_id, status, source,
		COALESCE(residency, ''), handling_org_id, community_id, accept_due_at, resolve_due_at, accepted_at,
		closed_at, rating, redo_count FROM requests FORCE INDEX (PRIMARY)
		WHERE org_path LIKE ? AND created_at >= ? AND created_at < ? AND id > ? ORDER BY id LIMIT ?`,
		append(statsArgs(q), after, limit)...).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := make([]model.StatsItem, 0, limit)
	for rows.Next() {
		var it model.StatsItem
		var accepted, closed sql.NullTime
		var rating sql.NullInt64
		if err := rows.Scan(&it.ID, &it.Number, &it.CreatedAt, &it.CategoryID, &it.Status, &it.Source,
			&it.Residency, &it.HandlingOrgID, &it.CommunityID, &it.AcceptDueAt, &it.ResolveDueAt, &accepted,
			&closed, &rating, &it.RedoCount); err != nil {
			return nil, translate(err)
		}
		it.AcceptedAt = nullTime(accepted)
		it.ClosedAt = nullTime(closed)
		if rating.Valid {
			v := int(rating.Int64)
			it.Rating = &v
		}
		out = append(out, it)
	}
	return out, translate(rows.Err())
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

var _ service.StatsRepo = (*Stats)(nil)
