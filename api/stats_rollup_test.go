package api_test

import (
	"context"
	"encoding/json"
	"testing"

	"zhilian/internal/testutil"
	"zhilian/model"
	"zhilian/service"
)

// TestStatsRollupsMatchTheScan: for the city and each district, whole-month
// and odd periods, by week and by month, the report read from the rollups is
// the report scanned from the requests table; and rebuilding the rollups from
// the table gives what the request writes kept.
func TestStatsRollupsMatchTheScan(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	ctx := context.Background()
	st := w.e.App.Store
	cal := service.NewCalendar(st.Calendar(), w.e.Clock.Now)
	build := func(repo service.StatsRepo) *service.Stats {
		return service.NewStats(service.StatsDeps{Repo: repo, Orgs: st.Orgs(), Categories: st.Categories(),
			Calendar: cal, Now: w.e.Clock.Now, Log: testutil.Quiet()})
	}
	fast, scan := build(st.Stats()), build(st.StatsScan())
	nodes := []int64{w.e.RootOrgID(), w.district, w.district2}
	periods := [][2]string{{"2026-03-01", "2026-04-01"}, {"2026-01-01", "2027-01-01"}, {"2026-02-01", "2026-05-01"},
		{"2026-03-02", "2026-03-17"}, {"2026-03-31", "2026-04-02"},
		{"2026-01-15", "2026-04-10"}, {"2026-02-20", "2026-12-20"}, {"2026-03-01", "2026-05-20"}, {"2026-02-11", "2026-04-01"}}
	for _, node := range nodes {
		org, err := st.Orgs().Get(ctx, node)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range periods {
			for _, group := range []string{"month", "week"} {
				q, err := model.NewStatsQuery(org, p[0], p[1], group, w.e.Clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				a, err := fast.Report(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				b, err := scan.Report(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				if string(ja) != string(jb) {
					t.Fatalf("org %d %v %s:\nrollup %s\nscan   %s", node, p, group, ja, jb)
				}
			}
		}
	}

	// The writes spread each group over shards; a group's figures are the
	// sums of its shards, and rebuilding them from the table changes none.
	kept := testutil.ReadRollups(t, w.e.App.DB)
	for _, table := range []string{"stats_cube", "stats_city", "stats_days", "stats_days_city"} {
		if kept.Empty(table) {
			t.Fatalf("empty rollup %s", table)
		}
	}
	testutil.RollupsMatchScan(t, w.e.App.DB, func() error { return st.Stats().RebuildRollups(ctx) })
}
