package hatest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// galera is a three-node MariaDB Galera cluster on loopback.
type galera struct {
	ps    *procs
	nodes []*gnode
}

// gnode is one node: its own data directory, client port, group
// communication, IST and SST ports.
type gnode struct {
	g                     *galera
	i                     int
	dir, cnf              string
	port, base, ist, sst  int
	proc                  *proc
	db                    *sql.DB // root on this node only
	started, killedAt     time.Time
	rejoinTook, startTook time.Duration
}

// checkUser is the password-less account HAProxy's health check signs in with.
const checkUser = "zl_check"

func (n *gnode) name() string { return fmt.Sprintf("db%d", n.i+1) }

func (n *gnode) addr() string { return fmt.Sprintf("127.0.0.1:%d", n.port) }

func (n *gnode) writeConfig(cluster string) error {
	cnf := fmt.Sprintf(`[mysqld]
datadir=%[1]s/data
socket=%[1]s/mysqld.sock
pid-file=%[1]s/mysqld.pid
log-error=%[1]s/error.log
port=%[2]d
bind-address=127.0.0.1
user=root
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_log_file_size=16M
innodb_flush_log_at_trx_commit=2
max_connections=400
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=zlha
wsrep_cluster_address=gcomm://%[3]s
wsrep_node_address=127.0.0.1
wsrep_node_name=%[4]s
wsrep_provider_options="base_port=%[5]d;ist.recv_addr=127.0.0.1:%[6]d;gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S"
wsrep_sst_receive_address=127.0.0.1:%[7]d
wsrep_sst_method=mariabackup
wsrep_sst_auth=root:
`, n.dir, n.port, cluster, n.name(), n.base, n.ist, n.sst)
	return os.WriteFile(n.cnf, []byte(cnf), 0o644)
}

