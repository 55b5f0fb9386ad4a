package api_test

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// limitPool keeps a test's MySQL connections modest: the race tests run next
// to other tests on one shared MariaDB.
func limitPool(t testing.TB, envs ...*testutil.Env) {
	for _, e := range envs {
		sqlDB, err := e.App.DB.DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.SetMaxOpenConns(20)
	}
}

// contender is a resident and the instance they talk to.
type contender struct {
	env   *testutil.Env
	token string
}

func contenders(t testing.TB, envs []*testutil.Env, n int) []contender {
	out := make([]contender, n)
	for i := range out {
		e := envs[i%len(envs)]
		_, tok := e.Resident(testutil.UniqueCode("race"))
		out[i] = contender{env: e, token: tok}
	}
	return out
}

// race makes every contender book slot at the same instant and returns the
// bookings made and the error codes of the others.
func race(t *testing.T, cs []contender, slot int64) (winners []int, codes map[string]int) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	status := make([]int, len(cs))
	code := make([]string, len(cs))
	errs := make([]error, len(cs))
	for i := range cs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			status[i], code[i], errs[i] = rawPost(cs[i].env.Server.Client(), cs[i].env.Server.URL+"/api/v1/my/bookings", cs[i].token,
				map[string]any{"slot_id": slot, "topic": "抢号"}, map[string]string{"Idempotency-Key": testutil.UniqueCode("k")})
		}(i)
	}
	close(start)
	wg.Wait()
	codes = map[string]int{}
	for i := range cs {
		if errs[i] != nil {
			t.Fatalf("contender %d: %v", i, errs[i])
		}
		if status[i] == http.StatusCreated {
			winners = append(winners, i)
		} else {
			codes[fmt.Sprintf("%d %s", status[i], code[i])]++
		}
	}
	return winners, codes
}

// raceRounds runs rounds of 50 residents against one 5-seat slot; the winners
// cancel between rounds so the seats come back.
func raceRounds(t *testing.T, l *liaison, envs []*testutil.Env, rounds int) {
	cs := contenders(t, envs, 50)
	slot := l.session(t, "2026-09-22").Slots[0].ID
	for round := 0; round < rounds; round++ {
		winners, codes := race(t, cs, slot)
		if len(winners) != 5 || codes["409 slot_full"] != 45 {
			t.Fatalf("round %d: %d winners, others %v", round, len(winners), codes)
		}
		booked, active, capacity := seats(t, l.e, slot)
		if booked != 5 || active != 5 || capacity != 5 {
			t.Fatalf("round %d: booked %d, active bookings %d, capacity %d", round, booked, active, capacity)
		}
		var list struct {
			Items []bookingOut `json:"items"`
		}
		for _, w := range winners {
			c := cs[w]
			c.env.Do("GET", "/api/v1/my/bookings?status=booked", c.token, nil).Must(t, 200).Decode(t, &list)
			if len(list.Items) != 1 || list.Items[0].SlotID != slot {
				t.Fatalf("round %d: winner's bookings %+v", round, list.Items)
			}
			c.env.Do("POST", fmt.Sprintf("/api/v1/my/bookings/%d/cancel", list.Items[0].ID), c.token, nil).Must(t, 200)
		}
		if booked, active, _ := seats(t, l.e, slot); booked != 0 || active != 0 {
			t.Fatalf("round %d: after cancelling, booked %d active %d", round, booked, active)
		}
	}
}

func TestBookingRaceOneSlot(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	limitPool(t, l.e)
	raceRounds(t, l, []*testutil.Env{l.e}, 4)
}

func TestBookingRaceTwoInstances(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(sep20)
	envs := testutil.Cluster(t, 2, func(s *testutil.Setup) { s.Clock = clock })
	limitPool(t, envs...)
	l := setupLiaison(t, envs[0], clock)
	// The second instance sees what the first created: one database.
	if got := len(setupView(t, envs[1], l.point)); got != 3 {
		t.Fatalf("instance 2 sees %d sessions", got)
	}
	raceRounds(t, l, envs, 3)
}

