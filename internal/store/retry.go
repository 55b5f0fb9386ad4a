package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// txAttempts bounds how many times one transaction runs.
const txAttempts = 4

// errWsrepNotReady is Galera's answer from a node that is not a synced member
// of the primary component (ER_UNKNOWN_COM_ERROR): nothing was done.
const errWsrepNotReady = 1047

// transact runs fn in a transaction on db, and runs it again from the start
// (at most txAttempts times in all) when the database undid it without doing
// any of it: it lost a conflict (an InnoDB deadlock, or a Galera
// certification conflict: another node committed a write to the same rows
// first; both 1213), or the connection was lost before COMMIT was sent (the
// node died; HAProxy sends the next connection to another). A connection lost
// during COMMIT is not retried: the outcome is unknown. fn must start from
// what it reads inside the transaction and have no effect outside it.
func transact(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	for n := 1; ; n++ {
		committing := false
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := fn(tx); err != nil {
				return err
			}
			committing = true
			return nil
		})
		again, pause := retryable(err, committing)
		if err == nil || !again || n == txAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(n) * pause):
		}
	}
}

// retryable reports whether a failed transaction may run again, and the pause
// before the next attempt (multiplied by the attempt number).
func retryable(err error, committing bool) (bool, time.Duration) {
	var me *mysql.MySQLError
	switch {
	case err == nil:
		return false, 0
	case errors.As(err, &me) && me.Number == errDeadlock:
		return true, 5*time.Millisecond + rand.N(10*time.Millisecond)
	case committing:
		return false, 0
	case errors.As(err, &me) && me.Number == errWsrepNotReady, unreachable(err):
		return true, 200 * time.Millisecond
	}
	return false, 0
}
