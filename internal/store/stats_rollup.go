package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"zhilian/model"
)

// cubeKey and cubeVals are one request's contribution to stats_cube.
type cubeKey struct {
	YM                            int
	DistrictID, TownID, Community int64
	CategoryID                    int64
	Source, Residency, Status     string
}

type cubeVals struct {
	N, Accepted, OnTime, Rated, RatingSum, Satisfied, Redos, Redone int64
}

// daysKey and daysVals are one request's contribution to stats_days.
type daysKey struct {
	DistrictID       int64
	CDay, ADay, KDay int64
}

type daysVals struct {
	N, Withdrawn, Resolved, Responded, Rejected, Open int64
}

// pathSegment is the n-th id of a materialised path ("/1/2/3/", n=2 → 2), 0 when absent.
func pathSegment(path string, n int) int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if n-1 >= len(parts) {
		return 0
	}
	id, _ := strconv.ParseInt(parts[n-1], 10, 64)
	return id
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// contribution is what a request adds to the rollups, exactly as
// rebuildStatsSQL computes it from the table.
func contribution(r *model.Request) (cubeKey, cubeVals, daysKey, daysVals) {
	created := r.CreatedAt.In(model.Shanghai)
	k := cubeKey{YM: created.Year()*100 + int(created.Month()), DistrictID: pathSegment(r.OrgPath, 2),
		TownID: pathSegment(r.OrgPath, 3), CategoryID: r.CategoryID, Source: string(r.Source), Status: string(r.Status)}
	if k.TownID == 0 {
		k.Community = r.CommunityID
	}
	if r.Residency != nil {
		k.Residency = string(*r.Residency)
	}
	closed := r.Status == model.StatusResolved || r.Status == model.StatusResponded
	v := cubeVals{N: 1, Accepted: b2i(r.AcceptedAt != nil), Redos: int64(r.RedoCount), Redone: b2i(r.RedoCount > 0),
		OnTime: b2i(closed && r.ClosedAt != nil && !r.ClosedAt.After(r.ResolveDueAt))}
	if r.Rating != nil {
		v.Rated, v.RatingSum, v.Satisfied = 1, int64(*r.Rating), b2i(*r.Rating >= 4)
	}
	d := daysKey{DistrictID: k.DistrictID, CDay: model.DayNumber(r.CreatedAt)}
	if r.AcceptedAt != nil {
		d.ADay = model.DayNumber(*r.AcceptedAt)
	}
	if closed && r.ClosedAt != nil {
		d.KDay = model.DayNumber(*r.ClosedAt)
	}
	dv := daysVals{N: 1, Withdrawn: b2i(r.Status == model.StatusWithdrawn), Resolved: b2i(r.Status == model.StatusResolved),
		Responded: b2i(r.Status == model.StatusResponded), Rejected: b2i(r.Status == model.StatusRejected),
		Open: b2i(r.Status == model.StatusSubmitted || r.Status == model.StatusAccepted || r.Status == model.StatusLongTerm)}
	return k, v, d, dv
}

// rollupShards is how many rows each rollup group is spread over: a
// request's writes go to shard id % rollupShards, so concurrent submissions
// of a day rarely wait for one another's locks; readers sum the shards
// (every read groups with SUM).
const rollupShards = 16

