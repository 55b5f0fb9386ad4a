// Package faults holds the fault tests: they start their own MariaDB
// (mariadbd on a temporary datadir) and Redis on free loopback ports, build
// the server once and run instances of it as separate processes, then break
// things — kill -9 a server under load, stop MariaDB, stop or freeze Redis,
// race two instances for one slot, send decompression bombs — and print what
// the clients saw. They never touch a process they did not start. Without the
// mariadbd, mariadb-install-db or redis-server binaries they skip, saying so.
package faults
