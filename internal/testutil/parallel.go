package testutil

import (
	"flag"
	"runtime"
	"strconv"
)

// RaiseParallel lets up to n tests of the package run at once (the
// -test.parallel flag, GOMAXPROCS by default) unless the command line set
// it. Call it from TestMain before m.Run. A test that builds a server spends
// most of its time waiting for MariaDB (cloning its database, committing), so
// with only as many tests at once as there are cores the cores sit idle.
func RaiseParallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set && runtime.GOMAXPROCS(0) < n {
		_ = flag.Set("test.parallel", strconv.Itoa(n))
	}
}
