package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

// bareGin serves GET /me as the least a token check can do: Gin, one Redis
// GET of the token's hash, JSON out. It returns its base URL.
func bareGin(rdb *redis.Client, prefix string) (string, func(), error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/me", func(c *gin.Context) {
		tok := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(tok))
		b, err := rdb.Get(c.Request.Context(), prefix+hex.EncodeToString(sum[:])).Bytes()
		if errors.Is(err, redis.Nil) {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		if err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		var p map[string]any
		if err := json.Unmarshal(b, &p); err != nil {
			c.AbortWithStatus(http.StatusInternalServerError)
			return
		}
		c.JSON(http.StatusOK, gin.H{"code": "ok", "data": p})
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: r}
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String(), func() { _ = srv.Close() }, nil
}

// seedBareTokens stores a principal under each token's hash for bareGin.
func seedBareTokens(ctx context.Context, rdb *redis.Client, prefix string, toks []token) error {
	pipe := rdb.Pipeline()
	for _, t := range toks {
		sum := sha256.Sum256([]byte(t.Token))
		b, _ := json.Marshal(map[string]any{"kind": "resident", "id": t.Subject, "name": "", "role": "resident",
			"generation": 1, "expires_at": time.Now().Add(time.Hour)})
		pipe.Set(ctx, prefix+hex.EncodeToString(sum[:]), b, time.Hour)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// sqlLoad runs op on conc connections for d (closed loop) and reports ops/s
// and latencies: the database's own speed for the statements the server runs.
func sqlLoad(name string, db *sql.DB, conc int, d time.Duration, op func(ctx context.Context, i uint64) error) row {
	db.SetMaxOpenConns(conc)
	db.SetMaxIdleConns(conc)
	ctx := context.Background()
	var seq atomic.Uint64
	var mu sync.Mutex
	var lat []time.Duration
	var errs int
	load := loadavg()
	end := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for time.Now().Before(end) {
				t0 := time.Now()
				if err := op(ctx, seq.Add(1)); err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	took := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(float64(len(lat)-1)*p)]
	}
	r := row{Name: name, Conc: conc, Achieved: float64(len(lat)) / took.Seconds(), P50: q(0.5), P90: q(0.9), P99: q(0.99),
		Max: q(1), Codes: map[string]int{"ok": len(lat)}, Errors: errs, Load: load}
	if errs > 0 {
		r.Codes["err"] = errs
	}
	return r
}
