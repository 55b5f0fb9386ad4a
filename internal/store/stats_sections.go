package store

import (
	"context"

	"zhilian/model"
	"zhilian/service"
)

var (
	_ service.StatsSection = (*PointStats)(nil)
	_ service.StatsSection = (*DepartmentStats)(nil)
)

// PointStats is the report section per liaison point: the sessions of the
// period at points in the subtree and what they gave.
type PointStats struct{ s *Store }

// PointStats returns the per-point section.
func (s *Store) PointStats() *PointStats { return &PointStats{s} }

// Compute counts, per point in the subtree, its sessions dated in the period:
// held (closed) and cancelled; their bookings (not cancelled), check-ins and
// no-shows; the items recorded at them (withdrawn excluded), those recorded
// for people without a WeChat account (walk-ins), and those closed on the
// session's day (solved on the spot).
func (r *PointStats) Compute(ctx context.Context, q model.StatsQuery) (model.StatsTable, error) {
	t := model.StatsTable{Key: "by_point",
		Columns: []string{"point_id", "point", "held", "cancelled", "booked", "checked_in", "no_shows", "walk_ins", "collected", "solved"}, Rows: [][]any{}}
	from, to := model.FormatDate(q.From), model.FormatDate(q.To)
	rows, err := r.s.lagged(ctx).Raw(`SELECT p.id, p.name,
		COALESCE(s.held, 0), COALESCE(s.cancelled, 0),
		COALESCE(b.booked, 0), COALESCE(b.checked_in, 0), COALESCE(b.no_shows, 0),
		COALESCE(i.walk_ins, 0), COALESCE(i.collected, 0), COALESCE(i.solved, 0)
	FROM points p
	JOIN orgs o ON o.id = p.org_id
	LEFT JOIN (SELECT point_id, SUM(status = 'closed') AS held, SUM(status = 'cancelled') AS cancelled
		FROM liaison_sessions WHERE date >= ? AND date < ? GROUP BY point_id) s ON s.point_id = p.id
	LEFT JOIN (SELECT bk.point_id, SUM(bk.status <> 'cancelled') AS booked, SUM(bk.status = 'checked_in') AS checked_in,
			SUM(bk.status = 'no_show') AS no_shows
		FROM bookings bk JOIN liaison_sessions ls ON ls.id = bk.session_id
		WHERE ls.date >= ? AND ls.date < ? GROUP BY bk.point_id) b ON b.point_id = p.id
	LEFT JOIN (SELECT ls.point_id, COUNT(*) AS collected, SUM(rq.resident_id IS NULL) AS walk_ins,
			SUM(rq.status IN ('resolved', 'responded') AND rq.closed_at < TIMESTAMP(ls.date) + INTERVAL 16 HOUR) AS solved
		FROM requests rq JOIN liaison_sessions ls ON ls.id = rq.session_id
		WHERE ls.date >= ? AND ls.date < ? AND rq.status <> 'withdrawn' GROUP BY ls.point_id) i ON i.point_id = p.id
	WHERE o.path LIKE ?
	ORDER BY p.id`, from, to, from, to, from, to, q.Org.Path+"%").Rows()
	if err != nil {
		return t, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, held, cancelled, booked, checked, noShows, walkIns, collected, solved int64
		var name string
		if err := rows.Scan(&id, &name, &held, &cancelled, &booked, &checked, &noShows, &walkIns, &collected, &solved); err != nil {
			return t, translate(err)
		}
		t.Rows = append(t.Rows, []any{id, name, held, cancelled, booked, checked, noShows, walkIns, collected, solved})
	}
	return t, translate(rows.Err())
}

// DepartmentStats is the report section per department (约请).
type DepartmentStats struct{ s *Store }

// DepartmentStats returns the per-department section.
func (s *Store) DepartmentStats() *DepartmentStats { return &DepartmentStats{s} }

// Compute counts, per department, the invitations made in the period that
// concern the subtree (the invited item is handled in it, or the department
// is in it): received, answered (replied or declined), declined, still open,
// and open past their due date at the report's as-of time.
func (r *DepartmentStats) Compute(ctx context.Context, q model.StatsQuery) (model.StatsTable, error) {
	t := model.StatsTable{Key: "by_department",
		Columns: []string{"department_id", "department", "received", "answered", "declined", "open", "overdue"}, Rows: [][]any{}}
	rows, err := r.s.lagged(ctx).Raw(`SELECT d.id, d.name, COUNT(*),
		SUM(i.status IN ('replied', 'declined')), SUM(i.status = 'declined'),
		SUM(i.open_rank = 0), SUM(i.open_rank = 0 AND i.due_date < ?)
	FROM invitations i
	JOIN orgs d ON d.id = i.department_id
	JOIN requests rq ON rq.id = i.request_id
	WHERE (rq.org_path LIKE ? OR d.path LIKE ?) AND i.created_at >= ? AND i.created_at < ?
	GROUP BY d.id, d.name ORDER BY d.id`,
		model.FormatDate(q.AsOf), q.Org.Path+"%", q.Org.Path+"%", q.From.UTC(), q.To.UTC()).Rows()
	if err != nil {
		return t, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, received, answered, declined, open, overdue int64
		var name string
		if err := rows.Scan(&id, &name, &received, &answered, &declined, &open, &overdue); err != nil {
			return t, translate(err)
		}
		t.Rows = append(t.Rows, []any{id, name, received, answered, declined, open, overdue})
	}
	return t, translate(rows.Err())
}
