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
func TestTxRunsADeadlockVictimAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, testutil.NewDatabase(t), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	for _, q := range []string{"CREATE TABLE pair (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO pair VALUES (1, 0), (2, 0)"} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
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
	var sum int
	if err := db.Raw("SELECT SUM(n) FROM pair").Scan(&sum).Error; err != nil || sum != 4 {
		t.Fatalf("sum %d (%v), want 4: each transaction applied once", sum, err)
	}

	// Any other failure is final: the transaction runs once.
	attempts.Store(0)
	refused := model.E(model.CodeConflict, "不可重试")
	err = s.Tx(ctx, func(tx *gorm.DB) error { attempts.Add(1); return refused })
	if !errors.Is(err, refused) || attempts.Load() != 1 {
		t.Fatalf("err %v after %d attempts", err, attempts.Load())
	}
}
