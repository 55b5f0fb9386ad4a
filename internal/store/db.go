// Package store is the only place with GORM and SQL. It persists model
// entities, runs state changes in transactions under row locks and translates
// driver errors into model errors.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// Open creates the database named in dsn if it is missing, then opens a pooled
// GORM handle on it. now is the clock GORM stamps created_at/updated_at with
// (time.Now when nil), the same clock the services use.
func Open(ctx context.Context, dsn string, now func() time.Time, log *slog.Logger) (*gorm.DB, error) {
	if now == nil {
		now = time.Now
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse mysql dsn: %w", err)
	}
	if err := ensureDatabase(ctx, cfg); err != nil {
		return nil, err
	}
	// Arguments are interpolated by the driver (escaped for the connection's
	// utf8mb4): one round trip a statement instead of prepare, execute, close.
	cfg.InterpolateParams = true
	db, err := gorm.Open(gormmysql.New(gormmysql.Config{DSNConfig: cfg}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return now().UTC() },
		TranslateError:         false,
	})
	if err != nil {
		return nil, fmt.Errorf("open mysql: %w", err)
	}
	if err := registerOutageCallbacks(db); err != nil {
		return nil, fmt.Errorf("gorm callbacks: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// 32 connections keep both cores of a small primary busy while waits
	// (I/O, commits) overlap; more only queue inside the database (bench).
	sqlDB.SetMaxOpenConns(32)
	sqlDB.SetMaxIdleConns(32)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("ping mysql: %w", err)
	}
	if log != nil {
		log.Info("mysql connected", "addr", cfg.Addr, "database", cfg.DBName)
	}
	return db, nil
}

// ensureDatabase runs CREATE DATABASE IF NOT EXISTS on a connection without a schema.
func ensureDatabase(ctx context.Context, cfg *mysql.Config) error {
	if cfg.DBName == "" {
		return errors.New("mysql dsn names no database")
	}
	if strings.ContainsAny(cfg.DBName, "`\\/") {
		return fmt.Errorf("invalid database name %q", cfg.DBName)
	}
	c := cfg.Clone()
	c.DBName = ""
	db, err := sql.Open("mysql", c.FormatDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "CREATE DATABASE IF NOT EXISTS `"+cfg.DBName+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
	if err != nil {
		return fmt.Errorf("create database %s: %w", cfg.DBName, err)
	}
	return nil
}

// DropDatabase removes the database named in dsn (tests only).
func DropDatabase(ctx context.Context, dsn string) error {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return err
	}
	c := cfg.Clone()
	c.DBName = ""
	db, err := sql.Open("mysql", c.FormatDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+cfg.DBName+"`")
	return err
}

// Store bundles the repositories over one database handle.
type Store struct {
	db *gorm.DB
}

// New wraps a database handle.
func New(db *gorm.DB) *Store { return &Store{db: db} }

// Ping checks the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// tx runs fn in a transaction, translates the error and wraps it with op (the
// operation, so a 500's log says where; errors.Is/As still reach the model
// error or sentinel underneath). Every write of the store runs here. A
// transaction the database undid without doing any of it (a lost conflict, a
// connection lost before COMMIT) runs again (transact), so fn must start from
// what it reads inside the transaction and have no effect outside it.
func (s *Store) tx(ctx context.Context, op string, fn func(tx *gorm.DB) error) error {
	if err := translate(transact(ctx, s.db, fn)); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// forUpdate locks the selected rows until the transaction ends. (GORM v2
// ignores the v1 "gorm:query_option" setting; the locking clause is what
// emits FOR UPDATE.)
func forUpdate(tx *gorm.DB) *gorm.DB { return tx.Clauses(clause.Locking{Strength: "UPDATE"}) }
