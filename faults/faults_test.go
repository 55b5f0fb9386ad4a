package faults

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zhilian/internal/testutil"
)

// TestTwoInstancesBookOneHotSlot: residents on two instances book one slot
// at the same instant: exactly its capacity win, nobody twice.
func TestTwoInstancesBookOneHotSlot(t *testing.T) {
	setup(t)
	var slot, capacity int64
	err := w.db.QueryRow(`SELECT s.id, s.capacity FROM slots s JOIN liaison_sessions ls ON ls.id = s.session_id
		WHERE ls.status = 'open' AND ls.date >= CURRENT_DATE + INTERVAL 2 DAY AND s.booked = 0 AND s.withdrawn = 0
		ORDER BY ls.date, s.id LIMIT 1`).Scan(&slot, &capacity)
	if err != nil {
		t.Fatalf("no bookable slot in the demo city: %v", err)
	}
	const n = 40
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = []*server{w.a, w.b}[i%2].resident(t, testutil.UniqueCode("hot"))
	}
	var wg sync.WaitGroup
	results := newTally()
	gate := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-gate
			st, code, _ := []*server{w.a, w.b}[i%2].call("POST", "/api/v1/my/bookings", tokens[i],
				map[string]any{"slot_id": slot, "topic": "抢号"}, map[string]string{"Idempotency-Key": testutil.UniqueCode("hot")})
			results.add(fmt.Sprintf("%d %s", st, code))
		}(i)
	}
	close(gate)
	wg.Wait()
	var booked, active, residents int64
	_ = w.db.QueryRow("SELECT booked FROM slots WHERE id = ?", slot).Scan(&booked)
	_ = w.db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT resident_id) FROM bookings WHERE slot_id = ? AND status <> 'cancelled'", slot).Scan(&active, &residents)
	t.Logf("two instances, %d residents, one slot of %d seats: %s; slot.booked %d, active bookings %d (%d residents)",
		n, capacity, results, booked, active, residents)
	if int64(results.get("201 ok")) != capacity || booked != capacity || active != capacity || residents != capacity {
		t.Fatalf("want exactly %d seats taken once each", capacity)
	}
	if results.get("201 ok")+results.get("409 slot_full") != n {
		t.Fatalf("unexpected answers: %s", results)
	}
}

// hostileUploads are the 20 images of the bomb test: four kinds, five each.
func hostileUploads() (names []string, files [][]byte) {
	gray := image.NewGray(image.Rect(0, 0, 4000, 4000)) // allowed: the heaviest decode the limits let through
	for y := 0; y < 4000; y++ {
		for x := 0; x < 4000; x++ {
			gray.Pix[y*4000+x] = uint8((x ^ y) & 0xff)
		}
	}
	var heavy bytes.Buffer
	_ = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&heavy, gray)
	kinds := []struct {
		name string
		data []byte
	}{
		{"16-bit RGBA 7071×7071", testutil.HostilePNG(7071, 7071, 16, testutil.PNGRGBA, true)},
		{"grey 6900×6900", testutil.HostilePNG(6900, 6900, 8, testutil.PNGGray, true)},
		{"16-bit RGBA 3000×3000", testutil.HostilePNG(3000, 3000, 16, testutil.PNGRGBA, true)},
		{"grey 4000×4000 (within limits)", heavy.Bytes()},
	}
	for i := 0; i < 20; i++ {
		k := kinds[i%len(kinds)]
		names, files = append(names, k.name), append(files, k.data)
	}
	return names, files
}

func multipartFile(data []byte) multipartBody {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "x.png")
	_, _ = fw.Write(data)
	_ = mw.Close()
	return multipartBody{data: body.Bytes(), ctype: mw.FormDataContentType()}
}

