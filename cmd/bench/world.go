package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// world is what the loads need: signed-in residents and cadres, and what
// the writes returned (checked afterwards).
type world struct {
	c         *city
	srv       *server
	o         options
	residents []token
	community map[int64]int64 // resident → community
	cadres    []token         // town cadres and admins
	admin     token           // a city admin
	label     string          // appended to row names: " [before]" for the -before server
	cats      []int64

	mu        sync.Mutex
	submitted []int64 // ids of 2xx submissions
	booked    []int64
	checks    []string
	failed    bool
}

func newWorld(ctx context.Context, c *city, srv *server, o options) (*world, error) {
	w := &world{c: c, srv: srv, o: o, community: map[int64]int64{}}
	rows, err := c.db.QueryContext(ctx, `SELECT id, community_id FROM residents WHERE openid LIKE 'seed\_%' ORDER BY id LIMIT ?`, o.residentTokens)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id, comm int64
		if err := rows.Scan(&id, &comm); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
		w.community[id] = comm
	}
	rows.Close()
	if w.residents, err = c.issue(ctx, "resident", ids, 1); err != nil {
		return nil, err
	}
	cadres, err := c.ids(ctx, `SELECT a.id FROM accounts a JOIN orgs o ON o.id = a.org_id
		WHERE o.kind = 'town' AND a.status = 'active' ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	if w.cadres, err = c.issue(ctx, "staff", cadres, o.cadreToks); err != nil {
		return nil, err
	}
	adminID, err := c.cityAdmin(ctx)
	if err != nil {
		return nil, err
	}
	admins, err := c.issue(ctx, "staff", []int64{adminID}, 1)
	if err != nil {
		return nil, err
	}
	w.admin = admins[0]
	if w.cats, err = c.ids(ctx, "SELECT id FROM categories WHERE active = 1 ORDER BY id"); err != nil {
		return nil, err
	}
	say("signed in %d residents, %d cadre logins (%d town staff), a city admin", len(w.residents), len(w.cadres), len(cadres))
	return w, nil
}

func (w *world) check(ok bool, format string, args ...any) {
	mark := "OK  "
	if !ok {
		mark = "FAIL"
		w.failed = true
	}
	w.checks = append(w.checks, mark+" "+fmt.Sprintf(format, args...))
}

func (w *world) get(path string, tokens []token) shot {
	return func(i uint64) call {
		return call{Method: "GET", Path: path, Token: tokens[i%uint64(len(tokens))].Token}
	}
}

func (w *world) submit() shot {
	return func(i uint64) call {
		t := w.residents[i%uint64(len(w.residents))]
		body, _ := json.Marshal(map[string]any{"category_id": w.cats[i%uint64(len(w.cats))],
			"content": fmt.Sprintf("压测提交第 %d 条：小区门口路灯不亮，晚上出行不便，请尽快维修。", i), "community_id": w.community[t.Subject]})
		return call{Method: "POST", Path: "/api/v1/my/requests", Token: t.Token, Body: body}
	}
}

func (w *world) keepSubmitted(res *vegeta.Result) {
	if res.Code/100 == 2 {
		if id := dataID(res.Body); id > 0 {
			w.mu.Lock()
			w.submitted = append(w.submitted, id)
			w.mu.Unlock()
		}
	}
}

// profiled runs f, with a CPU profile of the server beside it when asked.
func (w *world) profiled(name string, d time.Duration, f func() row) row {
	if !w.o.pprof || d < 3*time.Second {
		return f()
	}
	if w.label != "" {
		name += "_before"
	}
	path := filepath.Join(w.o.out, name+".pprof")
	done := make(chan error, 1)
	go func() { done <- w.srv.profile(path, d-time.Second) }()
	r := f()
	if err := <-done; err != nil {
		r.Note += " (no profile: " + err.Error() + ")"
	} else {
		r.Note += " profile " + path
	}
	return r
}

func ratio(a, b row) string {
	if b.Achieved == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f × %s", a.Achieved/b.Achieved, b.Name)
}

// runAll drives every path in turn.
func (w *world) runAll(ctx context.Context, rdb *redis.Client, prefix string) ([]row, error) {
	step := w.o.step
	base := w.srv.url
	var out []row
	add := func(r row) row {
		say("%-44s %8.0f ok/s  p50 %6s  p99 %7s ms  %s", r.Name, r.Achieved, ms(r.P50), ms(r.P99), r.codes())
		out = append(out, r)
		return r
	}
	// Warm up: every token once (fills the login cache), a few lists.
	all := append(append([]token{}, w.residents...), w.cadres...)
	// Every token exactly once (a timed warm-up left a third of them cold,
	// and the token check then measured their first, uncached, resolution).
	warm := make(chan token)
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range warm {
				req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/auth/me", nil)
				req.Header.Set("Authorization", "Bearer "+t.Token)
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
				}
			}
		}()
	}
	for _, t := range all {
		warm <- t
	}
	close(warm)
	wg.Wait()
	attack(base, "warm-up", 0, 64, 2*time.Second, w.get("/api/v1/my/requests", w.residents), nil)

	// Token check against Gin + Redis GET.
	if w.on("auth") {
		bareURL, stopBare, err := bareGin(rdb, prefix+"bare:")
		if err != nil {
			return nil, err
		}
		if err := seedBareTokens(ctx, rdb, prefix+"bare:", w.residents); err != nil {
			return nil, err
		}
		bare := add(attack(bareURL, "bare Gin + Redis GET", 0, 64, step, func(i uint64) call {
			return call{Method: "GET", Path: "/me", Token: w.residents[i%uint64(len(w.residents))].Token}
		}, nil))
		stopBare()
		me := w.profiled("auth_me", step, func() row {
			return attack(base, "GET /auth/me"+w.label, 0, 64, step, w.get("/api/v1/auth/me", w.residents), nil)
		})
		me.Ratio = ratio(me, bare)
		add(me)
	}

	// A resident's list against the bare indexed list-20.
	var bareList row
	if w.on("list") || w.on("inbox") {
		bareList = add(sqlLoad("bare SQL list-20 (32 conns)", w.c.db, 32, step, func(ctx context.Context, i uint64) error {
			t := w.residents[i%uint64(len(w.residents))]
			rows, err := w.c.db.QueryContext(ctx, `SELECT id, number, status, category_id, community_id, created_at, updated_at
			FROM requests WHERE resident_id = ? ORDER BY id DESC LIMIT 20`, t.Subject)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
			}
			return rows.Err()
		}))
		w.c.db.SetMaxOpenConns(8)
	}
	if w.on("list") {
		r := add(attack(base, "GET /my/requests"+w.label, 2000, 0, step, w.get("/api/v1/my/requests", w.residents), nil))
		r.Ratio = "-"
		lm := w.profiled("my_requests", step, func() row {
			return attack(base, "GET /my/requests"+w.label, 0, 64, step, w.get("/api/v1/my/requests", w.residents), nil)
		})
		lm.Ratio = ratio(lm, bareList)
		add(lm)
	}

	// The town inbox: the default and each filter of the mini-program.
	filters := []struct{ name, query string }{
		{"default (open)", ""}, {"mine", "?assignee=me"}, {"unassigned", "?assignee=unassigned"},
		{"overdue", "?overdue=1"}, {"due soon", "?due_soon=1"}, {"status=resolved", "?status=resolved"},
	}
	if w.on("inbox") {
		for _, f := range filters {
			add(attack(base, "GET /work/requests "+f.name+w.label, 1000, 0, step, w.get("/api/v1/work/requests"+f.query, w.cadres), nil))
		}
		ib := w.profiled("inbox", step, func() row {
			return attack(base, "GET /work/requests default"+w.label, 0, 32, step, w.get("/api/v1/work/requests", w.cadres), nil)
		})
		ib.Ratio = ratio(ib, bareList)
		add(ib)
	}
	if w.on("submit") {
		if err := w.submits(ctx, add); err != nil {
			return nil, err
		}
	}
	var slot int64
	if w.on("booking") {
		var err error
		if slot, err = w.booking(ctx, add); err != nil {
			return nil, err
		}
	}
	if w.on("mixed") {
		add(w.mixedLoad(ctx))
	}
	w.invariants(ctx, slot)
	return out, nil
}

// on reports whether the section is asked for (-only; empty: all).
func (w *world) on(section string) bool {
	if w.o.only == "" {
		return true
	}
	for _, s := range strings.Split(w.o.only, ",") {
		if strings.TrimSpace(s) == section {
			return true
		}
	}
	return false
}

// submits: POST /my/requests at fixed rates and closed loop, against the bare autocommit insert.
func (w *world) submits(ctx context.Context, add func(row) row) error {
	step, base := w.o.step, w.srv.url
	if _, err := w.c.db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS bench_bare_requests LIKE requests"); err != nil {
		return err
	}
	bareIns := add(sqlLoad("bare SQL insert autocommit (32 conns)", w.c.db, 32, step, func(ctx context.Context, i uint64) error {
		_, err := w.c.db.ExecContext(ctx, `INSERT INTO bench_bare_requests (number, resident_id, source, category_id, content,
			community_id, handling_org_id, org_path, status, accept_due_at, resolve_due_at, created_at, updated_at)
			VALUES (?, ?, 'mini_program', 1, '压测', 1, 1, '/1/', 'submitted', NOW(3), NOW(3), NOW(3), NOW(3))`,
			fmt.Sprintf("B%d", i), i)
		return err
	}))
	w.c.db.SetMaxOpenConns(8)
	if _, err := w.c.db.ExecContext(ctx, "DROP TABLE bench_bare_requests"); err != nil {
		return err
	}
	for _, rate := range []int{300, 500} {
		add(attack(base, "POST /my/requests"+w.label, rate, 0, step, w.submit(), w.keepSubmitted))
	}
	sm := w.profiled("submit", step, func() row {
		return attack(base, "POST /my/requests"+w.label, 0, 64, step, w.submit(), w.keepSubmitted)
	})
	sm.Ratio = ratio(sm, bareIns)
	add(sm)
	return nil
}

// booking: one hot slot, closed loop; returns the slot (checked afterwards).
func (w *world) booking(ctx context.Context, add func(row) row) (int64, error) {
	step, base := w.o.step, w.srv.url
	slot, capacity, err := w.hotSlot(ctx)
	if err != nil {
		return 0, fmt.Errorf("hot slot: %w", err)
	}
	bk := w.profiled("booking", step, func() row {
		return attack(base, "POST /my/bookings (one slot)"+w.label, 0, 64, step, func(i uint64) call {
			t := w.residents[i%uint64(len(w.residents))]
			return call{Method: "POST", Path: "/api/v1/my/bookings", Token: t.Token, Body: []byte(fmt.Sprintf(`{"slot_id":%d}`, slot))}
		}, func(res *vegeta.Result) {
			if res.Code/100 == 2 {
				w.mu.Lock()
				w.booked = append(w.booked, dataID(res.Body))
				w.mu.Unlock()
			}
		})
	})
	bk.Note = fmt.Sprintf("attempts/s = ok + 409 (full): %.0f; capacity %d", bk.Achieved+float64(bk.Codes["409"])/step.Seconds(), capacity)
	add(bk)
	return slot, nil
}

// mixedLoad offers 1,000 requests/s for o.mixed: 70% reads (a resident's
// list, the token check), 20% submissions, 10% the inbox and statistics,
// sampling the server's RSS and the database's connections each second.
func (w *world) mixedLoad(ctx context.Context) row {
	stats := fmt.Sprintf("/api/v1/work/stats?from=%d-01-01&to=%d-01-01", time.Now().Year()-1, time.Now().Year())
	sub, me, list, inbox := w.submit(), w.get("/api/v1/auth/me", w.residents), w.get("/api/v1/my/requests", w.residents),
		w.get("/api/v1/work/requests", w.cadres)
	mk := func(i uint64) call {
		switch k := i % 20; {
		case k < 8:
			return list(i / 20)
		case k < 14:
			return me(i / 20)
		case k < 18:
			return sub(i)
		case k == 18:
			return inbox(i / 20)
		default:
			return w.get(stats, w.cadres)(i / 20)
		}
	}
	var maxRSS float64
	var maxConns int
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if r := w.srv.rssMB(); r > maxRSS {
					maxRSS = r
				}
				var n int
				if err := w.c.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()").Scan(&n); err == nil && n > maxConns {
					maxConns = n
				}
			}
		}
	}()
	r := w.profiled("mixed", w.o.mixed, func() row {
		return attack(w.srv.url, "mixed 70/20/10"+w.label, 1000, 0, w.o.mixed, mk, w.keepSubmitted)
	})
	close(stop)
	<-done
	if w.o.pprof { // what the server allocated since it started (go tool pprof -sample_index=alloc_space)
		name := "mixed_allocs"
		if w.label != "" {
			name += "_before"
		}
		if err := w.srv.save(filepath.Join(w.o.out, name+".pprof"), "/debug/pprof/allocs"); err != nil {
			r.Note += " (no allocation profile: " + err.Error() + ")"
		}
	}
	// The bench's own connection to watch is one of them.
	r.Note += fmt.Sprintf(" server RSS max %.0f MB, DB connections max %d (incl. the bench's own)", maxRSS, maxConns)
	return r
}

// hotSlot creates a liaison point with one 5-seat slot open for booking
// (through the admin API, as an admin would) and returns the slot.
func (w *world) hotSlot(ctx context.Context) (int64, int, error) {
	var comm int64
	for _, v := range w.community {
		comm = v
		break
	}
	var point struct {
		Data struct{ ID int64 } `json:"data"`
	}
	if err := w.do("POST", "/api/v1/admin/points", map[string]any{"org_id": comm, "name": fmt.Sprintf("压测驻点 %d", time.Now().Unix()),
		"address": "压测路 1 号", "lat": 23.02, "lng": 113.12}, &point); err != nil {
		return 0, 0, err
	}
	wd := int(time.Now().AddDate(0, 0, 3).Weekday())
	if err := w.do("PUT", fmt.Sprintf("/api/v1/admin/points/%d/schedule", point.Data.ID), map[string]any{"weekday": wd,
		"windows": []map[string]string{{"start": "09:00", "end": "09:30"}}, "slot_minutes": 30, "slot_capacity": 5,
		"open_days_ahead": 28, "cutoff_hours": 2}, nil); err != nil {
		return 0, 0, err
	}
	var sessions struct {
		Data struct {
			Items []struct {
				Slots []struct {
					ID       int64 `json:"id"`
					Capacity int   `json:"capacity"`
					Bookable bool  `json:"bookable"`
				} `json:"slots"`
			} `json:"items"`
		} `json:"data"`
	}
	if err := w.do("GET", fmt.Sprintf("/api/v1/points/%d/sessions", point.Data.ID), nil, &sessions); err != nil {
		return 0, 0, err
	}
	for _, s := range sessions.Data.Items {
		for _, sl := range s.Slots {
			if sl.Bookable {
				return sl.ID, sl.Capacity, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("no bookable slot in %+v", sessions)
}

// do calls the API as the city admin.
func (w *world) do(method, path string, in, out any) error {
	var body *bytes.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	} else {
		body = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, w.srv.url+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+w.admin.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b.String())
	}
	if out != nil {
		return json.NewDecoder(res.Body).Decode(out)
	}
	return nil
}

// invariants: no slot over capacity, every 2xx write present, rollups = scan.
func (w *world) invariants(ctx context.Context, slot int64) {
	db := w.c.db
	if slot != 0 {
		w.slotInvariant(ctx, slot)
	}
	missing, err := w.missing(ctx, "requests", w.submitted)
	w.check(err == nil && missing == 0, "every 2xx submission present: %d answered, %d missing (%v)", len(w.submitted), missing, err)
	missing, err = w.missing(ctx, "bookings", w.booked)
	w.check(err == nil && missing == 0, "every 2xx booking present: %d missing (%v)", missing, err)
	for _, q := range rollupChecks {
		var diff int64
		err := db.QueryRowContext(ctx, q.sql).Scan(&diff)
		w.check(err == nil && diff == 0, "rollups = scan, %s: %d groups differ (%v)", q.name, diff, err)
	}
}

// slotInvariant: the hot slot is never over capacity and matches the 2xx answers.
func (w *world) slotInvariant(ctx context.Context, slot int64) {
	var booked, capacity, active int
	err := w.c.db.QueryRowContext(ctx, `SELECT booked, capacity, (SELECT COUNT(*) FROM bookings WHERE slot_id = s.id AND status = 'booked')
		FROM slots s WHERE id = ?`, slot).Scan(&booked, &capacity, &active)
	w.check(err == nil && booked <= capacity && booked == active && len(w.booked) == active,
		"hot slot: booked %d, active bookings %d, 2xx answers %d, capacity %d (%v)", booked, active, len(w.booked), capacity, err)
}

func (w *world) missing(ctx context.Context, table string, ids []int64) (int, error) {
	missing := 0
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		args := make([]any, n)
		ph := make([]byte, 0, 2*n)
		for i, id := range ids[:n] {
			args[i] = id
			if i > 0 {
				ph = append(ph, ',')
			}
			ph = append(ph, '?')
		}
		var found int
		if err := w.c.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE id IN ("+string(ph)+")", args...).Scan(&found); err != nil {
			return 0, err
		}
		missing += n - found
		ids = ids[n:]
	}
	return missing, nil
}

// rollupChecks compare each rollup with a scan of the requests table, by
// month and status (stats_cube, stats_city) and by submission day (the day
// tables): the count of groups whose totals differ.
var rollupChecks = []struct{ name, sql string }{
	{"stats_cube by month × status", `SELECT COUNT(*) FROM (
		SELECT s.ym, s.status FROM (SELECT ym, status, SUM(n) n FROM stats_cube GROUP BY ym, status HAVING SUM(n) <> 0) s
		LEFT JOIN (SELECT YEAR(created_at + INTERVAL 8 HOUR) * 100 + MONTH(created_at + INTERVAL 8 HOUR) ym, status, COUNT(*) n
			FROM requests GROUP BY ym, status) r ON r.ym = s.ym AND r.status = s.status
		WHERE r.n IS NULL OR r.n <> s.n
		UNION ALL
		SELECT r.ym, r.status FROM (SELECT YEAR(created_at + INTERVAL 8 HOUR) * 100 + MONTH(created_at + INTERVAL 8 HOUR) ym, status, COUNT(*) n
			FROM requests GROUP BY ym, status) r
		LEFT JOIN (SELECT ym, status, SUM(n) n FROM stats_cube GROUP BY ym, status) s ON r.ym = s.ym AND r.status = s.status
		WHERE s.n IS NULL OR r.n <> s.n) d`},
	{"stats_city by month × status", `SELECT COUNT(*) FROM (
		SELECT r.ym FROM (SELECT YEAR(created_at + INTERVAL 8 HOUR) * 100 + MONTH(created_at + INTERVAL 8 HOUR) ym, status, COUNT(*) n
			FROM requests GROUP BY ym, status) r
		LEFT JOIN (SELECT ym, status, SUM(n) n FROM stats_city GROUP BY ym, status) s ON r.ym = s.ym AND r.status = s.status
		WHERE s.n IS NULL OR r.n <> s.n) d`},
	{"stats_days_city by day", `SELECT COUNT(*) FROM (
		SELECT r.cday FROM (SELECT TO_DAYS(created_at + INTERVAL 8 HOUR) cday, COUNT(*) n, SUM(status = 'withdrawn') wd FROM requests GROUP BY cday) r
		LEFT JOIN (SELECT cday, SUM(n) n, SUM(withdrawn) wd FROM stats_days_city GROUP BY cday) s ON r.cday = s.cday
		WHERE s.n IS NULL OR r.n <> s.n OR r.wd <> s.wd) d`},
	{"stats_days by district × day", `SELECT COUNT(*) FROM (
		SELECT r.cday FROM (SELECT CAST(CONCAT('0', SUBSTRING_INDEX(SUBSTRING_INDEX(org_path, '/', 3), '/', -1)) AS UNSIGNED) district_id,
			TO_DAYS(created_at + INTERVAL 8 HOUR) cday, COUNT(*) n FROM requests GROUP BY district_id, cday) r
		LEFT JOIN (SELECT district_id, cday, SUM(n) n FROM stats_days GROUP BY district_id, cday) s
			ON r.cday = s.cday AND r.district_id = s.district_id
		WHERE s.n IS NULL OR r.n <> s.n) d`},
}
