package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zhilian/api"
	"zhilian/internal/testutil"
	"zhilian/model"
	"zhilian/service"
)

// statsNow is the test servers' clock: Monday 15 June 2026, noon.
var statsNow = time.Date(2026, 6, 15, 12, 0, 0, 0, model.Shanghai)

// at is a moment of 2026 in Asia/Shanghai.
func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2026, month, day, hour, min, 0, 0, model.Shanghai)
}

// endOf is the last instant of a business day of 2026.
func endOf(month time.Month, day int) time.Time { return model.EndOfDay(at(month, day, 0, 0)) }

// statsWorld is a known set of requests: district 南海区 with towns A and B
// (one community each), and a second district with town C.
type statsWorld struct {
	*world
	e                      *testutil.Env
	district2, townC, comm int64
	cats                   map[string]int64
	numbers                map[string]string // item name → request number
}

// statsStep is one transition, persisted in its own transaction.
type statsStep func(r *model.Request) (*model.RequestEvent, error)

var statsActor = model.Actor{ID: 1, Name: "统计测试", Kind: model.SubjectStaff}

func stAccept(t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) { return r.Accept(statsActor, "", t) }
}
func stResolve(t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) { return r.Resolve(statsActor, "已解决", t) }
}
func stRespond(t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) { return r.Respond(statsActor, "已答复", t) }
}
func stReject(t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) {
		return r.Reject(statsActor, "不属于受理范围", nil, t)
	}
}
func stWithdraw(t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) { return r.Withdraw(statsActor, "", t) }
}
func stPark(t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) {
		return r.Park(statsActor, "纳入年度计划", model.FormatDate(t.AddDate(0, 3, 0)), t)
	}
}
func stRate(score int, t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) { return r.Rate(statsActor, score, "", t) }
}
func stRedo(due, t time.Time) statsStep {
	return func(r *model.Request) (*model.RequestEvent, error) { return r.Redo(statsActor, "没有修好", due, t) }
}

// statsItem is one request of the world.
type statsItem struct {
	name       string
	org        int64 // handling org
	community  int64
	cat        string
	source     model.RequestSource
	residency  model.Residency // "" none
	submitted  time.Time
	acceptDue  time.Time
	resolveDue time.Time
	steps      []statsStep
}

// addItem submits a request through the store and moves it through its steps.
func (w *statsWorld) addItem(t *testing.T, it statsItem) int64 {
	t.Helper()
	ctx := context.Background()
	st := w.e.App.Store
	org, err := st.Orgs().Get(ctx, it.org)
	if err != nil {
		t.Fatal(err)
	}
	var res *model.Residency
	if it.residency != "" {
		r := it.residency
		res = &r
	}
	req, ev, err := model.NewRequest(model.NewRequestInput{Source: it.source, CategoryID: w.cats[it.cat],
		Content: "统计测试诉求：" + it.name, CommunityID: it.community, HandlingOrg: org, Residency: res,
		AcceptDueAt: it.acceptDue, ResolveDueAt: it.resolveDue}, statsActor, it.submitted)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Requests().Submit(ctx, service.NewRequestRecord{Request: req, Event: ev}); err != nil {
		t.Fatalf("submit %s: %v", it.name, err)
	}
	for i, s := range it.steps {
		if _, err := st.Requests().Change(ctx, req.ID, func(r *model.Request) ([]*model.RequestEvent, error) {
			ev, err := s(r)
			return []*model.RequestEvent{ev}, err
		}); err != nil {
			t.Fatalf("%s step %d: %v", it.name, i, err)
		}
	}
	w.numbers[it.name] = req.Number
	return req.ID
}

