package hatest

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// engines maps each file the stack needs to the Debian package that has it.
var engines = map[string]string{
	"/usr/sbin/mariadbd":               "mariadb-server",
	"/usr/bin/mariadb-install-db":      "mariadb-server-core",
	"/usr/bin/mariadb":                 "mariadb-client-core",
	"/usr/lib/galera/libgalera_smm.so": "galera-4",
	"/usr/bin/mariabackup":             "mariadb-backup",
	"/usr/bin/socat":                   "socat",
	"/usr/sbin/haproxy":                "haproxy",
	"/usr/bin/redis-server":            "redis-server",
	"/usr/bin/redis-sentinel":          "redis-sentinel",
}

// needEngines installs the Debian packages of the stack that are missing
// (as root), or skips the test naming them when it cannot.
func needEngines(t *testing.T) {
	t.Helper()
	missing := map[string]bool{}
	for file, pkg := range engines {
		if _, err := os.Stat(file); err != nil {
			missing[pkg] = true
		}
	}
	if len(missing) == 0 {
		return
	}
	var pkgs []string
	for p := range missing {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	if os.Geteuid() != 0 {
		t.Skipf("the HA test needs %s: apt-get install -y %s (as root)", strings.Join(pkgs, ", "), strings.Join(pkgs, " "))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	t.Logf("installing %s", strings.Join(pkgs, " "))
	args := append([]string{"install", "-y", "--no-install-recommends"}, pkgs...)
	if _, err := run(ctx, "apt-get", args...); err != nil {
		if _, uerr := run(ctx, "apt-get", "update"); uerr != nil {
			t.Fatalf("apt-get update: %v", uerr)
		}
		if _, err := run(ctx, "apt-get", args...); err != nil {
			t.Fatalf("install the HA engines: %v", err)
		}
	}
}
