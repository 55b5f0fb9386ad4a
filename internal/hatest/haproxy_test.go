package hatest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// balancer is HAProxy with three listeners: MySQL writes (one node at a
// time, the others as backups), MySQL reads (every synced node) and HTTP in
// front of the server instances.
type balancer struct {
	ps                *procs
	dir, cfg          string
	write, read, http int
	proc              *proc
	writeDB           *sql.DB
	galera            *galera
	apps              []int // the instances' ports
}

// galeraCheck is HAProxy's health check of a Galera node: up only while the
// node is a synced member of the primary component (wsrep_local_state 4), so
// a node that is joining or cut off takes no traffic.
const galeraCheck = `#!/bin/sh
state=$(mariadb --no-defaults -h "$HAPROXY_SERVER_ADDR" -P "$HAPROXY_SERVER_PORT" -u ` + checkUser + ` \
  --connect-timeout=1 -N -B -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | cut -f2)
[ "$state" = 4 ]
`

// unavailable is what clients get when no instance can answer: the API's
// error envelope with 503 and Retry-After, never a bare proxy page.
const unavailable = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n" +
	"Retry-After: 1\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" +
	`{"code":"unavailable","msg":"服务暂时不可用，请稍后重试","request_id":""}` + "\n"

func startBalancer(t *testing.T, ps *procs, dir string, g *galera, apps []int) *balancer {
	t.Helper()
	p := freePorts(t, 3)
	b := &balancer{ps: ps, dir: dir, cfg: filepath.Join(dir, "haproxy.cfg"), write: p[0], read: p[1], http: p[2], galera: g, apps: apps}
	check := filepath.Join(dir, "galera-check.sh")
	if err := os.WriteFile(check, []byte(galeraCheck), 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "503.http")
	if err := os.WriteFile(page, []byte(unavailable), 0o644); err != nil {
		t.Fatal(err)
	}
	var w, r, h strings.Builder
	for i, n := range g.nodes {
		backup := ""
		if i > 0 {
			backup = " backup"
		}
		fmt.Fprintf(&w, "    server %s %s check%s\n", n.name(), n.addr(), backup)
		fmt.Fprintf(&r, "    server %s %s check\n", n.name(), n.addr())
	}
	for i, port := range apps {
		fmt.Fprintf(&h, "    server app%d 127.0.0.1:%d check\n", i+1, port)
	}
	cfg := fmt.Sprintf(`global
    maxconn 4000
    external-check
    insecure-fork-wanted
    log stdout format raw local0 info

defaults
    timeout connect 1s
    timeout client 10m
    timeout server 10m
    timeout check 2s
    retries 3
    option redispatch

listen mysql_write
    bind 127.0.0.1:%[1]d
    mode tcp
    option external-check
    external-check path "/usr/bin:/bin"
    external-check command %[4]s
    # every connection goes to the node that took the first one, until it fails
    stick-table type integer size 1
    stick on int(1)
    # a refused connection marks the node down at once: the retry goes to a backup
    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions observe layer4 error-limit 1 on-error mark-down
%[5]s
listen mysql_read
    bind 127.0.0.1:%[2]d
    mode tcp
    balance leastconn
    option external-check
    external-check path "/usr/bin:/bin"
    external-check command %[4]s
    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions observe layer4 error-limit 1 on-error mark-down
%[6]s
listen app
    bind 127.0.0.1:%[3]d
    mode http
    balance roundrobin
    timeout server 30s
    # liveness: the instances serve without Redis, so its loss must not empty the pool
    option httpchk GET /healthz
    http-check expect status 200
    option forwardfor
    log global
    option httplog
    # a request that never reached an instance goes to another one (retries,
    # redispatch); one that an instance took and died with answers 503 and
    # the client repeats it (with the same Idempotency-Key for writes)
    errorfile 502 %[7]s
    errorfile 503 %[7]s
    errorfile 504 %[7]s
    default-server inter 1s fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down
%[8]s`, b.write, b.read, b.http, check, w.String(), r.String(), page, h.String())
	if err := os.WriteFile(b.cfg, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(context.Background(), "/usr/sbin/haproxy", "-c", "-q", "-f", b.cfg); err != nil {
		t.Fatalf("haproxy config: %v\n%s", err, out)
	}
	b.proc = ps.start(t, "haproxy", filepath.Join(dir, "haproxy.log"), nil, "/usr/sbin/haproxy", "-db", "-f", b.cfg)
	cfgDB := mysql.NewConfig()
	cfgDB.User, cfgDB.Net, cfgDB.Addr = "root", "tcp", fmt.Sprintf("127.0.0.1:%d", b.write)
	cfgDB.Timeout, cfgDB.ReadTimeout = 2*time.Second, 5*time.Second
	db, err := sql.Open("mysql", cfgDB.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxIdleConns(0) // every question opens a new connection: it shows where new ones go
	t.Cleanup(func() { db.Close() })
	b.writeDB = db
	waitFor(t, "haproxy sends writes to a node", 30*time.Second, func() error { _, err := b.writer(); return err })
	return b
}

// writer is the node new write connections go to.
func (b *balancer) writer() (*gnode, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var port int
	if err := b.writeDB.QueryRowContext(ctx, "SELECT @@port").Scan(&port); err != nil {
		return nil, err
	}
	for _, n := range b.galera.nodes {
		if n.port == port {
			return n, nil
		}
	}
	return nil, fmt.Errorf("port %d is no node", port)
}

// dsn is the app's DSN through one of the MySQL listeners.
func (b *balancer) dsn(port int, db string) string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s?parseTime=true&loc=UTC&charset=utf8mb4", port, db)
}

// url is the HTTP frontend.
func (b *balancer) url() string { return fmt.Sprintf("http://127.0.0.1:%d", b.http) }
