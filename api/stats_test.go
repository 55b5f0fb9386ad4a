package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"zhilian/api"
	"zhilian/internal/testutil"
	"zhilian/model"
	"zhilian/service"
)

func TestStatsFiguresExact(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	r := w.stats(t, w.admin, fmt.Sprintf("org_id=%d&%s", w.district, march))

	if r["submitted"] != 10.0 || r["withdrawn"] != 1.0 || r["from"] != "2026-03-01" || r["to"] != "2026-04-01" || r["group"] != "month" {
		t.Fatalf("head = %v %v %v %v %v", r["submitted"], r["withdrawn"], r["from"], r["to"], r["group"])
	}
	if org := r["org"].(map[string]any); org["id"] != float64(w.district) || org["kind"] != "district" {
		t.Fatalf("org = %v", org)
	}
	check(t, "headline", map[string]any(r), want{"collected": 9, "share": 1, "accepted": 6, "pending": 2,
		"in_progress": 1, "long_term": 1, "open": 4, "resolved": 2, "responded": 2, "rejected": 1, "overdue": 3,
		"rate": 4.0 / 9, "closed": 4, "on_time": 3, "on_time_rate": 0.75, "rated": 3, "avg_score": 10.0 / 3,
		"satisfied": 1, "satisfied_share": 1.0 / 3, "redo_count": 1, "redone": 1})
	if r["rate_pct"] != "44.4%" {
		t.Errorf("rate_pct = %v", r["rate_pct"])
	}
	dur := func(key string, count, avg, median float64) {
		d := r[key].(map[string]any)
		if d["count"] != count || d["avg"] != avg || d["median"] != median {
			t.Errorf("%s = %v, want count %v avg %v median %v", key, d, count, avg, median)
		}
	}
	dur("accept_days", 6, 4.0/6, 0.5) // 1, 0, 2, 0, 0, 1 working days
	dur("close_days", 4, 5.25, 5.5)   // 4, 8, 7, 2

	// By category: the two used, and every other active category at zero.
	cats := r["by_category"].([]any)
	if len(cats) != len(w.cats) {
		t.Fatalf("%d category rows, want %d", len(cats), len(w.cats))
	}
	for _, c := range cats {
		m := c.(map[string]any)
		switch m["category_id"] {
		case float64(w.cats["sanitation"]):
			check(t, "sanitation", m, want{"collected": 4, "share": 4.0 / 9, "accepted": 3, "pending": 1, "long_term": 1,
				"open": 2, "resolved": 2, "overdue": 1, "rate": 0.5, "closed": 2, "on_time": 2, "on_time_rate": 1,
				"rated": 2, "avg_score": 3.5, "satisfied": 1, "satisfied_share": 0.5, "redo_count": 1, "redone": 1})
		case float64(w.cats["roads"]):
			check(t, "roads", m, want{"collected": 5, "share": 5.0 / 9, "accepted": 3, "pending": 1, "in_progress": 1,
				"open": 2, "responded": 2, "rejected": 1, "overdue": 2, "rate": 0.4, "closed": 2, "on_time": 1,
				"on_time_rate": 0.5, "rated": 1, "avg_score": 3})
		default:
			check(t, fmt.Sprint(m["name"]), m, want{})
		}
	}

	res := r["by_residency"].(map[string]any)
	check(t, "hukou", res["hukou"], want{"collected": 3, "share": 1.0 / 3, "accepted": 1, "pending": 2, "long_term": 1,
		"open": 3, "overdue": 2})
	check(t, "non_hukou", res["non_hukou"], want{"collected": 4, "share": 4.0 / 9, "accepted": 4, "resolved": 2,
		"responded": 2, "rate": 1, "closed": 4, "on_time": 3, "on_time_rate": 0.75, "rated": 3, "avg_score": 10.0 / 3,
		"satisfied": 1, "satisfied_share": 1.0 / 3, "redo_count": 1, "redone": 1})
	check(t, "unknown", res["unknown"], want{"collected": 2, "share": 2.0 / 9, "accepted": 1, "in_progress": 1,
		"open": 1, "rejected": 1, "overdue": 1})

	src := r["by_source"].(map[string]any)
	if len(src) != 5 {
		t.Errorf("by_source has %d keys: %v", len(src), keys(src))
	}
	check(t, "miniprogram", src["miniprogram"], want{"collected": 3, "share": 1.0 / 3, "accepted": 2, "pending": 1,
		"open": 1, "resolved": 2, "overdue": 1, "rate": 2.0 / 3, "closed": 2, "on_time": 2, "on_time_rate": 1,
		"rated": 2, "avg_score": 3.5, "satisfied": 1, "satisfied_share": 0.5, "redo_count": 1, "redone": 1})
	check(t, "session", src["session"], want{"collected": 2, "share": 2.0 / 9, "accepted": 1, "pending": 1, "open": 1,
		"responded": 1, "overdue": 1, "rate": 0.5, "closed": 1, "rated": 1, "avg_score": 3})
	check(t, "walk_in", src["walk_in"], want{"collected": 1, "share": 1.0 / 9, "accepted": 1, "in_progress": 1,
		"open": 1, "overdue": 1})
	check(t, "staff", src["staff"], want{"collected": 2, "share": 2.0 / 9, "accepted": 2, "long_term": 1, "open": 1,
		"responded": 1, "rate": 0.5, "closed": 1, "on_time": 1, "on_time_rate": 1})
	check(t, "open311", src["open311"], want{"collected": 1, "share": 1.0 / 9, "rejected": 1})

	orgs := r["by_org"].([]any)
	if len(orgs) != 2 {
		t.Fatalf("by_org = %v", orgs)
	}
	a, b := orgs[0].(map[string]any), orgs[1].(map[string]any)
	if a["org_id"] != float64(w.townA) || b["org_id"] != float64(w.townB) || a["self"] != false || a["kind"] != "town" {
		t.Fatalf("by_org rows = %v, %v", a, b)
	}
	check(t, "townA", a, want{"collected": 6, "share": 6.0 / 9, "accepted": 4, "pending": 1, "in_progress": 1,
		"long_term": 1, "open": 3, "resolved": 1, "responded": 1, "rejected": 1, "overdue": 2, "rate": 2.0 / 6,
		"closed": 2, "on_time": 1, "on_time_rate": 0.5, "rated": 2, "avg_score": 4, "satisfied": 1, "satisfied_share": 0.5})
	check(t, "townB", b, want{"collected": 3, "share": 1.0 / 3, "accepted": 2, "pending": 1, "open": 1, "resolved": 1,
		"responded": 1, "overdue": 1, "rate": 2.0 / 3, "closed": 2, "on_time": 2, "on_time_rate": 1, "rated": 1,
		"avg_score": 2, "redo_count": 1, "redone": 1})

	series := r["series"].([]any)
	if len(series) != 1 {
		t.Fatalf("series = %v", series)
	}
	m := series[0].(map[string]any)
	if m["period"] != "2026-03" || m["from"] != "2026-03-01" || m["to"] != "2026-04-01" || m["collected"] != 9.0 ||
		m["accepted"] != 6.0 || m["resolved"] != 2.0 || m["responded"] != 2.0 || m["rejected"] != 1.0 ||
		m["open"] != 4.0 || m["rate"] != 4.0/9 {
		t.Errorf("month = %v", m)
	}

	// Weeks (ISO, clipped to the period): 1 Mar is the Sunday of W09.
	weeks := w.stats(t, w.admin, fmt.Sprintf("org_id=%d&%s&group=week", w.district, march))["series"].([]any)
	exp := []string{
		"2026-W09 2026-03-01 2026-03-02 0 0 0 0 0 0 0",
		"2026-W10 2026-03-02 2026-03-09 6 5 2 1 0 3 0.5",
		"2026-W11 2026-03-09 2026-03-16 2 1 0 1 1 0 0.5",
		"2026-W12 2026-03-16 2026-03-23 0 0 0 0 0 0 0",
		"2026-W13 2026-03-23 2026-03-30 0 0 0 0 0 0 0",
		"2026-W14 2026-03-30 2026-04-01 1 0 0 0 0 1 0",
	}
	if len(weeks) != len(exp) {
		t.Fatalf("weeks = %v", weeks)
	}
	for i, x := range weeks {
		m := x.(map[string]any)
		got := fmt.Sprint(m["period"], " ", m["from"], " ", m["to"], " ", m["collected"], " ", m["accepted"], " ",
			m["resolved"], " ", m["responded"], " ", m["rejected"], " ", m["open"], " ", m["rate"])
		if got != exp[i] {
			t.Errorf("week %d = %s, want %s", i, got, exp[i])
		}
	}
}

