package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"zhilian/internal/logx"
	"zhilian/internal/seed"
	"zhilian/internal/store"
	"zhilian/service"
)

// seedVersion names the generator's output: bump it when internal/seed
// changes what it writes, so a cached city is not reused across versions.
const seedVersion = "s1"

// city is a seeded database the bench reuses between runs.
type city struct {
	dsn       string // the server's DSN (interpolateParams as configured)
	db        *sql.DB
	requests  int
	residents int
}

// dbName is the cached database of a seed size: zl_bench_s1_300000_30000.
func dbName(requests, residents int) string {
	return fmt.Sprintf("zl_bench_%s_%d_%d", seedVersion, requests, residents)
}

// dsnFor builds the DSN of database name on the MySQL at addr.
func dsnFor(addr, name string) string {
	c := mysql.NewConfig()
	c.User, c.Net, c.Addr, c.DBName = "root", "tcp", addr, name
	c.ParseTime, c.Loc = true, time.UTC
	c.Params = map[string]string{"charset": "utf8mb4"}
	return c.FormatDSN()
}

// openCity reuses the database of this seed size when a finished seed left
// its mark (bench_seed), otherwise drops whatever is there and seeds anew.
// Reuse only grows the tables by what earlier runs submitted; after more
// than half the seed's size again it reseeds.
func openCity(ctx context.Context, addr string, requests, residents int, say func(string, ...any)) (*city, error) {
	name := dbName(requests, residents)
	dsn := dsnFor(addr, name)
	c := &city{dsn: dsn, requests: requests, residents: residents}
	fresh := true
	if db, err := sql.Open("mysql", dsn); err == nil {
		var n, total int64
		if db.QueryRowContext(ctx, "SELECT requests FROM bench_seed").Scan(&n) == nil &&
			db.QueryRowContext(ctx, "SELECT COUNT(*) FROM requests").Scan(&total) == nil && total < n*3/2 {
			fresh = false
			say("reusing %s (%d requests, %d of them from earlier runs)", name, total, total-n)
		}
		db.Close()
	}
	if fresh {
		say("seeding %s: %d requests, %d residents (cached for later runs)", name, requests, residents)
		if err := store.DropDatabase(ctx, dsn); err != nil {
			return nil, err
		}
		log := logx.New(discard{}, "error")
		gdb, err := store.Open(ctx, dsn, nil, log)
		if err != nil {
			return nil, err
		}
		if _, err := store.Migrate(dsn); err != nil {
			return nil, err
		}
		t0 := time.Now()
		res, err := seed.Run(ctx, gdb, seed.Options{Requests: requests, Residents: residents,
			Year: time.Now().Year() - 1, Seed: 1, Workers: 2, Log: log})
		if err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
		if sqlDB, err := gdb.DB(); err == nil {
			sqlDB.Close()
		}
		say("seeded %d orgs, %d residents, %d requests in %s", res.Orgs, res.Residents, res.Requests, time.Since(t0).Round(time.Second))
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	c.db = db
	if fresh {
		if _, err := db.ExecContext(ctx, "CREATE TABLE bench_seed (requests BIGINT NOT NULL, at DATETIME NOT NULL)"); err != nil {
			return nil, err
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO bench_seed VALUES (?, NOW())", requests); err != nil {
			return nil, err
		}
	}
	return c, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// token is a login issued directly in the database, as service.Auth.Issue
// would (the sign-in endpoints are rate-limited per IP, and the bench runs
// from one).
type token struct {
	Token   string
	Subject int64
}

// issue inserts n logins for each subject and returns their tokens.
func (c *city) issue(ctx context.Context, kind string, subjects []int64, n int) ([]token, error) {
	var out []token
	now := time.Now().UTC()
	var sb strings.Builder
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q := "INSERT INTO logins (token_hash, subject_kind, subject_id, ip, generation, expires_at, created_at) VALUES " +
			strings.TrimSuffix(sb.String(), ",")
		_, err := c.db.ExecContext(ctx, q, args...)
		sb.Reset()
		args = args[:0]
		return err
	}
	for _, id := range subjects {
		for i := 0; i < n; i++ {
			raw := make([]byte, 32)
			if _, err := rand.Read(raw); err != nil {
				return nil, err
			}
			tok := base64.RawURLEncoding.EncodeToString(raw)
			var g [8]byte
			if _, err := rand.Read(g[:]); err != nil {
				return nil, err
			}
			sb.WriteString("(?,?,?,?,?,?,?),")
			args = append(args, service.HashToken(tok), kind, id, "127.0.0.1", int64(binary.BigEndian.Uint64(g[:])>>1),
				now.Add(24*time.Hour), now)
			out = append(out, token{Token: tok, Subject: id})
			if len(args) >= 7*500 {
				if err := flush(); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, flush()
}

// ids runs a query returning one id column.
func (c *city) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// cityAdmin returns a city-level admin account, creating one for the bench
// (the demo has admins only at district and town level).
func (c *city) cityAdmin(ctx context.Context) (int64, error) {
	var id int64
	err := c.db.QueryRowContext(ctx, "SELECT id FROM accounts WHERE username = 'bench_city_admin'").Scan(&id)
	if err == nil {
		return id, nil
	}
	if err != sql.ErrNoRows {
		return 0, err
	}
	res, err := c.db.ExecContext(ctx, `INSERT INTO accounts (username, name, org_id, role, status, password_hash, created_at, updated_at)
		SELECT 'bench_city_admin', '压测市管理员', id, 'admin', 'active', '!', NOW(3), NOW(3) FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
