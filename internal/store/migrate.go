package store

import (
	"errors"
	"fmt"

	"github.com/go-sql-driver/mysql"
	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/mysql" // registers mysql://
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"gorm.io/gorm"

	"zhilian/migrations"
)

// Migrate applies every embedded migration not yet applied. Several instances
// starting at once are serialised by the migration library's database lock.
func Migrate(dsn string) (version uint, err error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return 0, err
	}
	c := cfg.Clone()
	c.MultiStatements = true
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return 0, err
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, "mysql://"+c.FormatDSN())
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	defer m.Close()
	if err := m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	v, dirty, err := m.Version()
	if err != nil {
		return 0, err
	}
	if dirty {
		return v, fmt.Errorf("migration %d is dirty: fix it by hand", v)
	}
	return v, nil
}

// Tables lists the tables of the current schema (used by the migration test).
func Tables(db *gorm.DB) ([]string, error) {
	var names []string
	err := db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name").Scan(&names).Error
	return names, err
}