func TestStatsSubtreeAndPeriod(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)

	// A town counts its own items only; items it handles are put under their community.
	r := w.stats(t, w.admin, fmt.Sprintf("org_id=%d&%s", w.townB, march))
	check(t, "townB", map[string]any(r), want{"collected": 3, "share": 1, "accepted": 2, "pending": 1, "open": 1,
		"resolved": 1, "responded": 1, "overdue": 1, "rate": 2.0 / 3, "closed": 2, "on_time": 2, "on_time_rate": 1,
		"rated": 1, "avg_score": 2, "redo_count": 1, "redone": 1})
	orgs := r["by_org"].([]any)
	if len(orgs) != 1 || orgs[0].(map[string]any)["org_id"] != float64(w.commB) || orgs[0].(map[string]any)["collected"] != 3.0 {
		t.Fatalf("town B by_org = %v", orgs)
	}
	// A community handles one item itself.
	r = w.stats(t, w.admin, fmt.Sprintf("org_id=%d&%s", w.commB, march))
	if r["collected"] != 1.0 || r["responded"] != 1.0 {
		t.Fatalf("community B = %v", r)
	}
	if orgs := r["by_org"].([]any); len(orgs) != 1 || orgs[0].(map[string]any)["self"] != true {
		t.Fatalf("community by_org = %v", orgs)
	}

	// The city: both districts, and the rows sum to the headline for every count.
	r = w.stats(t, w.admin, march)
	if r["collected"] != 10.0 || r["submitted"] != 11.0 || r["resolved"] != 3.0 {
		t.Fatalf("city = %v %v %v", r["collected"], r["submitted"], r["resolved"])
	}
	orgs = r["by_org"].([]any)
	if len(orgs) != 2 || orgs[0].(map[string]any)["org_id"] != float64(w.district) ||
		orgs[1].(map[string]any)["org_id"] != float64(w.district2) || orgs[1].(map[string]any)["collected"] != 1.0 {
		t.Fatalf("city by_org = %v", orgs)
	}
	for _, k := range countKeys {
		if strings.Contains(k, "rate") || strings.Contains(k, "share") || k == "avg_score" {
			continue
		}
		var sum float64
		for _, o := range orgs {
			sum += o.(map[string]any)[k].(float64)
		}
		if sum != r[k].(float64) {
			t.Errorf("by_org %s sums to %v, headline %v", k, sum, r[k])
		}
	}
	if d := r["accept_days"].(map[string]any); d["count"] != 7.0 || d["median"] != 0.0 {
		t.Errorf("city accept_days = %v", d)
	}

	// Period bounds: [from, to) in Asia/Shanghai.
	r = w.stats(t, w.admin, fmt.Sprintf("org_id=%d&from=2026-04-01&to=2026-04-02", w.townB))
	if r["collected"] != 1.0 || r["pending"] != 1.0 || r["overdue"] != 1.0 {
		t.Fatalf("1 April = %v", r)
	}
	r = w.stats(t, w.admin, fmt.Sprintf("org_id=%d&from=2026-03-31&to=2026-04-01", w.townB))
	if r["collected"] != 1.0 { // B2 at 23:30 on 31 March
		t.Fatalf("31 March = %v", r["collected"])
	}
	r = w.stats(t, w.admin, fmt.Sprintf("org_id=%d&from=2026-02-01&to=2026-03-01", w.district))
	if r["collected"] != 1.0 {
		t.Fatalf("February = %v", r["collected"])
	}
	// Default: this year (2026 on the test clock).
	r = w.stats(t, w.admin, fmt.Sprintf("org_id=%d", w.district))
	if r["from"] != "2026-01-01" || r["to"] != "2027-01-01" || r["collected"] != 11.0 || len(r["series"].([]any)) != 12 {
		t.Fatalf("default period = %v %v %v", r["from"], r["to"], r["collected"])
	}
	// A period without items.
	r = w.stats(t, w.admin, "from=2020-01-01&to=2020-02-01")
	check(t, "empty", map[string]any(r), want{})
	if r["rate_pct"] != "0.0%" {
		t.Fatalf("empty rate_pct = %v", r["rate_pct"])
	}
}