// newStatsWorld builds the server (clock at statsNow) and the known requests.
//
// March 2026 (1 March is a Sunday; no holidays) holds, for 南海区:
//
//	A1 townA sanitation miniprogram hukou      2 Mar  submitted, accept due 3 Mar: overdue
//	A2 townA sanitation miniprogram non_hukou  2 Mar  accepted 3 Mar (1 wd), resolved 6 Mar (4 wd, due 9 Mar: on time), rated 5
//	A3 townA roads      session     non_hukou  4 Mar  accepted 4 Mar (0), responded 16 Mar (8 wd, due 11 Mar: late), rated 3
//	A4 townA roads      walk_in     —          5 Mar  accepted 9 Mar (2), in progress, due 20 Mar: overdue
//	A5 townA sanitation staff       hukou      6 Mar  accepted 6 Mar (0), parked 10 Mar (due 13 Mar; long-term is not overdue)
//	A6 townA sanitation miniprogram hukou      9 Mar  withdrawn
//	A7 townA roads      open311     —         10 Mar  rejected
//	B1 townB sanitation miniprogram non_hukou  3 Mar  accepted 3 Mar (0), resolved 5 Mar, rated 4, redo 6 Mar (due 20 Mar),
//	                                                  resolved 12 Mar (7 wd: on time), rated 2
//	B2 townB roads      session     hukou     31 Mar 23:30  submitted, accept due 1 Apr: overdue
//	B5 commB roads      staff       non_hukou 11 Mar  accepted 12 Mar (1), responded 13 Mar (2 wd, due 25 Mar: on time)
//
// and outside the period or the district: B3 (1 Apr 00:00), B4 (27 Feb),
// C1 (town C, 2 Mar, accepted and resolved the same day, rated 4).
func newStatsWorld(t *testing.T, mods ...func(*testutil.Setup)) *statsWorld {
	t.Helper()
	clock := testutil.NewClock(statsNow)
	e := testutil.New(t, append([]func(*testutil.Setup){func(s *testutil.Setup) { s.Clock = clock }}, mods...)...)
	w := &statsWorld{world: newWorldOn(t, e, e.AdminToken()), e: e, cats: map[string]int64{}, numbers: map[string]string{}}
	w.district2 = e.Org(w.admin, e.RootOrgID(), "district", "顺德区")
	w.townC = e.Org(w.admin, w.district2, "town", "大良街道")
	w.comm = e.Org(w.admin, w.townC, "community", "金榜社区")
	cats, err := e.App.Store.Categories().List(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		w.cats[c.Code] = c.ID
	}
	const (
		mini, session, walkIn, staff, o311 = model.SourceMiniProgram, model.SourceSession, model.SourceWalkIn, model.SourceStaff, model.SourceOpen311
		hukou, nonHukou                    = model.Hukou, model.NonHukou
	)
	A, B := w.townA, w.townB
	for _, it := range []statsItem{
		{"A1", A, w.commA, "sanitation", mini, hukou, at(3, 2, 10, 0), endOf(3, 3), endOf(3, 9), nil},
		{"A2", A, w.commA, "sanitation", mini, nonHukou, at(3, 2, 10, 0), endOf(3, 3), endOf(3, 9),
			[]statsStep{stAccept(at(3, 3, 9, 0)), stResolve(at(3, 6, 16, 0)), stRate(5, at(3, 7, 9, 0))}},
		{"A3", A, w.commA, "roads", session, nonHukou, at(3, 4, 9, 0), endOf(3, 5), endOf(3, 11),
			[]statsStep{stAccept(at(3, 4, 15, 0)), stRespond(at(3, 16, 10, 0)), stRate(3, at(3, 17, 9, 0))}},
		{"A4", A, w.commA, "roads", walkIn, "", at(3, 5, 9, 0), endOf(3, 6), endOf(3, 20),
			[]statsStep{stAccept(at(3, 9, 9, 0))}},
		{"A5", A, w.commA, "sanitation", staff, hukou, at(3, 6, 9, 0), endOf(3, 9), endOf(3, 13),
			[]statsStep{stAccept(at(3, 6, 11, 0)), stPark(at(3, 10, 9, 0))}},
		{"A6", A, w.commA, "sanitation", mini, hukou, at(3, 9, 9, 0), endOf(3, 10), endOf(3, 20),
			[]statsStep{stWithdraw(at(3, 9, 10, 0))}},
		{"A7", A, w.commA, "roads", o311, "", at(3, 10, 9, 0), endOf(3, 11), endOf(3, 24),
			[]statsStep{stReject(at(3, 10, 14, 0))}},
		{"B1", B, w.commB, "sanitation", mini, nonHukou, at(3, 3, 11, 0), endOf(3, 4), endOf(3, 10),
			[]statsStep{stAccept(at(3, 3, 15, 0)), stResolve(at(3, 5, 10, 0)), stRate(4, at(3, 5, 18, 0)),
				stRedo(endOf(3, 20), at(3, 6, 9, 0)), stResolve(at(3, 12, 10, 0)), stRate(2, at(3, 12, 18, 0))}},
		{"B2", B, w.commB, "roads", session, hukou, at(3, 31, 23, 30), endOf(4, 1), endOf(4, 14), nil},
		{"B3", B, w.commB, "roads", mini, hukou, at(4, 1, 0, 0), endOf(4, 2), endOf(4, 15), nil},
		{"B4", B, w.commB, "roads", mini, hukou, at(2, 27, 9, 0), endOf(3, 2), endOf(3, 13), nil},
		{"B5", w.commB, w.commB, "roads", staff, nonHukou, at(3, 11, 9, 0), endOf(3, 12), endOf(3, 25),
			[]statsStep{stAccept(at(3, 12, 9, 0)), stRespond(at(3, 13, 10, 0))}},
		{"C1", w.townC, w.comm, "sanitation", mini, hukou, at(3, 2, 9, 0), endOf(3, 3), endOf(3, 9),
			[]statsStep{stAccept(at(3, 2, 10, 0)), stResolve(at(3, 2, 16, 0)), stRate(4, at(3, 3, 9, 0))}},
	} {
		w.addItem(t, it)
	}
	return w
}

