package testutil

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// Rollups is what the four statistics rollups hold, by table, each group's
// key ("col=value …") mapped to its figures summed over the shards (the
// writes spread a group over shards; readers sum them). Groups that sum to
// no request are left out.
type Rollups map[string]map[string][]int64

var rollupTables = []struct{ name, key, figures string }{
	{"stats_cube", "ym, district_id, town_id, community_id, category_id, source, residency, status",
		"n, accepted, on_time, rated, rating_sum, satisfied, redos, redone"},
	{"stats_city", "ym, district_id, community_id, category_id, source, residency, status",
		"n, accepted, on_time, rated, rating_sum, satisfied, redos, redone"},
	{"stats_days", "district_id, cday, aday, kday", "n, withdrawn, resolved, responded, rejected, open"},
	{"stats_days_city", "cday, aday, kday", "n, withdrawn, resolved, responded, rejected, open"},
}

// ReadRollups reads the rollups of db.
func ReadRollups(t testing.TB, db *gorm.DB) Rollups {
	t.Helper()
	out := Rollups{}
	for _, tb := range rollupTables {
		keys := strings.Split(tb.key, ", ")
		figs := strings.Split(tb.figures, ", ")
		sums := make([]string, len(figs))
		for i, f := range figs {
			sums[i] = "CAST(SUM(" + f + ") AS SIGNED)"
		}
		rows, err := db.Raw("SELECT CONCAT_WS(' ', " + concatKey(keys) + "), " + strings.Join(sums, ", ") +
			" FROM " + tb.name + " GROUP BY " + tb.key + " HAVING SUM(n) <> 0").Rows()
		if err != nil {
			t.Fatalf("read %s: %v", tb.name, err)
		}
		groups := map[string][]int64{}
		for rows.Next() {
			var k string
			v := make([]int64, len(figs))
			dst := []any{&k}
			for i := range v {
				dst = append(dst, &v[i])
			}
			if err := rows.Scan(dst...); err != nil {
				rows.Close()
				t.Fatalf("read %s: %v", tb.name, err)
			}
			groups[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatalf("read %s: %v", tb.name, err)
		}
		out[tb.name] = groups
	}
	return out
}

func concatKey(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = fmt.Sprintf("CONCAT('%s=', %s)", c, c)
	}
	return strings.Join(parts, ", ")
}

// Empty reports whether a table of the rollups holds no group.
func (r Rollups) Empty(table string) bool { return len(r[table]) == 0 }

// Minus is r − before, by table and group, groups whose figures did not move
// left out: how a write moved the rollups.
func (r Rollups) Minus(before Rollups) Rollups {
	out := Rollups{}
	for _, tb := range rollupTables {
		d := map[string][]int64{}
		keys := map[string]bool{}
		for k := range r[tb.name] {
			keys[k] = true
		}
		for k := range before[tb.name] {
			keys[k] = true
		}
		for k := range keys {
			a, b := r[tb.name][k], before[tb.name][k]
			n := max(len(a), len(b))
			v, moved := make([]int64, n), false
			for i := range v {
				if i < len(a) {
					v[i] += a[i]
				}
				if i < len(b) {
					v[i] -= b[i]
				}
				moved = moved || v[i] != 0
			}
			if moved {
				d[k] = v
			}
		}
		out[tb.name] = d
	}
	return out
}

// String lists the groups in key order, one a line.
func (r Rollups) String() string {
	var b strings.Builder
	for _, tb := range rollupTables {
		keys := make([]string, 0, len(r[tb.name]))
		for k := range r[tb.name] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s %s: %v\n", tb.name, k, r[tb.name][k])
		}
	}
	return b.String()
}

// RollupsMatchScan fails the test unless the rollups the writes kept are
// what rebuilding them from the requests table gives (rebuild is the
// store's Stats().RebuildRollups, which rewrites them from a scan).
func RollupsMatchScan(t testing.TB, db *gorm.DB, rebuild func() error) {
	t.Helper()
	kept := ReadRollups(t, db)
	if err := rebuild(); err != nil {
		t.Fatalf("rebuild rollups: %v", err)
	}
	if scanned := ReadRollups(t, db); !reflect.DeepEqual(kept, scanned) {
		t.Fatalf("rollups kept by the writes:\n%s\nrebuilt from the requests table:\n%s", kept, scanned)
	}
}