func setupView(t *testing.T, e *testutil.Env, point int64) []sessionOut {
	var out struct {
		Items []sessionOut `json:"items"`
	}
	e.Do("GET", fmt.Sprintf("/api/v1/points/%d/sessions", point), "", nil).Must(t, 200).Decode(t, &out)
	return out.Items
}

// load sends n requests from conc workers and returns the rate and latencies.
func load(n, conc int, do func(i int) error) (perSec float64, lat []time.Duration, err error) {
	lat = make([]time.Duration, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	begin := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				t0 := time.Now()
				if e := do(i); e != nil {
					mu.Lock()
					err = e
					mu.Unlock()
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(begin).Seconds(), lat, err
}

func pct(lat []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), lat...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[int(float64(len(s)-1)*p)]
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// BenchmarkBookingHotSlot measures booking attempts per second on one 5-seat
// slot over HTTP on loopback (40 residents, 16 at a time, the winners cancel
// between rounds), against GET /healthz measured the same way in the same
// run, and checks the invariant booked == active bookings <= capacity.
// It reports the medians of 5 rounds.
func BenchmarkBookingHotSlot(b *testing.B) {
	clock := testutil.NewClock(sep20)
	e := testutil.New(b, func(s *testutil.Setup) { s.Clock = clock })
	limitPool(b, e)
	l := setupLiaison(b, e, clock)
	slot := l.session(b, "2026-09-22").Slots[0].ID
	cs := contenders(b, []*testutil.Env{e}, 40)
	client := e.Server.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	const perRound, conc, rounds = 400, 16, 5
	health := func(int) error {
		res, err := client.Get(e.Server.URL + "/healthz")
		if err != nil {
			return err
		}
		res.Body.Close()
		return nil
	}
	book := func(i int) error {
		c := cs[i%len(cs)]
		st, code, err := rawPost(client, e.Server.URL+"/api/v1/my/bookings", c.token, map[string]any{"slot_id": slot}, nil)
		if err != nil {
			return err
		}
		if st != http.StatusCreated && code != "slot_full" && code != "already_booked" {
			return fmt.Errorf("unexpected %d %s", st, code)
		}
		return nil
	}
	var hRates, bRates, p50s, p99s []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for r := 0; r < rounds; r++ {
			hr, _, err := load(perRound, conc, health)
			if err != nil {
				b.Fatal(err)
			}
			br, lat, err := load(perRound, conc, book)
			if err != nil {
				b.Fatal(err)
			}
			hRates, bRates = append(hRates, hr), append(bRates, br)
			p50s = append(p50s, float64(pct(lat, 0.50).Microseconds())/1000)
			p99s = append(p99s, float64(pct(lat, 0.99).Microseconds())/1000)
			b.StopTimer()
			booked, active, capacity := seats(b, e, slot)
			if booked != active || booked > capacity || booked != 5 {
				b.Fatalf("invariant broken: booked %d, active bookings %d, capacity %d", booked, active, capacity)
			}
			if err := e.App.DB.Exec("UPDATE bookings SET status = 'cancelled', cancelled_at = NOW(3) WHERE slot_id = ? AND status = 'booked'", slot).Error; err != nil {
				b.Fatal(err)
			}
			if err := e.App.DB.Exec("UPDATE slots SET booked = 0 WHERE id = ?", slot).Error; err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	b.ReportMetric(median(bRates), "bookings/s")
	b.ReportMetric(median(hRates), "healthz/s")
	b.ReportMetric(median(bRates)/median(hRates), "booking/healthz")
	b.ReportMetric(median(p50s), "p50_ms")
	b.ReportMetric(median(p99s), "p99_ms")
	b.ReportMetric(0, "ns/op")
}
