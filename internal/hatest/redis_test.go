package hatest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// masterName is the Sentinel name of the Redis master.
const masterName = "zlha"

// sentinels is a Redis master, one replica and three sentinels.
type sentinels struct {
	ps        *procs
	dir       string
	servers   map[int]*proc // by port
	ports     []int         // the two servers' ports
	sentPorts []int
}

func startSentinels(t *testing.T, ps *procs, dir string) *sentinels {
	t.Helper()
	p := freePorts(t, 5)
	s := &sentinels{ps: ps, dir: dir, servers: map[int]*proc{}, ports: p[:2], sentPorts: p[2:]}
	s.startServer(t, s.ports[0], 0)
	s.startServer(t, s.ports[1], s.ports[0])
	for i, port := range s.sentPorts {
		conf := filepath.Join(dir, fmt.Sprintf("sentinel%d.conf", i+1))
		body := fmt.Sprintf(`port %d
bind 127.0.0.1
dir %s
sentinel monitor %s 127.0.0.1 %d 2
sentinel down-after-milliseconds %s 1000
sentinel failover-timeout %s 5000
sentinel parallel-syncs %s 1
`, port, dir, masterName, s.ports[0], masterName, masterName, masterName)
		if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		ps.start(t, fmt.Sprintf("sentinel%d", i+1), filepath.Join(dir, fmt.Sprintf("sentinel%d.log", i+1)), nil,
			"/usr/bin/redis-sentinel", conf)
	}
	waitFor(t, "sentinels see the replica and each other", 30*time.Second, func() error {
		for _, port := range s.sentPorts {
			c := redis.NewSentinelClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
			reps, err := c.Replicas(context.Background(), masterName).Result()
			sents, err2 := c.Sentinels(context.Background(), masterName).Result()
			c.Close()
			if err != nil || err2 != nil {
				return fmt.Errorf("%v %v", err, err2)
			}
			if len(reps) != 1 || len(sents) != 2 {
				return fmt.Errorf("sentinel %d: %d replicas, %d other sentinels", port, len(reps), len(sents))
			}
		}
		return nil
	})
	return s
}

// startServer runs redis-server on port, as a replica of replicaOf when not 0.
func (s *sentinels) startServer(t *testing.T, port, replicaOf int) {
	t.Helper()
	args := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", s.dir, "--dbfilename", fmt.Sprintf("dump-%d.rdb", port)}
	if replicaOf != 0 {
		args = append(args, "--replicaof", "127.0.0.1", strconv.Itoa(replicaOf))
	}
	s.servers[port] = s.ps.start(t, fmt.Sprintf("redis-%d", port), filepath.Join(s.dir, fmt.Sprintf("redis-%d.log", port)), nil,
		"/usr/bin/redis-server", args...)
	waitFor(t, "redis up", 10*time.Second, func() error {
		c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
		defer c.Close()
		return c.Ping(context.Background()).Err()
	})
}

// addrs are the sentinels' addresses, as the app is given them.
func (s *sentinels) addrs() []string {
	var out []string
	for _, p := range s.sentPorts {
		out = append(out, fmt.Sprintf("127.0.0.1:%d", p))
	}
	return out
}

// master asks the first sentinel that answers for the master's port.
func (s *sentinels) master() (int, error) {
	var err error
	for _, port := range s.sentPorts {
		c := redis.NewSentinelClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
		var addr []string
		addr, err = c.GetMasterAddrByName(context.Background(), masterName).Result()
		c.Close()
		if err == nil && len(addr) == 2 {
			return strconv.Atoi(addr[1])
		}
	}
	return 0, err
}

// killMaster crashes the master and waits until the sentinels have promoted
// the replica; it returns the old master's port and how long promotion took.
func (s *sentinels) killMaster(t *testing.T) (old int, took time.Duration) {
	t.Helper()
	old, err := s.master()
	if err != nil {
		t.Fatal(err)
	}
	s.servers[old].kill9()
	took = waitFor(t, "replica promoted", 30*time.Second, func() error {
		m, err := s.master()
		if err != nil {
			return err
		}
		if m == old {
			return errNotYet
		}
		c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", m)})
		defer c.Close()
		info, err := c.Info(context.Background(), "replication").Result()
		if err != nil {
			return err
		}
		if !strings.Contains(info, "role:master") {
			return fmt.Errorf("new master not promoted yet")
		}
		return nil
	})
	return old, took
}

// restore restarts the old master as a replica of the new one.
func (s *sentinels) restore(t *testing.T, old int) {
	t.Helper()
	m, err := s.master()
	if err != nil {
		t.Fatal(err)
	}
	s.startServer(t, old, m)
}