// rollupMove moves a request's contribution from its old state (nil: new
// request) to its new one, inside the write's transaction, in the request's
// shard. Changes that touch no rolled-up field (notes, invitations,
// assignment) write nothing. Tables are written in one order (cube, city,
// days, days of the city) and, within a table, rows in key order, so two
// moves cannot deadlock; writers call it last before commit, so the rows
// are held for as short a time as possible.
func rollupMove(tx *gorm.DB, old, cur *model.Request) error {
	ck, cv, dk, dv := contribution(cur)
	shard := cur.ID % rollupShards
	if old == nil {
		if err := addCube(tx, ck, cv, 1, shard); err != nil {
			return err
		}
		if err := addCity(tx, ck, cv, 1, shard); err != nil {
			return err
		}
		if err := addDays(tx, dk, dv, 1, shard); err != nil {
			return err
		}
		return addDaysCity(tx, dk, dv, 1, shard)
	}
	ok, ov, odk, odv := contribution(old)
	if ok == ck && ov == cv && odk == dk && odv == dv {
		return nil
	}
	cubes := []func() error{func() error { return addCube(tx, ok, ov, -1, shard) }, func() error { return addCube(tx, ck, cv, 1, shard) }}
	cities := []func() error{func() error { return addCity(tx, ok, ov, -1, shard) }, func() error { return addCity(tx, ck, cv, 1, shard) }}
	if fmt.Sprint(ck) < fmt.Sprint(ok) {
		cubes[0], cubes[1] = cubes[1], cubes[0]
	}
	if fmt.Sprint(cityKey(ck)) < fmt.Sprint(cityKey(ok)) {
		cities[0], cities[1] = cities[1], cities[0]
	}
	cubes = append(cubes, cities...)
	days := []func() error{func() error { return addDays(tx, odk, odv, -1, shard) }, func() error { return addDays(tx, dk, dv, 1, shard) }}
	daysCity := []func() error{func() error { return addDaysCity(tx, odk, odv, -1, shard) }, func() error { return addDaysCity(tx, dk, dv, 1, shard) }}
	if fmt.Sprint(dk) < fmt.Sprint(odk) {
		days[0], days[1] = days[1], days[0]
	}
	if odk.CDay < dk.CDay || odk.CDay == dk.CDay && (odk.ADay < dk.ADay || odk.ADay == dk.ADay && odk.KDay < dk.KDay) {
		daysCity[0], daysCity[1] = daysCity[1], daysCity[0]
	}
	days = append(days, daysCity...)
	for _, f := range append(cubes, days...) {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func addCube(tx *gorm.DB, k cubeKey, v cubeVals, sign, shard int64) error {
	return tx.Exec(`INSERT INTO stats_cube (ym, district_id, town_id, community_id, category_id, source, residency, status, shard,
			n, accepted, on_time, rated, rating_sum, satisfied, redos, redone)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON DUPLICATE KEY UPDATE n = n + VALUES(n), accepted = accepted + VALUES(accepted), on_time = on_time + VALUES(on_time),
			rated = rated + VALUES(rated), rating_sum = rating_sum + VALUES(rating_sum), satisfied = satisfied + VALUES(satisfied),
			redos = redos + VALUES(redos), redone = redone + VALUES(redone)`,
		k.YM, k.DistrictID, k.TownID, k.Community, k.CategoryID, k.Source, k.Residency, k.Status, shard,
		sign*v.N, sign*v.Accepted, sign*v.OnTime, sign*v.Rated, sign*v.RatingSum, sign*v.Satisfied, sign*v.Redos, sign*v.Redone).Error
}

// cityKey is a cube key without the town (stats_city).
func cityKey(k cubeKey) cubeKey {
	k.TownID = 0
	if k.DistrictID != 0 {
		k.Community = 0
	}
	return k
}

func addCity(tx *gorm.DB, k cubeKey, v cubeVals, sign, shard int64) error {
	k = cityKey(k)
	return tx.Exec(`INSERT INTO stats_city (ym, district_id, community_id, category_id, source, residency, status, shard,
			n, accepted, on_time, rated, rating_sum, satisfied, redos, redone)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON DUPLICATE KEY UPDATE n = n + VALUES(n), accepted = accepted + VALUES(accepted), on_time = on_time + VALUES(on_time),
			rated = rated + VALUES(rated), rating_sum = rating_sum + VALUES(rating_sum), satisfied = satisfied + VALUES(satisfied),
			redos = redos + VALUES(redos), redone = redone + VALUES(redone)`,
		k.YM, k.DistrictID, k.Community, k.CategoryID, k.Source, k.Residency, k.Status, shard,
		sign*v.N, sign*v.Accepted, sign*v.OnTime, sign*v.Rated, sign*v.RatingSum, sign*v.Satisfied, sign*v.Redos, sign*v.Redone).Error
}

func addDays(tx *gorm.DB, d daysKey, dv daysVals, sign, shard int64) error {
	return tx.Exec(`INSERT INTO stats_days (district_id, cday, aday, kday, shard, n, withdrawn, resolved, responded, rejected, open)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON DUPLICATE KEY UPDATE n = n + VALUES(n), withdrawn = withdrawn + VALUES(withdrawn), resolved = resolved + VALUES(resolved),
			responded = responded + VALUES(responded), rejected = rejected + VALUES(rejected), open = open + VALUES(open)`,
		d.DistrictID, d.CDay, d.ADay, d.KDay, shard, sign*dv.N, sign*dv.Withdrawn, sign*dv.Resolved, sign*dv.Responded,
		sign*dv.Rejected, sign*dv.Open).Error
}

func addDaysCity(tx *gorm.DB, d daysKey, dv daysVals, sign, shard int64) error {
	return tx.Exec(`INSERT INTO stats_days_city (cday, aday, kday, shard, n, withdrawn, resolved, responded, rejected, open)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON DUPLICATE KEY UPDATE n = n + VALUES(n), withdrawn = withdrawn + VALUES(withdrawn), resolved = resolved + VALUES(resolved),
			responded = responded + VALUES(responded), rejected = rejected + VALUES(rejected), open = open + VALUES(open)`,
		d.CDay, d.ADay, d.KDay, shard, sign*dv.N, sign*dv.Withdrawn, sign*dv.Resolved, sign*dv.Responded, sign*dv.Rejected, sign*dv.Open).Error
}

// rebuildStatsSQL recomputes both rollups from the requests table (the same
// statements fill them in migration 0041).
var rebuildStatsSQL = []string{
	`DELETE FROM stats_cube`,
	`DELETE FROM stats_days`,
	`DELETE FROM stats_city`,
	`DELETE FROM stats_days_city`,
	`INSERT INTO stats_cube (ym, district_id, town_id, community_id, category_id, source, residency, status,
		n, accepted, on_time, rated, rating_sum, satisfied, redos, redone)
	SELECT ym, district_id, town_id, IF(town_id = 0, community_id, 0), category_id, source, res, status,
		COUNT(*), SUM(accepted_at IS NOT NULL),
		SUM(status IN ('resolved', 'responded') AND COALESCE(closed_at <= resolve_due_at, 0)),
		COUNT(rating), COALESCE(SUM(rating), 0), SUM(COALESCE(rating, 0) >= 4), SUM(redo_count), SUM(redo_count > 0)
	FROM (SELECT requests.*,
			YEAR(created_at + INTERVAL 8 HOUR) * 100 + MONTH(created_at + INTERVAL 8 HOUR) AS ym,
			CAST(CONCAT('0', SUBSTRING_INDEX(SUBSTRING_INDEX(org_path, '/', 3), '/', -1)) AS UNSIGNED) AS district_id,
			CAST(CONCAT('0', SUBSTRING_INDEX(SUBSTRING_INDEX(org_path, '/', 4), '/', -1)) AS UNSIGNED) AS town_id,
			COALESCE(residency, '') AS res
		FROM requests) r
	GROUP BY ym, district_id, town_id, IF(town_id = 0, community_id, 0), category_id, source, res, status`,
	`INSERT INTO stats_city (ym, district_id, community_id, category_id, source, residency, status,
		n, accepted, on_time, rated, rating_sum, satisfied, redos, redone)
	SELECT ym, district_id, IF(district_id = 0, community_id, 0) AS community, category_id, source, residency, status,
		SUM(n), SUM(accepted), SUM(on_time), SUM(rated), SUM(rating_sum), SUM(satisfied), SUM(redos), SUM(redone)
	FROM stats_cube GROUP BY ym, district_id, community, category_id, source, residency, status`,
	`INSERT INTO stats_days (district_id, cday, aday, kday, n, withdrawn, resolved, responded, rejected, open)
	SELECT CAST(CONCAT('0', SUBSTRING_INDEX(SUBSTRING_INDEX(org_path, '/', 3), '/', -1)) AS UNSIGNED) AS district_id,
		TO_DAYS(created_at + INTERVAL 8 HOUR) AS cday,
		COALESCE(TO_DAYS(accepted_at + INTERVAL 8 HOUR), 0) AS aday,
		IF(status IN ('resolved', 'responded'), COALESCE(TO_DAYS(closed_at + INTERVAL 8 HOUR), 0), 0) AS kday,
		COUNT(*), SUM(status = 'withdrawn'), SUM(status = 'resolved'), SUM(status = 'responded'), SUM(status = 'rejected'),
		SUM(status IN ('submitted', 'accepted', 'long_term'))
	FROM requests GROUP BY district_id, cday, aday, kday`,
	`INSERT INTO stats_days_city (cday, aday, kday, n, withdrawn, resolved, responded, rejected, open)
	SELECT cday, aday, kday, SUM(n), SUM(withdrawn), SUM(resolved), SUM(responded), SUM(rejected), SUM(open)
	FROM stats_days GROUP BY cday, aday, kday`,
}

// RebuildRollups recomputes the statistics rollups from the requests table
// (after a bulk load such as cmd/seed, which bypasses the request writes).
func (r *Stats) RebuildRollups(ctx context.Context) error {
	return r.s.tx(ctx, "Stats.RebuildRollups", func(tx *gorm.DB) error {
		for _, q := range rebuildStatsSQL {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// rollupNode reports whether a query can read the rollups: the node is the
// city or a district (the rollups go down to towns) and, for the figures,
// the period is whole calendar months.
func rollupNode(q model.StatsQuery) (depth int, ok bool) {
	depth = strings.Count(q.Org.Path, "/") - 2
	return depth, depth == 0 || depth == 1
}

func ym(t time.Time) int {
	t = t.In(model.Shanghai)
	return t.Year()*100 + int(t.Month())
}

// cubeFacets reads the figures of a whole-month period for the city (depth
// 0, children are districts) or a district (depth 1, children are towns) from
// stats_cube, and adds the overdue items, counted live from the open ones.
func (r *Stats) cubeFacets(ctx context.Context, q model.StatsQuery, depth int) ([]model.StatsFacet, error) {
	var overdue []model.StatsFacet
	var errOverdue error
	done := make(chan struct{})
	go func() { // the live count runs beside the rollup read
		defer close(done)
		overdue, errOverdue = r.overdueFacets(ctx, q)
	}()
	table, child, where, args := "stats_city", "district_id", "ym >= ? AND ym < ?", []any{ym(q.From), ym(q.To)}
	if depth == 1 {
		table, child, where, args = "stats_cube", "town_id", where+" AND district_id = ?", append(args, q.Org.ID)
	}
	rows, err := r.s.lagged(ctx).Raw(`SELECT CAST(`+child+` AS CHAR), IF(`+child+` = 0, community_id, 0) AS community,
		category_id, source, residency, status,
		SUM(n), SUM(accepted), 0, SUM(on_time), SUM(rated), SUM(rating_sum), SUM(satisfied), SUM(redos), SUM(redone)
		FROM `+table+` WHERE `+where+`
		GROUP BY `+child+`, community, category_id, source, residency, status HAVING SUM(n) <> 0`, args...).Rows()
	var facets []model.StatsFacet
	if err == nil {
		facets, err = readFacets(rows)
	}
	<-done
	if err != nil {
		return nil, translate(err)
	}
	if errOverdue != nil {
		return nil, errOverdue
	}
	return append(facets, overdue...), nil
}

// overdueFacets counts the period's open items past their due time at the
// query's as-of time, from the open items alone (idx_requests_open).
func (r *Stats) overdueFacets(ctx context.Context, q model.StatsQuery) ([]model.StatsFacet, error) {
	asOf := q.AsOf.UTC()
	rows, err := r.s.lagged(ctx).Raw(`SELECT
		SUBSTRING_INDEX(SUBSTRING(org_path, ?), '/', 1) AS child,
		IF(org_path = ?, community_id, 0) AS community,
		category_id, source, COALESCE(residency, '') AS res, status,
		0, 0, COUNT(*), 0, 0, 0, 0, 0, 0
		FROM requests FORCE INDEX (idx_requests_open)
		WHERE status IN ('submitted', 'accepted') AND org_path LIKE ? AND created_at >= ? AND created_at < ?
			AND ((status = 'submitted' AND accept_due_at < ?) OR (status = 'accepted' AND resolve_due_at < ?))
		GROUP BY child, community, category_id, source, res, status ORDER BY NULL`,
		len(q.Org.Path)+1, q.Org.Path, q.Org.Path+"%", q.From.UTC(), q.To.UTC(), asOf, asOf).Rows()
	if err != nil {
		return nil, translate(err)
	}
	return readFacets(rows)
}

// rollupDays reads the day triples of the period for the city or a district from stats_days.
func (r *Stats) rollupDays(ctx context.Context, q model.StatsQuery, depth int) ([]model.StatsDays, error) {
	table, where, args := "stats_days_city", "cday >= ? AND cday < ?", []any{model.DayNumber(q.From), model.DayNumber(q.To)}
	if depth == 1 {
		table, where, args = "stats_days", where+" AND district_id = ?", append(args, q.Org.ID)
	}
	rows, err := r.s.lagged(ctx).Raw(`SELECT cday, aday, kday,
		SUM(n), SUM(withdrawn), SUM(resolved), SUM(responded), SUM(rejected), SUM(open)
		FROM `+table+` WHERE `+where+` GROUP BY cday, aday, kday HAVING SUM(n) <> 0`, args...).Rows()
	if err != nil {
		return nil, translate(err)
	}
	return scanDays(rows)
}