// TestUploadBombsStayWithinMemory: 20 hostile images at once, from 20
// residents, on a fresh instance: the peak resident memory (VmHWM) grows by
// less than 150 MB, and every upload is answered (413 for the bombs; the
// heavy-but-allowed ones are decoded within the shared budget or told 503).
func TestUploadBombsStayWithinMemory(t *testing.T) {
	setup(t)
	names, files := hostileUploads()
	c, err := w.startServer("bombs")
	if err != nil {
		t.Fatal(err)
	}
	defer c.p.stop(10 * time.Second)
	tokens := make([]string, len(files))
	for i := range tokens {
		tokens[i] = c.resident(t, testutil.UniqueCode("bomb"))
	}
	var small bytes.Buffer
	_ = png.Encode(&small, image.NewRGBA(image.Rect(0, 0, 64, 64)))
	if st, code, _ := c.call("POST", "/api/v1/uploads", tokens[0], multipartFile(small.Bytes()), nil); st != 201 {
		t.Fatalf("warm-up upload: %d %s", st, code)
	}
	time.Sleep(200 * time.Millisecond)
	hwm0, rss0 := c.memory(t)
	answers := newTally()
	took := make([]time.Duration, len(files))
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range files {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-gate
			start := time.Now()
			st, code, _ := c.call("POST", "/api/v1/uploads", tokens[i], multipartFile(files[i]), nil)
			took[i] = time.Since(start)
			answers.add(fmt.Sprintf("%s → %d %s", names[i], st, code))
		}(i)
	}
	close(gate)
	wg.Wait()
	hwm1, rss1 := c.memory(t)
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	grew := hwm1 - hwm0
	t.Logf("20 hostile images at once: %s", answers)
	t.Logf("memory: VmHWM %d MB → %d MB (+%d MB), VmRSS %d MB → %d MB; answers in %v (median) … %v (slowest)",
		hwm0>>20, hwm1>>20, grew>>20, rss0>>20, rss1>>20, took[len(took)/2].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond))
	if grew > 150<<20 {
		t.Fatalf("peak memory grew by %d MB (limit 150 MB)", grew>>20)
	}
	for k := range answers.m {
		if strings.Contains(k, " 500 ") || strings.Contains(k, "→ 0 ") {
			t.Fatalf("an upload got %s", k)
		}
	}
}

// TestRedisStopped: with Redis gone, staff and residents sign in, submit,
// book and read; the limits come from the in-process fallback.
func TestRedisStopped(t *testing.T) {
	setup(t)
	c := w.city(t)
	w.redis.stop(5 * time.Second)
	defer w.ensure(t)
	seen := newTally()
	note := func(what string, st int, code string) { seen.add(fmt.Sprintf("%s %d %s", what, st, code)) }

	staffTok := w.b.staff(t, "zumiao_cadre", "Demo2026zl")
	note("staff sign-in", 200, "ok")
	tok := w.b.resident(t, testutil.UniqueCode("noredis"))
	note("resident sign-in", 200, "ok")
	st, code, _ := w.b.call("POST", "/api/v1/my/requests", tok, c.body("Redis 停了也要能提交"), nil)
	note("submit", st, code)
	var slot int64
	if err := w.db.QueryRow(`SELECT s.id FROM slots s JOIN liaison_sessions ls ON ls.id = s.session_id
		WHERE ls.status = 'open' AND ls.date >= CURRENT_DATE + INTERVAL 2 DAY AND s.booked < s.capacity AND s.withdrawn = 0
		ORDER BY ls.date DESC, s.id LIMIT 1`).Scan(&slot); err != nil {
		t.Fatal(err)
	}
	st, code, _ = w.b.call("POST", "/api/v1/my/bookings", tok, map[string]any{"slot_id": slot}, nil)
	note("book", st, code)
	for _, p := range []string{"/api/v1/my/requests", "/api/v1/my/bookings", "/api/v1/points"} {
		st, code, _ = w.b.call("GET", p, tok, nil, nil)
		note("read "+p, st, code)
	}
	st, code, _ = w.b.call("GET", "/api/v1/work/requests", staffTok, nil, nil)
	note("cadre inbox", st, code)
	wrong := newTally()
	for i := 0; i < 8; i++ {
		st, code, _ := w.a.call("POST", "/api/v1/auth/staff", "", map[string]string{"username": "guicheng_cadre", "password": fmt.Sprintf("Wrong-%dx", i)}, nil)
		wrong.add(fmt.Sprintf("%d %s", st, code))
	}
	t.Logf("Redis stopped: %s", seen)
	t.Logf("Redis stopped, 8 wrong passwords for one user: %s (in-process limiter)", wrong)
	for k := range seen.m {
		if !strings.Contains(k, " 200 ok") && !strings.Contains(k, " 201 ok") {
			t.Fatalf("without Redis: %s", k)
		}
	}
	if wrong.get("401 unauthorized") > 5 || wrong.get("429 rate_limited") < 3 {
		t.Fatalf("limits failed open without Redis: %s", wrong)
	}
}

