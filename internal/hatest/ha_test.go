package hatest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"zhilian/internal/wechat"
)

// scenario sizes the run: ZL_HA_TEST=short is one fault of each kind with
// short pauses (make test), full is three rounds with longer ones (make ha-test).
type scenario struct {
	rounds    int
	settle    time.Duration // load between two faults
	residents int
	think     time.Duration
}

func scenarioFor(mode string) (scenario, bool) {
	switch mode {
	case "short":
		return scenario{rounds: 1, settle: 3 * time.Second, residents: 24, think: 300 * time.Millisecond}, true
	case "full":
		return scenario{rounds: 3, settle: 12 * time.Second, residents: 40, think: 300 * time.Millisecond}, true
	}
	return scenario{}, false
}

// TestHA kills, under load, the Galera node taking writes, a server instance
// and the Redis master, brings them back, and checks that nothing
// acknowledged was lost or done twice and that clients saw short windows of
// 503 with Retry-After, never a 500.
func TestHA(t *testing.T) {
	mode := os.Getenv("ZL_HA_TEST")
	sc, ok := scenarioFor(mode)
	if !ok {
		t.Skip("the HA test runs with ZL_HA_TEST=short (make test) or ZL_HA_TEST=full (make ha-test)")
	}
	needEngines(t)
	began := time.Now()
	dir, err := os.MkdirTemp("", "zlha-")
	if err != nil {
		t.Fatal(err)
	}
	ps := &procs{}
	t.Cleanup(func() {
		ps.stopAll(10 * time.Second)
		if t.Failed() {
			t.Logf("logs kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})

	var bin string
	var buildErr error
	built := make(chan struct{})
	go func() { defer close(built); bin, buildErr = buildServer(dir) }() // while the cluster starts
	g := startGalera(t, ps, dir)
	tGalera := time.Since(began)
	s := startSentinels(t, ps, dir)
	fake, err := wechat.StartFake()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	<-built
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	cl := newCluster(t, ps, dir, bin, 3, nil)
	b := startBalancer(t, ps, dir, g, cl.ports())
	cl.env = appEnv(b, s, fake.URL, filepath.Join(dir, "data"))
	cl.start(t, cl.list[0]) // migrates
	var wg sync.WaitGroup
	for _, in := range cl.list[1:] {
		wg.Add(1)
		go func() { defer wg.Done(); cl.start(t, in) }()
	}
	wg.Wait()
	waitFor(t, "the balancer sees the instances", 30*time.Second, func() error {
		res, err := http.Get(b.url() + "/readyz")
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("readyz %d", res.StatusCode)
		}
		return nil
	})
	w := buildWorld(t, b.url(), sc.residents)
	t.Logf("stack up in %.1f s (Galera %.1f s), world built", time.Since(began).Seconds(), tGalera.Seconds())

	rec := &recorder{}
	loadFrom := time.Now()
	l := startLoad(w, b.url(), rec, sc.think)
	var phases []phase
	next := func(name, note string, from time.Time) {
		if len(phases) > 0 {
			phases[len(phases)-1].to = from
		}
		phases = append(phases, phase{name: name, note: note, from: from})
	}
	setNote := func(note string) { phases[len(phases)-1].note = note }
	next("baseline", "", time.Now())
	time.Sleep(sc.settle)
	for round := 0; round < sc.rounds; round++ {
		// 1. The node taking writes dies; HAProxy moves writes to a backup.
		n, err := b.writer()
		if err != nil {
			t.Fatal(err)
		}
		next(fmt.Sprintf("kill -9 %s (the writer)", n.name()), "", time.Now())
		n.kill()
		var m *gnode
		waitFor(t, "writes move to another node", time.Minute, func() error {
			if m, err = b.writer(); err != nil {
				return err
			}
			if m == n {
				return errNotYet
			}
			return nil
		})
		moved := time.Since(n.killedAt)
		waitFor(t, "the others form a cluster of two", time.Minute, func() error {
			if size, err := m.status("wsrep_cluster_size"); err != nil || size != "2" {
				return fmt.Errorf("size %s %v", size, err)
			}
			return nil
		})
		setNote(fmt.Sprintf("writes to %s after %.1f s, 2 nodes after %.1f s", m.name(), moved.Seconds(), time.Since(n.killedAt).Seconds()))
		time.Sleep(sc.settle)

		// 2. A server instance dies and is started again.
		in := cl.list[round%len(cl.list)]
		next(fmt.Sprintf("kill -9 app%d, restart", in.i+1), "", time.Now())
		in.proc.kill9()
		time.Sleep(time.Second)
		took := cl.start(t, in)
		setNote(fmt.Sprintf("app%d ready again %.1f s after start", in.i+1, took.Seconds()))
		time.Sleep(sc.settle)

		// 3. The Redis master dies; the sentinels promote the replica.
		next("kill -9 Redis master", "", time.Now())
		old, promoted := s.killMaster(t)
		setNote(fmt.Sprintf("replica promoted after %.1f s", promoted.Seconds()))
		time.Sleep(sc.settle)

		// 4. Everything comes back: the node rejoins by IST, the old master as a replica.
		next(fmt.Sprintf("%s rejoins, Redis %d back", n.name(), old), "", time.Now())
		n.rejoin(t)
		s.restore(t, old)
		setNote(fmt.Sprintf("%s synced %.1f s after restart", n.name(), n.rejoinTook.Seconds()))
		time.Sleep(sc.settle)
	}
	loadTo := time.Now()
	phases[len(phases)-1].to = loadTo
	l.finish()
	scenarioTook := time.Since(loadFrom)

	table, stats := faultTable(rec.all, phases)
	var report []string
	report = append(report, "", "faults under load ("+mode+"):", table,
		"calls not 2xx by operation: "+failureCodes(rec.all), "")
	for i, st := range stats {
		// A write without an Idempotency-Key that an instance took and died
		// with gets no answer (HAProxy closes a kept-alive connection so that
		// the client may decide); only an instance's death may cause that.
		lost := st.lost
		if strings.HasPrefix(phases[i].name, "kill -9 app") {
			lost = 0
		}
		if st.s500 > 0 || st.bare > 0 || st.noAnswer > 0 || lost > 0 {
			t.Errorf("%s: %d answers 500, %d 5xx without Retry-After, %d calls without an answer", phases[i].name, st.s500, st.bare, st.noAnswer+lost)
		}
		if st.writeWindow > 10*time.Second || st.readWindow > 10*time.Second {
			t.Errorf("%s: failures for %.1f s (writes) / %.1f s (reads), more than 10 s", phases[i].name, st.writeWindow.Seconds(), st.readWindow.Seconds())
		}
	}

	g.waitConverged(t)
	report = append(report, checkAcknowledged(t, g, l.acks)...)
	report = append(report, checkSeats(t, g.nodes[0])...)
	appKills := 0
	for _, ph := range phases {
		if strings.HasPrefix(ph.name, "kill -9 app") {
			appKills++
		}
	}
	report = append(report, checkNotifications(t, g.nodes[0], fake, appKills)...)
	report = append(report, checkJobs(t, cl.list, loadFrom, loadTo)...)
	report = append(report, fmt.Sprintf("scenario %.0f s, whole test %.0f s", scenarioTook.Seconds(), time.Since(began).Seconds()))
	t.Log(strings.Join(report, "\n"))
}
