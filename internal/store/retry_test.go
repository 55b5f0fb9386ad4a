package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"zhilian/internal/store"
	"zhilian/internal/testutil"
	"zhilian/model"
)

// TestTxRunsADeadlockVictimAgain makes two transactions take two rows in
// opposite orders: the database rolls one back (1213, as Galera does on a
// certification conflict) and the helper runs it again, so both succeed.
// pairDB is a database with a table of two counters.
func pairDB(t *testing.T) *gorm.DB {
	t.Helper()
	db, err := store.Open(context.Background(), testutil.NewDatabase(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	for _, q := range []string{"CREATE TABLE pair (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO pair VALUES (1, 0), (2, 0)"} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func sum(t *testing.T, db *gorm.DB) int {
	t.Helper()
	var n int
	if err := db.Raw("SELECT SUM(n) FROM pair").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTxRunsADeadlockVictimAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pairDB(t)
	s := store.New(db)
	var attempts atomic.Int32
	var holding sync.WaitGroup
	holding.Add(2)
	run := func(first, second int) error {
		var waited atomic.Bool
		return s.Tx(ctx, func(tx *gorm.DB) error {
			attempts.Add(1)
			if err := tx.Exec("UPDATE pair SET n = n + 1 WHERE id = ?", first).Error; err != nil {
				return err
			}
			if !waited.Swap(true) { // the first attempts meet, each holding one row
				holding.Done()
				holding.Wait()
			}
			return tx.Exec("UPDATE pair SET n = n + 1 WHERE id = ?", second).Error
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- run(1, 2) }()
	go func() { errs <- run(2, 1) }()
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("transaction failed: %v", err)
		}
	}
	if n := attempts.Load(); n != 3 {
		t.Fatalf("%d attempts, want 3 (one victim run again)", n)
	}
	if got := sum(t, db); got != 4 {
		t.Fatalf("sum %d, want 4: each transaction applied once", got)
	}

	// Any other failure is final: the transaction runs once.
	attempts.Store(0)
	refused := model.E(model.CodeConflict, "不可重试")
	err := s.Tx(ctx, func(tx *gorm.DB) error { attempts.Add(1); return refused })
	if !errors.Is(err, refused) || attempts.Load() != 1 {
		t.Fatalf("err %v after %d attempts", err, attempts.Load())
	}
}

// kill ends the transaction's connection from another one, as a database
// node dying would.
func kill(t *testing.T, db, tx *gorm.DB) {
	t.Helper()
	var id int64
	if err := tx.Raw("SELECT CONNECTION_ID()").Scan(&id).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("KILL CONNECTION ?", id).Error; err != nil {
		t.Fatal(err)
	}
}

// TestTxRunsAgainWhenTheConnectionDiesBeforeCommit: nothing was committed,
// so the helper runs the transaction again on a new connection; a connection
// lost at COMMIT is reported, not retried (the outcome is unknown).
func TestTxRunsAgainWhenTheConnectionDiesBeforeCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pairDB(t)
	s := store.New(db)
	attempts := 0
	err := s.Tx(ctx, func(tx *gorm.DB) error {
		attempts++
		if err := tx.Exec("UPDATE pair SET n = n + 1 WHERE id = 1").Error; err != nil {
			return err
		}
		if attempts == 1 {
			kill(t, db, tx)
		}
		return tx.Exec("UPDATE pair SET n = n + 1 WHERE id = 2").Error
	})
	if err != nil || attempts != 2 || sum(t, db) != 2 {
		t.Fatalf("err %v, %d attempts, sum %d: want one clean second run", err, attempts, sum(t, db))
	}

	attempts = 0
	err = s.Tx(ctx, func(tx *gorm.DB) error {
		attempts++
		if err := tx.Exec("UPDATE pair SET n = n + 1 WHERE id = 1").Error; err != nil {
			return err
		}
		kill(t, db, tx) // the work is done; COMMIT meets a dead connection
		return nil
	})
	if err == nil || attempts != 1 {
		t.Fatalf("err %v after %d attempts: a lost COMMIT must be reported, not run again", err, attempts)
	}
}