// TestRedisFrozenDuringLogout: Redis frozen (SIGSTOP) while a token is
// logged out; after SIGCONT the token stays dead on both instances — also
// when the cached principal is put back, as a delete that never arrived
// would leave it.
func TestRedisFrozenDuringLogout(t *testing.T) {
	setup(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", w.rdPort)})
	defer rdb.Close()
	tok := w.a.staff(t, "guicheng_admin", "Demo2026zl")
	for _, s := range []*server{w.a, w.b} {
		if st, code, _ := s.call("GET", "/api/v1/auth/me", tok, nil, nil); st != 200 { // cached on both
			t.Fatalf("%s before: %d %s", s.name, st, code)
		}
	}
	// After Redis comes back the client takes up to a second to dial again:
	// wait until both instances have cached the principal.
	var key string
	if !waitFor(10*time.Second, func() bool {
		for _, s := range []*server{w.a, w.b} {
			s.call("GET", "/api/v1/auth/me", tok, nil, nil)
		}
		key = w.cacheKey(rdb, tok)
		return key != ""
	}) {
		t.Fatal("the principal was never cached")
	}
	cached := rdb.Get(ctx, key).Val()
	if err := w.redis.signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, code, _ := w.a.call("POST", "/api/v1/auth/logout", tok, nil, nil)
	logoutTook := time.Since(start)
	if err := w.redis.signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if st != 200 {
		t.Fatalf("logout while Redis frozen: %d %s", st, code)
	}
	survived := rdb.Exists(ctx, key).Val() == 1
	probe := func() *tally {
		out := newTally()
		for i := 0; i < 10; i++ {
			for _, s := range []*server{w.a, w.b} {
				st, code, _ := s.call("GET", "/api/v1/auth/me", tok, nil, nil)
				out.add(fmt.Sprintf("%d %s", st, code))
			}
			time.Sleep(50 * time.Millisecond)
		}
		return out
	}
	after := probe()
	rdb.Set(ctx, key, cached, 5*time.Minute) // the worst case: the stale entry is there
	stale := probe()
	t.Logf("Redis frozen during logout (answered 200 in %v; cache entry survived: %v); after SIGCONT the token got: %s; with the stale entry put back: %s",
		logoutTook.Round(time.Millisecond), survived, after, stale)
	if after.get("401 unauthorized") != 20 || stale.get("401 unauthorized") != 20 {
		t.Fatalf("a logged-out token came back: %s / %s", after, stale)
	}
}

// cacheKey finds the Redis key caching tok's principal (the one whose name
// holds the token's SHA-256).
func (w *world) cacheKey(rdb *redis.Client, tok string) string {
	sum := sha256.Sum256([]byte(tok))
	keys := rdb.Keys(context.Background(), "zlf:*"+hex.EncodeToString(sum[:])).Val()
	if len(keys) != 1 {
		return ""
	}
	return keys[0]
}

// TestMariaDBStopped: MariaDB down for 5 s under load: clients get 503
// (never 500), and the server answers again within 2 s of MariaDB's return,
// without being restarted.
func TestMariaDBStopped(t *testing.T) {
	setup(t)
	c := w.city(t)
	staffTok := w.b.staff(t, "nanhai_admin", "Demo2026zl")
	tokens := make([]string, 8)
	for i := range tokens {
		tokens[i] = w.b.resident(t, testutil.UniqueCode("mdb"))
	}
	var stop atomic.Bool
	var back atomic.Int64 // unix nanos of MariaDB accepting again
	var firstOK atomic.Int64
	statuses := newTally()
	var wg sync.WaitGroup
	for i := range tokens {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				var st int
				var code string
				began := time.Now().UnixNano()
				switch n % 4 {
				case 0:
					st, code, _ = w.b.call("GET", "/api/v1/my/requests", tokens[i], nil, nil)
				case 1:
					st, code, _ = w.b.call("GET", "/api/v1/my/profile", tokens[i], nil, nil)
				case 2:
					if n%40 == 2 { // within the submit limit of 10 an hour
						st, code, _ = w.b.call("POST", "/api/v1/my/requests", tokens[i], c.body(fmt.Sprintf("停库测试 %d-%d", i, n)), nil)
					} else {
						st, code, _ = w.b.call("GET", "/api/v1/auth/me", tokens[i], nil, nil)
					}
				case 3:
					st, code, _ = w.b.call("GET", "/api/v1/work/requests", staffTok, nil, nil)
				}
				statuses.add(fmt.Sprintf("%d %s", st, code))
				if b := back.Load(); b != 0 && began >= b && st >= 200 && st < 300 {
					firstOK.CompareAndSwap(0, time.Now().UnixNano())
				}
				time.Sleep(20 * time.Millisecond)
			}
		}(i)
	}
	time.Sleep(time.Second)
	w.stopMariaDB()
	time.Sleep(5 * time.Second)
	if err := w.startMariaDB(); err != nil {
		stop.Store(true)
		wg.Wait()
		t.Fatal(err)
	}
	back.Store(time.Now().UnixNano())
	waitFor(10*time.Second, func() bool { return firstOK.Load() != 0 })
	time.Sleep(500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	var recovered time.Duration
	if f := firstOK.Load(); f != 0 {
		recovered = time.Duration(f - back.Load())
	}
	t.Logf("MariaDB stopped 5 s under 8 clients: %s; first success %v after MariaDB accepted connections again",
		statuses, recovered.Round(time.Millisecond))
	for k := range statuses.m {
		if strings.HasPrefix(k, "500") || strings.HasPrefix(k, "0 ") {
			t.Fatalf("during the outage a client got %s (%s)", k, statuses)
		}
	}
	if statuses.get("503 unavailable") == 0 {
		t.Fatalf("no 503 seen during the outage: %s", statuses)
	}
	if firstOK.Load() == 0 || recovered > 2*time.Second {
		t.Fatalf("not serving within 2 s of MariaDB's return (%v)", recovered)
	}
}