// startGalera installs one data directory, bootstraps it to create the
// accounts, stops it and copies it to the other nodes, so that all three
// start from the same state and join without a state transfer.
func startGalera(t *testing.T, ps *procs, dir string) *galera {
	t.Helper()
	ports := freePorts(t, 12)
	g := &galera{ps: ps}
	var cluster []string
	for i := 0; i < 3; i++ {
		n := &gnode{g: g, i: i, dir: filepath.Join(dir, fmt.Sprintf("db%d", i+1)),
			port: ports[4*i], base: ports[4*i+1], ist: ports[4*i+2], sst: ports[4*i+3]}
		n.cnf = filepath.Join(n.dir, "my.cnf")
		if err := os.MkdirAll(filepath.Join(n.dir, "data"), 0o755); err != nil {
			t.Fatal(err)
		}
		cluster = append(cluster, fmt.Sprintf("127.0.0.1:%d", n.base))
		g.nodes = append(g.nodes, n)
	}
	for _, n := range g.nodes {
		if err := n.writeConfig(strings.Join(cluster, ",")); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	first := g.nodes[0]
	if _, err := run(ctx, "mariadb-install-db", "--defaults-file="+first.cnf, "--user=root",
		"--auth-root-authentication-method=normal", "--skip-test-db"); err != nil {
		t.Fatal(err)
	}
	first.start(t, "--wsrep-new-cluster")
	first.waitSynced(t, time.Minute)
	for _, q := range []string{
		"DELETE FROM mysql.global_priv WHERE User = ''", "FLUSH PRIVILEGES",
		"CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'", "GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION",
		"CREATE USER IF NOT EXISTS '" + checkUser + "'@'127.0.0.1'", "CREATE USER IF NOT EXISTS '" + checkUser + "'@'localhost'",
	} {
		if _, err := first.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	first.stopClean(t)
	for _, n := range g.nodes[1:] {
		if err := copyDir(filepath.Join(first.dir, "data"), filepath.Join(n.dir, "data"), "galera.cache", "gvwstate.dat"); err != nil {
			t.Fatal(err)
		}
		state := filepath.Join(n.dir, "data", "grastate.dat")
		raw, err := os.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(state, []byte(strings.Replace(string(raw), "safe_to_bootstrap: 1", "safe_to_bootstrap: 0", 1)), 0o644)
	}
	first.start(t, "--wsrep-new-cluster")
	first.waitSynced(t, time.Minute)
	for _, n := range g.nodes[1:] {
		n.start(t)
	}
	for _, n := range g.nodes {
		n.waitSynced(t, 2*time.Minute)
	}
	return g
}

// start runs mariadbd on the node's configuration.
func (n *gnode) start(t *testing.T, args ...string) {
	t.Helper()
	n.started = time.Now()
	n.proc = n.g.ps.start(t, n.name(), filepath.Join(n.dir, "mariadbd.out"), nil, "/usr/sbin/mariadbd",
		append([]string{"--defaults-file=" + n.cnf}, args...)...)
	if n.db == nil {
		cfg := mysql.NewConfig()
		cfg.User, cfg.Net, cfg.Addr = "root", "tcp", n.addr()
		cfg.Timeout, cfg.ReadTimeout = 2*time.Second, 5*time.Second
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(4)
		db.SetConnMaxIdleTime(time.Second)
		t.Cleanup(func() { db.Close() })
		n.db = db
	}
}

// status reads one wsrep status variable.
func (n *gnode) status(name string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var k, v string
	err := n.db.QueryRowContext(ctx, "SHOW GLOBAL STATUS LIKE '"+name+"'").Scan(&k, &v)
	return v, err
}

// waitSynced waits until the node is a synced member of the primary component.
func (n *gnode) waitSynced(t *testing.T, timeout time.Duration) time.Duration {
	t.Helper()
	return waitFor(t, n.name()+" synced", timeout, func() error {
		if !n.proc.running() {
			raw, _ := os.ReadFile(filepath.Join(n.dir, "error.log"))
			t.Fatalf("%s exited:\n%s", n.name(), tail(string(raw), 40))
		}
		s, err := n.status("wsrep_local_state_comment")
		if err != nil {
			return err
		}
		if s != "Synced" {
			return fmt.Errorf("state %s", s)
		}
		return nil
	})
}

// stopClean shuts the node down (its state is saved).
func (n *gnode) stopClean(t *testing.T) {
	t.Helper()
	if _, err := n.db.Exec("SHUTDOWN"); err != nil {
		t.Fatalf("shutdown %s: %v", n.name(), err)
	}
	select {
	case <-n.proc.done:
	case <-time.After(time.Minute):
		t.Fatalf("%s did not stop", n.name())
	}
}

// kill crashes the node.
func (n *gnode) kill() {
	n.killedAt = time.Now()
	n.proc.kill9()
}

var recovered = regexp.MustCompile(`Recovered position: ([0-9a-f-]+:-?[0-9]+)`)

// rejoin restarts a crashed node from the position InnoDB recovered, so the
// cluster sends it only what it missed (IST), and waits until it is synced.
func (n *gnode) rejoin(t *testing.T) {
	t.Helper()
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := run(ctx, "/usr/sbin/mariadbd", "--defaults-file="+n.cnf, "--wsrep-recover"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(n.dir, "error.log"))
	if err != nil {
		t.Fatal(err)
	}
	m := recovered.FindAllStringSubmatch(string(raw), -1)
	if len(m) == 0 {
		t.Fatalf("%s: no recovered position in its log", n.name())
	}
	n.start(t, "--wsrep-start-position="+m[len(m)-1][1])
	n.waitSynced(t, 2*time.Minute)
	n.rejoinTook = time.Since(began)
}

// lastCommitted is the node's last applied write-set.
func (n *gnode) lastCommitted() (string, error) { return n.status("wsrep_last_committed") }

// waitConverged waits until every node is synced and has applied the same
// write-sets.
func (g *galera) waitConverged(t *testing.T) {
	t.Helper()
	for _, n := range g.nodes {
		n.waitSynced(t, 2*time.Minute)
	}
	waitFor(t, "nodes converged", time.Minute, func() error {
		var seen []string
		for _, n := range g.nodes {
			s, err := n.lastCommitted()
			if err != nil {
				return err
			}
			seen = append(seen, s)
		}
		if seen[0] != seen[1] || seen[1] != seen[2] {
			return fmt.Errorf("last committed %v", seen)
		}
		return nil
	})
}

func copyDir(from, to string, skip ...string) error {
	return filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		for _, s := range skip {
			if rel == s {
				return nil
			}
		}
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, info.Mode().Perm())
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