func TestStatsExportsMatchJSON(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	q := fmt.Sprintf("org_id=%d&%s&group=week", w.district, march)
	exp := expectedTables(t, w.stats(t, w.admin, q))

	res := w.e.Do("GET", "/api/v1/admin/stats/export?format=csv&"+q, w.admin, nil).Must(t, 200)
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	name := fmt.Sprintf("zhilian-stats-%d-2026-03-01-2026-04-01", w.district)
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="`+name+`.csv"` {
		t.Fatalf("content disposition %q", cd)
	}
	got := csvTables(t, res.Raw)
	if len(got) != 8 { // six splits and the two sections (points, departments)
		t.Fatalf("CSV sections %v", keys(got))
	}
	sameTables(t, "csv", got, exp)
	if !strings.Contains(string(res.Raw), "南海区") {
		t.Fatal("CSV does not name the org in Chinese")
	}

	res = w.e.Do("GET", "/api/v1/admin/stats/export?format=xlsx&"+q, w.admin, nil).Must(t, 200)
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="`+name+`.xlsx"` {
		t.Fatalf("content disposition %q", cd)
	}
	got = xlsxTables(t, res.Raw)
	if len(got) != 8 { // six splits and the two sections (points, departments)
		t.Fatalf("sheets %v", keys(got))
	}
	sameTables(t, "xlsx", got, exp)
}

