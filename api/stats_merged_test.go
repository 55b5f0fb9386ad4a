package api_test

import (
	"fmt"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
)

// TestStatsExportsCountMerged: an item merged into another that is still open
// counts as merged (已合并) in the CSV and XLSX figures, as in the JSON the
// console shows, in every split.
func TestStatsExportsCountMerged(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 3, 10, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newSimilarWorld(t, e)
	primary := submit(t, e, w.tokA, w.submitBody("升平路12号门口的路灯坏了一个星期，晚上黑漆漆的"))
	dup := submit(t, e, w.tokB, w.submitBody("升平路路灯不亮好几天了，晚上走路很危险，请尽快修"))
	e.Do("POST", path("/api/v1/work/requests/%d/accept", primary), w.cadre, nil).Must(t, 200)
	e.Do("POST", path("/api/v1/work/requests/%d/merge", dup), w.cadre, map[string]any{"into": primary}).Must(t, 200)

	q := fmt.Sprintf("org_id=%d&from=2026-03-01&to=2026-04-01", w.town)
	r := report(e.Do("GET", "/api/v1/admin/stats?"+q, w.admin, nil).Must(t, 200).M(t))
	if r["merged"] != 1.0 || r["collected"] != 2.0 || r["open"] != 1.0 {
		t.Fatalf("figures after the merge: merged %v, collected %v, open %v", r["merged"], r["collected"], r["open"])
	}
	exp := expectedTables(t, r)
	for _, format := range []string{"csv", "xlsx"} {
		raw := e.Do("GET", "/api/v1/admin/stats/export?format="+format+"&"+q, w.admin, nil).Must(t, 200).Raw
		got := xlsxTables
		if format == "csv" {
			got = csvTables
		}
		tables := got(t, raw)
		sameTables(t, format, tables, exp)
		merged := ""
		for _, row := range tables["总体"] {
			if len(row) > 1 && row[0] == "已合并" {
				merged = row[1]
			}
		}
		if merged != "1" {
			t.Errorf("%s: 总体 已合并 = %q, want 1", format, merged)
		}
	}
}
