package hatest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"zhilian/internal/jobs"
	"zhilian/internal/wechat"
)

// inList renders ids for an IN (…) clause.
func inList(m map[int64]bool) string {
	if len(m) == 0 {
		return "0"
	}
	var b strings.Builder
	for id := range m {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, id)
	}
	return b.String()
}

func count(t *testing.T, n *gnode, q string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var v int
	if err := n.db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		t.Fatalf("%s on %s: %v", q, n.name(), err)
	}
	return v
}

// checkAcknowledged: every acknowledged write is on every node, and the
// nodes hold the same rows.
func checkAcknowledged(t *testing.T, g *galera, a *acks) []string {
	t.Helper()
	var lines []string
	for _, n := range g.nodes {
		got := []int{
			count(t, n, "SELECT COUNT(*) FROM zl_ha.requests WHERE id IN ("+inList(a.requests)+")"),
			count(t, n, "SELECT COUNT(*) FROM zl_ha.requests WHERE status <> 'submitted' AND id IN ("+inList(a.accepted)+")"),
			count(t, n, "SELECT COUNT(*) FROM zl_ha.bookings WHERE id IN ("+inList(a.bookings)+")"),
			count(t, n, "SELECT COUNT(*) FROM zl_ha.bookings WHERE status = 'cancelled' AND id IN ("+inList(a.cancelled)+")"),
		}
		want := []int{len(a.requests), len(a.accepted), len(a.bookings), len(a.cancelled)}
		lines = append(lines, fmt.Sprintf("%s: submitted %d/%d, accepted %d/%d, booked %d/%d, cancelled %d/%d",
			n.name(), got[0], want[0], got[1], want[1], got[2], want[2], got[3], want[3]))
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s lacks acknowledged writes: %s", n.name(), lines[len(lines)-1])
				break
			}
		}
	}
	rows := count(t, g.nodes[0], "SELECT COUNT(*) FROM zl_ha.requests")
	lines = append(lines, fmt.Sprintf("requests stored %d for %d acknowledged and %d keys tried (each key at most once)", rows, len(a.requests), a.submitKeys))
	if rows > a.submitKeys {
		t.Errorf("%d requests from %d idempotency keys", rows, a.submitKeys)
	}
	// The instances keep running: the outbox worker marks rows sent and the
	// jobs may enqueue between the reads of one node and the next, so nodes
	// are compared again (after converging) until they agree or a minute has
	// passed; a real divergence does not go away.
	var sums map[string]string
	for deadline := time.Now().Add(time.Minute); ; {
		sums = map[string]string{}
		for _, n := range g.nodes {
			var all []string
			for _, table := range []string{"requests", "request_events", "bookings", "slots", "outbox", "idempotency_records"} {
				all = append(all, table+"="+tableSum(t, n, table))
			}
			sums[n.name()] = strings.Join(all, " ")
		}
		if (sums["db1"] == sums["db2"] && sums["db2"] == sums["db3"]) || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Second)
		g.waitConverged(t)
	}
	if sums["db1"] != sums["db2"] || sums["db2"] != sums["db3"] {
		t.Errorf("the nodes differ: %v", sums)
	}
	lines = append(lines, "table checksums equal on db1, db2, db3: "+fmt.Sprint(sums["db1"] == sums["db2"] && sums["db2"] == sums["db3"]))
	return lines
}

// tableSum is the row count and an order-free checksum of every column of
// every row (CHECKSUM TABLE differs between nodes holding the same rows).
func tableSum(t *testing.T, n *gnode, table string) string {
	t.Helper()
	var cols string
	err := n.db.QueryRow(`SELECT GROUP_CONCAT(CONCAT('COALESCE(`+"`"+`', column_name, '`+"`"+`, ''-'')') ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_schema = 'zl_ha' AND table_name = ?`, table).Scan(&cols)
	if err != nil {
		t.Fatal(err)
	}
	var rows, sum int64
	q := "SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', " + cols + "))), 0) FROM zl_ha." + table
	if err := n.db.QueryRow(q).Scan(&rows, &sum); err != nil {
		t.Fatalf("%s on %s: %v", q, n.name(), err)
	}
	return fmt.Sprintf("%d/%x", rows, sum)
}

// checkSeats: no slot over capacity, each slot's counter equals its active
// bookings, no resident holds two active bookings of one session.
func checkSeats(t *testing.T, n *gnode) []string {
	t.Helper()
	over := count(t, n, "SELECT COUNT(*) FROM zl_ha.slots WHERE booked > capacity")
	drift := count(t, n, `SELECT COUNT(*) FROM zl_ha.slots s WHERE s.booked <>
		(SELECT COUNT(*) FROM zl_ha.bookings b WHERE b.slot_id = s.id AND b.status <> 'cancelled')`)
	dup := count(t, n, `SELECT COUNT(*) FROM (SELECT resident_id, session_id FROM zl_ha.bookings
		WHERE status <> 'cancelled' GROUP BY resident_id, session_id HAVING COUNT(*) > 1) d`)
	full := count(t, n, "SELECT COUNT(*) FROM zl_ha.slots WHERE booked = capacity")
	if over+drift+dup > 0 {
		t.Errorf("seats: %d slots over capacity, %d with a wrong counter, %d double bookings", over, drift, dup)
	}
	return []string{fmt.Sprintf("slots over capacity %d, counters off %d, double bookings %d (slots full now: %d)", over, drift, dup, full)}
}