func TestStatsItemExport(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	q := fmt.Sprintf("org_id=%d&%s", w.district, march)
	want := map[string]string{} // number → status label, overdue
	for _, n := range []string{"A1", "A2", "A3", "A4", "A5", "A6", "A7", "B1", "B2", "B5"} {
		want[w.numbers[n]] = n
	}
	checkRows := func(format string, rows [][]string) {
		t.Helper()
		if len(rows) != len(want) {
			t.Fatalf("%s: %d rows, want %d: %v", format, len(rows), len(want), rows)
		}
		for _, row := range rows {
			row = append(row, make([]string, len(api.ItemColumns))...)
			name, ok := want[row[0]]
			if !ok {
				t.Fatalf("%s: unexpected item %v", format, row)
			}
			switch name {
			case "A1":
				if row[3] != "待受理" || row[12] != "是" || row[4] != "小程序" || row[5] != "户籍" || row[6] != "桂城街道" ||
					row[2] != "环境卫生" || row[1] != "2026-03-02 10:00:00" {
					t.Errorf("%s A1 = %v", format, row)
				}
			case "A6":
				if row[3] != "已撤回" || row[12] != "" {
					t.Errorf("%s A6 = %v", format, row)
				}
			case "B1":
				if row[3] != "已解决" || row[13] != "2" || row[14] != "1" || row[7] != "罗村社区" || row[11] != "2026-03-12 10:00:00" {
					t.Errorf("%s B1 = %v", format, row)
				}
			case "B5":
				if row[6] != "罗村社区" || row[3] != "已答复" {
					t.Errorf("%s B5 = %v", format, row)
				}
			}
		}
	}

	res := w.e.Do("GET", "/api/v1/admin/stats/export?format=csv&detail=items&"+q, w.admin, nil).Must(t, 200)
	if cd := res.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="zhilian-items-%d-2026-03-01-2026-04-01.csv"`, w.district) {
		t.Fatalf("content disposition %q", cd)
	}
	if !bytes.HasPrefix(res.Raw, []byte("\uFEFF")) || strings.Contains(string(res.Raw), "统计测试诉求") {
		t.Fatal("item CSV without BOM, or with the request text")
	}
	rd := csv.NewReader(bytes.NewReader(res.Raw[3:]))
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(api.ItemColumns, ",") {
		t.Fatalf("header %v", recs[0])
	}
	checkRows("csv", recs[1:])

	res = w.e.Do("GET", "/api/v1/admin/stats/export?format=xlsx&detail=items&"+q, w.admin, nil).Must(t, 200)
	f, err := excelize.OpenReader(bytes.NewReader(res.Raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("诉求明细", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	checkRows("xlsx", rows[1:])
}

func TestStatsAuthorization(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	e := w.e
	_, adminA := e.Staff(w.admin, w.townA, "admin", "stats_admin_a")
	_, cadreA := e.Staff(w.admin, w.townA, "cadre", "stats_cadre_a")
	_, resident := e.Resident(testutil.UniqueCode("stats"))

	// Town A's admin: own town by default, nothing outside it (404, not 403).
	r := w.stats(t, adminA, march)
	if r["collected"] != 6.0 || r["org"].(map[string]any)["id"] != float64(w.townA) {
		t.Fatalf("town A admin = %v", r)
	}
	for _, org := range []int64{w.townB, w.district, w.commB, e.RootOrgID()} {
		e.Do("GET", fmt.Sprintf("/api/v1/admin/stats?org_id=%d", org), adminA, nil).MustErr(t, 404, "not_found")
		e.Do("GET", fmt.Sprintf("/api/v1/admin/stats/export?format=csv&org_id=%d", org), adminA, nil).MustErr(t, 404, "not_found")
		e.Do("GET", fmt.Sprintf("/api/v1/admin/stats/export?format=xlsx&detail=items&org_id=%d", org), adminA, nil).MustErr(t, 404, "not_found")
	}
	w.stats(t, adminA, fmt.Sprintf("org_id=%d", w.commA))
	e.Do("GET", "/api/v1/admin/stats?org_id=99999999", w.admin, nil).MustErr(t, 404, "not_found")

	// A cadre: not on /admin, own jurisdiction on /work.
	e.Do("GET", "/api/v1/admin/stats", cadreA, nil).MustErr(t, 403, "forbidden")
	e.Do("GET", "/api/v1/admin/stats/export?format=csv", cadreA, nil).MustErr(t, 403, "forbidden")
	var wr report
	e.Do("GET", "/api/v1/work/stats?"+march, cadreA, nil).Must(t, 200).Decode(t, &wr)
	if wr["collected"] != 6.0 || wr["org"].(map[string]any)["id"] != float64(w.townA) {
		t.Fatalf("cadre = %v", wr)
	}
	e.Do("GET", fmt.Sprintf("/api/v1/work/stats?org_id=%d", w.townB), cadreA, nil).MustErr(t, 404, "not_found")

	// Residents and strangers.
	for _, path := range []string{"/api/v1/admin/stats", "/api/v1/work/stats", "/api/v1/admin/stats/export?format=csv"} {
		e.Do("GET", path, resident, nil).MustErr(t, 403, "forbidden")
		e.Do("GET", path, "", nil).MustErr(t, 401, "unauthorized")
	}
}

func TestStatsBadInput(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	for _, q := range []string{
		"from=2026-3-1", "from=2026-02-30", "to=tomorrow", "from=2026-05-01&to=2026-04-01",
		"from=2026-04-01&to=2026-04-01", "from=2015-01-01&to=2026-01-02", "group=day", "org_id=abc",
		"org_id=-1", "org_id=1.5",
	} {
		for _, path := range []string{"/api/v1/admin/stats?", "/api/v1/work/stats?", "/api/v1/admin/stats/export?format=xlsx&"} {
			w.e.Do("GET", path+q, w.admin, nil).MustErr(t, 400, "invalid_argument")
		}
	}
	for _, q := range []string{"format=pdf", "format=CSV", "format=csv&detail=all"} {
		w.e.Do("GET", "/api/v1/admin/stats/export?"+q, w.admin, nil).MustErr(t, 400, "invalid_argument")
	}
	// Format defaults to CSV; ten years is the longest period.
	res := w.e.Do("GET", "/api/v1/admin/stats/export?from=2016-01-01&to=2026-01-01", w.admin, nil).Must(t, 200)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("default format %q", res.Header.Get("Content-Type"))
	}
}

func TestStatsCacheFollowsChanges(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	q := fmt.Sprintf("org_id=%d&%s", w.district, march)
	r := w.stats(t, w.admin, q)
	if r["accepted"] != 6.0 || r["pending"] != 2.0 {
		t.Fatalf("before = %v", r)
	}
	if again := w.stats(t, w.admin, q); fmt.Sprint(again) != fmt.Sprint(r) {
		t.Fatalf("cached answer differs:\n%v\n%v", again, r)
	}
	keys, err := w.e.App.Redis.Keys(context.Background(), w.e.Config.RedisPrefix+"stats:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("stats cache keys = %v, %v", keys, err)
	}

	// A cadre accepts A1 (the cadre API lives on another branch: straight through the store).
	w.e.Clock.Advance(5 * 60e9)
	var a1 int64
	if err := w.e.App.DB.Raw("SELECT id FROM requests WHERE number = ?", w.numbers["A1"]).Row().Scan(&a1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.e.App.Store.Requests().Change(context.Background(), a1, func(r *model.Request) ([]*model.RequestEvent, error) {
		ev, err := r.Accept(statsActor, "", w.e.Clock.Now())
		return []*model.RequestEvent{ev}, err
	}); err != nil {
		t.Fatal(err)
	}
	r = w.stats(t, w.admin, q)
	if r["accepted"] != 7.0 || r["pending"] != 1.0 || r["in_progress"] != 2.0 || r["overdue"] != 3.0 {
		t.Fatalf("after accepting A1: accepted %v pending %v in_progress %v overdue %v", r["accepted"], r["pending"], r["in_progress"], r["overdue"])
	}
	// A new item shows at once too.
	w.addItem(t, statsItem{"A8", w.townA, w.commA, "roads", model.SourceMiniProgram, model.Hukou, at(3, 20, 9, 0),
		endOf(3, 23), endOf(4, 3), nil})
	if r = w.stats(t, w.admin, q); r["collected"] != 10.0 {
		t.Fatalf("after A8: collected %v", r["collected"])
	}
}

// pointsSection stands for a feature's own extra section.
type pointsSection struct{}

func (pointsSection) Compute(_ context.Context, q model.StatsQuery) (model.StatsTable, error) {
	return model.StatsTable{Key: "test_extra", Columns: []string{"org_id", "period", "sessions"},
		Rows: [][]any{{q.Org.ID, model.FormatDate(q.From), 3}}}, nil
}

func TestStatsExtraSections(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t, func(s *testutil.Setup) { s.Options.StatsSections = []service.StatsSection{pointsSection{}} })
	q := fmt.Sprintf("org_id=%d&%s", w.townA, march)
	secs := w.stats(t, w.admin, q)["sections"].([]any)
	if len(secs) != 3 {
		t.Fatalf("sections = %v", secs)
	}
	s := secs[2].(map[string]any)
	if s["key"] != "test_extra" || fmt.Sprint(s["rows"]) != fmt.Sprintf("[[%d 2026-03-01 3]]", w.townA) {
		t.Fatalf("section = %v", s)
	}
	// A section the api has no layout for reads as its keys.
	if s["title"] != "test_extra" || fmt.Sprint(s["columns"]) != "[org_id period sessions]" {
		t.Fatalf("section title/columns = %v %v", s["title"], s["columns"])
	}
	row := []string{fmt.Sprint(w.townA), "2026-03-01", "3"}
	for _, format := range []string{"csv", "xlsx"} {
		raw := w.e.Do("GET", "/api/v1/admin/stats/export?format="+format+"&"+q, w.admin, nil).Must(t, 200).Raw
		var got map[string][][]string
		if format == "csv" {
			got = csvTables(t, raw)
		} else {
			got = xlsxTables(t, raw)
		}
		if rows := got["test_extra"]; len(rows) != 1 || strings.Join(rows[0], "|") != strings.Join(row, "|") {
			t.Fatalf("%s section = %v", format, got["test_extra"])
		}
	}
}
