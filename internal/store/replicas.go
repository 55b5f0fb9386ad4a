package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// replicasName names the resolver of the read replicas. Only reads that ask
// for it by name (Store.lagged) go there; everything else, and everything in
// a transaction, stays on the primary.
const replicasName = "zl:replicas"

// UseReplicas registers read replicas on db (gorm.io/plugin/dbresolver) for
// the reads that tolerate a little replication lag: statistics and the audit
// log. No DSN: nothing changes. The returned function closes the replicas' pools.
func UseReplicas(db *gorm.DB, dsns []string) (closeAll func() error, err error) {
	var pools []*sql.DB
	closeAll = func() error {
		var errs []error
		for _, p := range pools {
			errs = append(errs, p.Close())
		}
		return errors.Join(errs...)
	}
	var replicas []gorm.Dialector
	for _, dsn := range dsns {
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			return closeAll, fmt.Errorf("parse replica dsn: %w", err)
		}
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			return closeAll, fmt.Errorf("replica dsn: %w", err)
		}
		pool := sql.OpenDB(conn)
		pools = append(pools, pool)
		pool.SetMaxOpenConns(25)
		pool.SetMaxIdleConns(10)
		pool.SetConnMaxLifetime(30 * time.Minute)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		replicas = append(replicas, gormmysql.New(gormmysql.Config{Conn: pool}))
	}
	if len(replicas) == 0 {
		return closeAll, nil
	}
	if err := db.Use(dbresolver.Register(dbresolver.Config{Replicas: replicas}, replicasName)); err != nil {
		return closeAll, fmt.Errorf("register read replicas: %w", err)
	}
	return closeAll, nil
}

// lagged is the handle for reads that may be a little behind the primary:
// the replicas when UseReplicas registered some, the primary otherwise.
func (s *Store) lagged(ctx context.Context) *gorm.DB {
	db := s.db.WithContext(ctx)
	if _, ok := s.db.Plugins["gorm:db_resolver"]; ok {
		db = db.Clauses(dbresolver.Use(replicasName))
	}
	return db
}