// march is the period query string.
const march = "from=2026-03-01&to=2026-04-01"

// report is a decoded report, kept as generic JSON to compare with exports.
type report map[string]any

func (w *statsWorld) stats(t *testing.T, token, query string) report {
	t.Helper()
	return report(w.e.Do("GET", "/api/v1/admin/stats?"+query, token, nil).Must(t, 200).M(t))
}

// counts are the figures every split carries, in the exports' column order.
var countKeys = []string{"collected", "share", "accepted", "pending", "in_progress", "long_term", "open", "resolved",
	"responded", "rejected", "merged", "overdue", "rate", "closed", "on_time", "on_time_rate", "rated", "avg_score",
	"satisfied", "satisfied_share", "redo_count", "redone"}

// want is the expected subset of a set of figures; unnamed counts must be 0.
type want map[string]float64

// check compares every count of got with w (missing keys: 0) exactly.
func check(t *testing.T, what string, got any, w want) {
	t.Helper()
	m, ok := got.(map[string]any)
	if !ok {
		t.Fatalf("%s: not an object: %v", what, got)
	}
	for _, k := range countKeys {
		g, _ := m[k].(float64)
		if g != w[k] {
			t.Errorf("%s.%s = %v, want %v", what, k, g, w[k])
		}
	}
	for k := range w {
		if _, ok := m[k]; !ok {
			t.Errorf("%s.%s missing", what, k)
		}
	}
	rate, _ := m["rate"].(float64)
	if m["rate_pct"] != model.Percent(rate) {
		t.Errorf("%s.rate_pct = %v for rate %v", what, m["rate_pct"], rate)
	}
}

// numbersOf reads the given keys of a figures object as export cells would show them.
func numbersOf(m map[string]any, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strconv.FormatFloat(m[k].(float64), 'f', -1, 64)
	}
	return out
}