// TestKill9LosesNoAcknowledgedWrite: 16 clients submit to instance A for 5
// s; A is killed with SIGKILL half way. Every submission A acknowledged
// (201) is in the database afterwards.
func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	setup(t)
	c := w.city(t)
	a := w.a
	type ack struct {
		id  int64
		key string
	}
	var mu sync.Mutex
	var acks []ack
	outcomes := newTally()
	var stop atomic.Bool
	var wg sync.WaitGroup
	for wkr := 0; wkr < 16; wkr++ {
		wg.Add(1)
		go func(wkr int) {
			defer wg.Done()
			tok, sent := "", 0
			for n := 0; !stop.Load(); n++ {
				if tok == "" || sent == 10 { // a fresh resident every 10 submissions (the hourly limit)
					st, _, data := a.call("POST", "/api/v1/auth/wechat", "", map[string]string{"code": testutil.UniqueCode(fmt.Sprintf("k9w%d", wkr))}, nil)
					if st != 200 {
						outcomes.add("sign-in failed")
						time.Sleep(50 * time.Millisecond)
						continue
					}
					var out struct {
						Token string `json:"token"`
					}
					_ = json.Unmarshal(data, &out)
					tok, sent = out.Token, 0
				}
				key := testutil.UniqueCode(fmt.Sprintf("k9-%d-%d-", wkr, n))
				st, code, data := a.call("POST", "/api/v1/my/requests", tok, c.body(fmt.Sprintf("kill -9 测试 %s", key)),
					map[string]string{"Idempotency-Key": key})
				sent++
				if st == 201 {
					var out struct {
						ID int64 `json:"id"`
					}
					_ = json.Unmarshal(data, &out)
					mu.Lock()
					acks = append(acks, ack{out.ID, key})
					mu.Unlock()
					outcomes.add("201 acknowledged")
				} else {
					outcomes.add(fmt.Sprintf("%d %s", st, code))
				}
			}
		}(wkr)
	}
	time.Sleep(2500 * time.Millisecond)
	if err := a.p.signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-a.p.done
	time.Sleep(2500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	found := 0
	for _, k := range acks {
		var n int
		if err := w.db.QueryRow(`SELECT COUNT(*) FROM requests r JOIN idempotency_records i ON i.target_id = r.id
			WHERE r.id = ? AND i.idem_key = ?`, k.id, k.key).Scan(&n); err != nil {
			t.Fatal(err)
		}
		found += n
	}
	t.Logf("kill -9 of a server under 16 submitting clients (5 s): %s; %d of %d acknowledged submissions are in MySQL",
		outcomes, found, len(acks))
	if len(acks) == 0 || found != len(acks) {
		t.Fatalf("%d of %d acknowledged submissions survived", found, len(acks))
	}
	w.ensure(t) // a new instance A for whatever runs next
}