// checkNotifications waits for the queue to empty, then compares what the
// fake WeChat received with what the outbox says was sent: no message twice.
func checkNotifications(t *testing.T, n *gnode, fake *wechat.Fake, appKills int) []string {
	t.Helper()
	waitFor(t, "outbox delivered", 90*time.Second, func() error {
		if p := count(t, n, "SELECT COUNT(*) FROM zl_ha.outbox WHERE state = 'pending'"); p > 0 {
			return fmt.Errorf("%d pending", p)
		}
		return nil
	})
	sent := fake.Sent("")
	seen := map[string]int{}
	dups, extra := 0, 0
	for _, m := range sent {
		raw, _ := json.Marshal(m.Data) // map keys sorted: one text per content
		k := m.ToUser + "|" + m.TemplateID + "|" + string(raw)
		if seen[k]++; seen[k] == 2 {
			dups++
		}
		if seen[k] > 1 {
			extra++
		}
	}
	rows := count(t, n, "SELECT COUNT(*) FROM zl_ha.outbox WHERE state = 'sent'")
	// Delivery is at least once: a worker killed between WeChat's answer and
	// saving it leaves that one message to be sent again when its claim ends
	// (store.Outbox.Process). Each instance's worker sends one message at a
	// time, so each kill -9 of an instance may add one repeat, and nothing else may.
	if extra > appKills || rows != len(sent)-extra {
		t.Errorf("notifications: %d received by WeChat, %d sent in the outbox, %d received again (at most %d allowed: one per instance killed)",
			len(sent), rows, extra, appKills)
	}
	return []string{fmt.Sprintf("notifications received by WeChat %d, marked sent %d, received again %d (instances killed %d)", len(sent), rows, extra, appKills)}
}

// jobRun is one run of a daily job as an instance logged it.
type jobRun struct {
	job    string
	start  time.Time
	failed bool
	app    int
}

func jobRuns(t *testing.T, apps []*instance) []jobRun {
	t.Helper()
	var out []jobRun
	for _, in := range apps {
		f, err := os.Open(in.log)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var l struct {
				Time time.Time `json:"time"`
				Msg  string    `json:"msg"`
				Job  string    `json:"job"`
				Took int64     `json:"took_ms"`
			}
			if json.Unmarshal(sc.Bytes(), &l) != nil || (l.Msg != "job done" && l.Msg != "job failed") {
				continue
			}
			out = append(out, jobRun{job: l.Job, start: l.Time.Add(-time.Duration(l.Took) * time.Millisecond),
				failed: l.Msg == "job failed", app: in.i + 1})
		}
		f.Close()
	}
	return out
}

// checkJobs: every daily job ran once per tick of the test timetable between
// from and to, whatever was killed meanwhile.
func checkJobs(t *testing.T, apps []*instance, from, to time.Time) []string {
	t.Helper()
	const tick = 10 * time.Second
	perTick := map[string]map[int64]int{}
	failed := 0
	for _, r := range jobRuns(t, apps) {
		at := r.start.Truncate(tick)
		if at.Before(from) || !at.Before(to) {
			continue
		}
		if perTick[r.job] == nil {
			perTick[r.job] = map[int64]int{}
		}
		perTick[r.job][at.Unix()]++
		if r.failed {
			failed++
		}
	}
	ticks := 0
	for at := from.Truncate(tick).Add(tick); at.Add(tick).Before(to); at = at.Add(tick) {
		ticks++
	}
	// bookings.no_show is its 22:30 run here: the 30-minute one does not come
	// within a test's minutes.
	names := jobs.Names()
	var lines []string
	for _, j := range names {
		once, twice, missed := 0, 0, 0
		for at := from.Truncate(tick).Add(tick); at.Add(tick).Before(to); at = at.Add(tick) {
			switch n := perTick[j][at.Unix()]; {
			case n == 1:
				once++
			case n > 1:
				twice++
			default:
				missed++
			}
		}
		lines = append(lines, fmt.Sprintf("%-26s %d ticks: once %d, more than once %d, missed %d", j, ticks, once, twice, missed))
		if twice+missed > 0 {
			t.Errorf("job %s: %d ticks run more than once, %d missed", j, twice, missed)
		}
	}
	sort.Strings(lines)
	return append(lines, fmt.Sprintf("job runs that failed (and were counted as run): %d", failed))
}