// expectedTables rebuilds from the JSON report what every export table must hold:
// table title → rows (as strings).
func expectedTables(t *testing.T, r report) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, c := range r["by_category"].([]any) {
		m := c.(map[string]any)
		out["按类别"] = append(out["按类别"], append([]string{fmt.Sprint(m["category_id"]), m["name"].(string)}, numbersOf(m, countKeys)...))
	}
	res := r["by_residency"].(map[string]any)
	for _, k := range []string{"hukou", "non_hukou", "unknown"} {
		out["按户籍"] = append(out["按户籍"], append([]string{k, api.ResidencyLabel(k)}, numbersOf(res[k].(map[string]any), countKeys)...))
	}
	src := r["by_source"].(map[string]any)
	for _, s := range model.StatsSources {
		out["按来源"] = append(out["按来源"], append([]string{string(s), api.SourceLabel(s)}, numbersOf(src[string(s)].(map[string]any), countKeys)...))
	}
	for _, o := range r["by_org"].([]any) {
		m := o.(map[string]any)
		self := ""
		if m["self"] == true {
			self = "本级"
		}
		out["按下级机构"] = append(out["按下级机构"], append([]string{fmt.Sprint(m["org_id"]), m["name"].(string), self}, numbersOf(m, countKeys)...))
	}
	for _, s := range r["series"].([]any) {
		m := s.(map[string]any)
		out["时间序列"] = append(out["时间序列"], append([]string{m["period"].(string), m["from"].(string), m["to"].(string)},
			numbersOf(m, []string{"collected", "accepted", "resolved", "responded", "rejected", "open", "rate"})...))
	}
	ov := [][]string{{"提交", fmt.Sprint(r["submitted"])}, {"撤回", fmt.Sprint(r["withdrawn"])}}
	labels := api.CountColumns
	for i, k := range countKeys {
		if k != "share" {
			ov = append(ov, []string{labels[i], numbersOf(r, []string{k})[0]})
		}
	}
	for _, d := range []struct{ key, label string }{{"accept_days", "受理用时"}, {"close_days", "办结用时"}} {
		m := r[d.key].(map[string]any)
		n := numbersOf(m, []string{"count", "avg", "median"})
		ov = append(ov, []string{d.label + "-件数", n[0]}, []string{d.label + "-平均(工作日)", n[1]}, []string{d.label + "-中位数(工作日)", n[2]})
	}
	out["总体"] = ov
	return out
}

// csvTables splits a report CSV into its sections: title → data rows (header dropped).
func csvTables(t *testing.T, raw []byte) map[string][][]string {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte("\uFEFF")) {
		t.Fatalf("CSV without a UTF-8 byte order mark: %q", raw[:min(len(raw), 20)])
	}
	out := map[string][][]string{}
	for _, chunk := range strings.Split(string(raw[3:]), "\n\n") {
		rd := csv.NewReader(strings.NewReader(chunk))
		rd.FieldsPerRecord = -1
		recs, err := rd.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) < 2 || len(recs[0]) != 1 {
			t.Fatalf("CSV section without a title and a header: %q", chunk)
		}
		out[recs[0][0]] = recs[2:]
	}
	return out
}

// xlsxTables reads every sheet: name → data rows (header dropped), raw values.
func xlsxTables(t *testing.T, raw []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			t.Fatalf("sheet %s has no header", name)
		}
		out[name] = [][]string{}
		for _, r := range rows[1:] {
			out[name] = append(out[name], r)
		}
	}
	return out
}

// sameTables checks that an export holds exactly the expected rows of every table.
func sameTables(t *testing.T, format string, got, exp map[string][][]string) {
	t.Helper()
	for title, rows := range exp {
		g, ok := got[title]
		if !ok {
			t.Errorf("%s: no table %s (have %v)", format, title, keys(got))
			continue
		}
		if title == "总体" { // the head rows name the org, the period and the time
			if len(g) < 4 {
				t.Fatalf("%s overview too short: %v", format, g)
			}
			g = g[4:]
		}
		if len(g) != len(rows) {
			t.Errorf("%s %s: %d rows, want %d\n%v\n%v", format, title, len(g), len(rows), g, rows)
			continue
		}
		for i := range rows {
			if !sameRow(trimRow(g[i]), trimRow(rows[i])) {
				t.Errorf("%s %s row %d:\n got  %v\n want %v", format, title, i, g[i], rows[i])
			}
		}
	}
}

// sameRow compares cells as text, numbers as numbers: a spreadsheet keeps 15
// significant digits (0.444444444444444 for 4/9), CSV and JSON all of them.
func sameRow(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if got[i] == want[i] {
			continue
		}
		g, err1 := strconv.ParseFloat(got[i], 64)
		w, err2 := strconv.ParseFloat(want[i], 64)
		if err1 != nil || err2 != nil || math.Abs(g-w) > 1e-14*math.Max(1, math.Abs(w)) {
			return false
		}
	}
	return true
}

// trimRow drops trailing empty cells (excelize leaves them out, CSV keeps them).
func trimRow(r []string) []string {
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	return r
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
