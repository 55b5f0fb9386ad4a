package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/redis/go-redis/v9"
)

var _ gocron.Locker = (*RedisLocker)(nil)

// lockRetry is how long Lock keeps trying while Redis does not answer, and
// lockPause the pause between tries.
const (
	lockRetry = 15 * time.Second
	lockPause = 250 * time.Millisecond
)

// ErrLocked means another instance holds the job's lock: this run is skipped.
var ErrLocked = errors.New("job locked by another instance")

// RedisLocker is gocron's distributed locker over our Redis: SET NX PX under
// the configured prefix. A lock is held for at least minHold after it is
// taken, so an instance whose clock is a little late does not run a job that
// another instance has just finished.
type RedisLocker struct {
	rdb     redis.UniversalClient
	prefix  string
	ttl     time.Duration
	minHold time.Duration
}

// NewRedisLocker builds the locker. ttl bounds a lock whose holder died;
// minHold is how long a lock outlives a quick run.
func NewRedisLocker(rdb redis.UniversalClient, prefix string, ttl, minHold time.Duration) *RedisLocker {
	return &RedisLocker{rdb: rdb, prefix: prefix + "lock:job:", ttl: ttl, minHold: minHold}
}

// Lock takes the lock named key, or fails with ErrLocked.
func (l *RedisLocker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	ok, err := l.rdb.SetNX(ctx, l.prefix+key, token, l.ttl).Result()
	for wait := time.Duration(0); err != nil && wait < lockRetry; wait += lockPause {
		// Redis is unreachable (a Sentinel fail-over takes seconds): a daily
		// run skipped now would not come back until tomorrow.
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(lockPause):
		}
		ok, err = l.rdb.SetNX(ctx, l.prefix+key, token, l.ttl).Result()
	}
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrLocked
	}
	return &redisLock{l: l, key: l.prefix + key, token: token, taken: time.Now()}, nil
}

type redisLock struct {
	l     *RedisLocker
	key   string
	token string
	taken time.Time
}

// release deletes the lock if we still hold it, or keeps it for the ms left of the minimum hold.
var release = redis.NewScript(`
if redis.call("GET", KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
return redis.call("DEL", KEYS[1])`)

// Unlock releases the lock (keeping it until the minimum hold has passed).
func (k *redisLock) Unlock(ctx context.Context) error {
	left := k.l.minHold - time.Since(k.taken)
	ms := left.Milliseconds()
	if ms < 0 {
		ms = 0
	}
	return release.Run(context.WithoutCancel(ctx), k.l.rdb, []string{k.key}, k.token, ms).Err()
}
