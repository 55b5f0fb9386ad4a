// Package hatest proves that the whole stack survives the loss of a node of
// each kind. Its test starts, on loopback ports with temporary directories, a
// three-node MariaDB Galera cluster, HAProxy (one writer node with the others
// as backups, a read listener over all three, and a frontend over the server
// instances), Redis with one replica and three sentinels, and three instances
// of the real server binary; puts them under a mixed load; kills the writing
// database node, a server instance and the Redis master; brings them back;
// and checks that nothing acknowledged was lost or done twice.
//
// `make ha-test` runs the full scenario (ZL_HA_TEST=full), `make test` the
// short one (ZL_HA_TEST=short); without ZL_HA_TEST the test is skipped.
package hatest
