package api_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
)

// corpusRows reads the labelled corpus of internal/similar: category code and text.
func corpusRows(b *testing.B) [][2]string {
	f, err := os.Open("../internal/similar/testdata/corpus.tsv")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) == 9 && !strings.HasPrefix(c[0], "#") && c[0] != "community" {
			out = append(out, [2]string{c[2], c[8]})
		}
	}
	return out
}

// BenchmarkTopics2000 asks GET /work/topics of a town for a week holding
// 2,000 items (texts of the labelled corpus, each made unique), over HTTP in
// process: cold (texts never segmented before: every round is a new week of
// new texts) and warm (the same week again), against GET /healthz and a bare
// read of the same 2,000 rows measured in the same run.
//
//	go test ./api -run '^$' -bench Topics2000 -benchtime 1x
func BenchmarkTopics2000(b *testing.B) {
	const perWeek, rounds = 2000, 6
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, model.Shanghai) // a Monday
	clock := testutil.NewClock(start.AddDate(0, 0, 7*rounds+1))
	e := testutil.New(b, func(s *testutil.Setup) { s.Clock = clock })
	ctx := context.Background()
	admin := e.AdminToken()
	district := e.Org(admin, e.RootOrgID(), "district", "禅城区")
	town := e.Org(admin, district, "town", "祖庙街道")
	var comms []int64
	for i := 0; i < 4; i++ {
		comms = append(comms, e.Org(admin, town, "community", fmt.Sprintf("社区%d", i)))
	}
	_, cadre := e.Staff(admin, town, "cadre", "bench_cadre")
	townOrg, err := e.App.Store.Orgs().Get(ctx, town)
	if err != nil {
		b.Fatal(err)
	}
	cats := categoryIDs(b, e)
	rows := corpusRows(b)
	statuses := []string{"submitted", "accepted", "accepted", "resolved", "responded"}
	residency := []string{"hukou", "non_hukou", "hukou"}
	for r := 0; r < rounds; r++ {
		week := start.AddDate(0, 0, 7*r)
		for batch := 0; batch < perWeek; batch += 500 {
			var sql strings.Builder
			var args []any
			sql.WriteString(`INSERT INTO requests (number, source, category_id, content, community_id, handling_org_id,
				org_path, residency, status, accept_due_at, resolve_due_at, due_at, created_at, updated_at) VALUES `)
			for i := batch; i < batch+500; i++ {
				row := rows[(i+r*7)%len(rows)]
				at := week.Add(time.Duration(i) * 3 * time.Minute)
				if i > batch {
					sql.WriteString(",")
				}
				sql.WriteString("(?, 'staff', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, fmt.Sprintf("ZLB%d-%06d", r, i), cats[row[0]],
					fmt.Sprintf("（第%d条）%s", r*perWeek+i, row[1]), comms[i%len(comms)], town, townOrg.Path,
					residency[i%len(residency)], statuses[i%len(statuses)], at.Add(48*time.Hour), at.Add(240*time.Hour),
					at.Add(240*time.Hour), at.UTC(), at.UTC())
			}
			if err := e.App.DB.Exec(sql.String(), args...).Error; err != nil {
				b.Fatal(err)
			}
		}
	}
	weekPath := func(r int) string {
		from := start.AddDate(0, 0, 7*r)
		return fmt.Sprintf("/api/v1/work/topics?org_id=%d&from=%s&to=%s", town, model.FormatDate(from),
			model.FormatDate(from.AddDate(0, 0, 7)))
	}
	get := func(p string) {
		e.Do("GET", p, cadre, nil).Must(b, 200)
	}
	var out struct {
		Items  int `json:"items"`
		Topics []struct {
			Keywords []string `json:"keywords"`
			Count    int      `json:"count"`
		} `json:"topics"`
	}
	e.Do("GET", weekPath(0), cadre, nil).Must(b, 200).Decode(b, &out) // loads the dictionary
	if out.Items != perWeek {
		b.Fatalf("week holds %d items, want %d", out.Items, perWeek)
	}
	b.StopTimer()
	healthz := measure(200, func() { get("/healthz") })
	read := measure(20, func() {
		var n int
		rs, err := e.App.DB.Raw(`SELECT id, content, category_id, community_id, status, residency, created_at FROM requests
			WHERE org_path LIKE ? AND created_at >= ? AND created_at < ?`, townOrg.Path+"%", start.UTC(),
			start.AddDate(0, 0, 7).UTC()).Rows()
		if err != nil {
			b.Fatal(err)
		}
		for rs.Next() {
			n++
		}
		rs.Close()
	})
	var cold []time.Duration
	for r := 1; r < rounds; r++ {
		runtime.GC()
		cold = append(cold, measure(1, func() { get(weekPath(r)) })...)
	}
	warm := measure(20, func() { get(weekPath(rounds - 1)) })
	b.Logf("machine: %d CPUs, %s; %d items a week; top topics of the first week:", runtime.NumCPU(), runtime.Version(), perWeek)
	for i, t := range out.Topics[:min(5, len(out.Topics))] {
		b.Logf("  %d. %v ×%d", i+1, t.Keywords, t.Count)
	}
	for _, m := range []struct {
		name string
		d    []time.Duration
	}{{"baseline GET /healthz", healthz}, {"baseline read of the week's 2,000 rows", read},
		{"topics town-week cold (new texts)", cold}, {"topics town-week warm", warm}} {
		b.Logf("%-40s n=%-4d p50 %8.2f ms   p99 %8.2f ms", m.name, len(m.d), ms(pct(m.d, 0.50)), ms(pct(m.d, 0.99)))
	}
	b.ReportMetric(ms(pct(cold, 0.50)), "cold-p50-ms")
	b.ReportMetric(ms(pct(warm, 0.50)), "warm-p50-ms")
	b.ReportMetric(ms(pct(read, 0.50)), "read-p50-ms")
	b.StartTimer()
	for i := 0; i < b.N; i++ {
		get(weekPath(rounds - 1))
	}
}
