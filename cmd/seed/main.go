// Command seed fills a database with a generated city: the demo org tree with
// ten communities per town, residents and a year of requests. It is for
// benchmarks and load tests:
//
//	go run ./cmd/seed -requests 1000000 -residents 100000 -dsn 'root@tcp(127.0.0.1:3306)/zl_bench?parseTime=true&loc=UTC&charset=utf8mb4'
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"zhilian/internal/config"
	"zhilian/internal/logx"
	"zhilian/internal/seed"
	"zhilian/internal/store"
)

func main() {
	dsn := flag.String("dsn", config.DefaultMySQLDSN, "MySQL DSN; the database is created and migrated if needed")
	requests := flag.Int("requests", 1000000, "requests to generate")
	residents := flag.Int("residents", 100000, "residents to generate")
	year := flag.Int("year", time.Now().Year()-1, "the year the requests are submitted in")
	rs := flag.Uint64("seed", 1, "random seed")
	workers := flag.Int("workers", 2, "inserting connections")
	flag.Parse()
	if err := run(*dsn, seed.Options{Requests: *requests, Residents: *residents, Year: *year, Seed: *rs, Workers: *workers}); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(dsn string, o seed.Options) error {
	if o.Residents < 1 || o.Requests < 0 {
		return fmt.Errorf("need at least one resident and no negative counts")
	}
	ctx := context.Background()
	log := logx.New(os.Stderr, "info")
	o.Log = log
	db, err := store.Open(ctx, dsn, nil, log)
	if err != nil {
		return err
	}
	if _, err := store.Migrate(dsn); err != nil {
		return err
	}
	res, err := seed.Run(ctx, db, o)
	if err != nil {
		return err
	}
	fmt.Printf("seeded %d orgs, %d residents, %d requests (year %d) in %s\n", res.Orgs, res.Residents, res.Requests,
		o.Year, res.Took.Round(time.Millisecond))
	return nil
}
