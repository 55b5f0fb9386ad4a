package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/go-sql-driver/mysql"
)

// txAttempts bounds how many times one transaction runs when the database
// keeps choosing it as the loser of a conflict.
const txAttempts = 4

// retryable reports whether a transaction was rolled back by the database to
// settle a conflict, so running it again from the start is safe and likely to
// succeed: an InnoDB deadlock, or a Galera certification conflict (another
// node committed a write to the same rows first), both reported as 1213.
// A lock wait timeout (1205) is not retried: it has already waited.
func retryable(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == errDeadlock
}

// retry runs one transaction attempt until it succeeds, fails for another
// reason, or has run txAttempts times, with a short jittered pause between
// attempts. attempt must open a fresh transaction each time and have no
// effect outside the database.
func retry(ctx context.Context, attempt func() error) error {
	for n := 1; ; n++ {
		err := attempt()
		if err == nil || n == txAttempts || !retryable(err) {
			return err
		}
		pause := time.Duration(n*n)*5*time.Millisecond + rand.N(10*time.Millisecond)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}
