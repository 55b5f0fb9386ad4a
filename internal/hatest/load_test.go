package hatest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// acks are the writes the servers acknowledged with a 2xx, and the keys of
// every submission tried.
type acks struct {
	mu         sync.Mutex
	requests   map[int64]bool
	accepted   map[int64]bool
	bookings   map[int64]bool
	cancelled  map[int64]bool
	submitKeys int
}

func (a *acks) add(m map[int64]bool, id int64) {
	a.mu.Lock()
	m[id] = true
	a.mu.Unlock()
}

// load is a bounded mixed load through the HTTP frontend: residents submit,
// book and cancel on a few hot slots and read their lists; cadres accept new
// items; an admin reads the month's statistics (from the replicas).
type load struct {
	w     *world
	base  string
	rec   *recorder
	acks  *acks
	think time.Duration
	stop  chan struct{}
	wg    sync.WaitGroup
}

// giveUp is how long a client keeps repeating a write nobody answered.
const giveUp = 20 * time.Second

func startLoad(w *world, base string, rec *recorder, think time.Duration) *load {
	l := &load{w: w, base: base, rec: rec, think: think, stop: make(chan struct{}),
		acks: &acks{requests: map[int64]bool{}, accepted: map[int64]bool{}, bookings: map[int64]bool{}, cancelled: map[int64]bool{}}}
	for i, r := range w.residents {
		l.wg.Add(1)
		go l.resident(r, uint64(i))
	}
	for i, tok := range w.cadres {
		l.wg.Add(1)
		go l.cadre(tok, fmt.Sprintf("10.7.0.%d", i+1))
	}
	l.wg.Add(1)
	go l.statistics()
	return l
}

// finish stops the load and waits for the calls in flight.
func (l *load) finish() {
	close(l.stop)
	l.wg.Wait()
}

// pause waits about d (jittered), and reports false once the load stops.
func (l *load) pause(d time.Duration) bool {
	select {
	case <-l.stop:
		return false
	case <-time.After(d/2 + rand.N(d)):
		return true
	}
}

func (l *load) resident(r resident, seed uint64) {
	defer l.wg.Done()
	c := newClient(l.base, l.rec, r.ip)
	rng := rand.New(rand.NewPCG(seed, 18))
	submitted := 0
	var mine []int64 // acknowledged bookings not cancelled yet
	for n := 0; l.pause(l.think); n++ {
		switch x := rng.IntN(100); {
		case x < 20 && submitted < 9: // the limit is 10 an hour
			key := newKey()
			l.acks.mu.Lock()
			l.acks.submitKeys++
			l.acks.mu.Unlock()
			res := c.write("submit", "POST", "/api/v1/my/requests", r.token, map[string]any{
				"category_id": l.w.category, "community_id": l.w.community, "address": "莲花路 3 号",
				"content": fmt.Sprintf("高可用测试 %s：路灯不亮", key[:8])}, key, giveUp)
			switch {
			case res.status == 201:
				submitted++
				l.acks.add(l.acks.requests, res.id())
			case res.code == "rate_limited":
				submitted = 99
			}
		case x < 45:
			key := newKey()
			slot := l.w.hot[rng.IntN(len(l.w.hot))]
			res := c.write("book", "POST", "/api/v1/my/bookings", r.token,
				map[string]any{"slot_id": slot, "topic": "高可用 " + key[:8]}, key, giveUp)
			if res.status == 201 {
				l.acks.add(l.acks.bookings, res.id())
				mine = append(mine, res.id())
			}
		case x < 60 && len(mine) > 0:
			id := mine[0]
			res := c.write("cancel", "POST", fmt.Sprintf("/api/v1/my/bookings/%d/cancel", id), r.token, nil, "", giveUp)
			if res.status == 200 {
				l.acks.add(l.acks.cancelled, id)
			}
			if res.status == 200 || res.status == 409 { // 409: an earlier try went through
				mine = mine[1:]
			}
		default:
			switch n % 3 {
			case 0:
				c.call("my requests", false, "GET", "/api/v1/my/requests?page_size=10", r.token, nil, "")
			case 1:
				c.call("my bookings", false, "GET", "/api/v1/my/bookings", r.token, nil, "")
			default:
				c.call("sessions", false, "GET", fmt.Sprintf("/api/v1/points/%d/sessions", l.w.point), "", nil, "")
			}
		}
	}
}

func (l *load) cadre(tok, ip string) {
	defer l.wg.Done()
	c := newClient(l.base, l.rec, ip)
	for l.pause(2 * l.think) {
		res := c.call("inbox", false, "GET", "/api/v1/work/requests?status=submitted&page_size=10", tok, nil, "")
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if res.status != 200 || json.Unmarshal(res.data, &page) != nil {
			continue
		}
		for _, it := range page.Items {
			r := c.write("accept", "POST", fmt.Sprintf("/api/v1/work/requests/%d/accept", it.ID), tok,
				map[string]string{"note": "已受理，安排处理"}, "", giveUp)
			if r.status == 200 {
				l.acks.add(l.acks.accepted, it.ID)
			}
		}
	}
}

func (l *load) statistics() {
	defer l.wg.Done()
	c := newClient(l.base, l.rec, "10.7.1.1")
	for l.pause(time.Second) {
		from, to := month(time.Now())
		c.call("stats", false, "GET", "/api/v1/admin/stats?from="+from+"&to="+to, l.w.admin, nil, "")
	}
}
