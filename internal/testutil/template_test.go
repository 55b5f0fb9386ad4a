package testutil

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"testing"

	"github.com/go-sql-driver/mysql"

	"zhilian/internal/store"
)

// TestMigratedDatabaseMatchesMigrations checks a copy of the template is what
// the migrations make of an empty database: the same tables, each defined the
// same way (foreign keys included), and the same rows in each.
func TestMigratedDatabaseMatchesMigrations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cloned := MigratedDatabase(t)
	migrated := NewDatabase(t)
	db, err := store.Open(ctx, migrated, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := db.DB(); err == nil {
		s.Close()
	}
	if _, err := store.Migrate(migrated); err != nil {
		t.Fatal(err)
	}
	want, got := describe(t, migrated), describe(t, cloned)
	if len(want) == 0 {
		t.Fatal("the migrations made no tables")
	}
	for name, def := range want {
		if got[name] != def {
			t.Errorf("table %s:\ncopy:     %s\nmigrated: %s", name, got[name], def)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("table %s in the copy only", name)
		}
	}
}

var autoIncrement = regexp.MustCompile(` AUTO_INCREMENT=\d+`)

// describe maps each table of the database to its definition and row count (the rows' timestamps are when the template was migrated).
func describe(t *testing.T, dsn string) map[string]string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", cfg.DBName)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		var ignored, def string
		if err := db.QueryRow("SHOW CREATE TABLE `"+n+"`").Scan(&ignored, &def); err != nil {
			t.Fatal(err)
		}
		var count int64
		if err := db.QueryRow("SELECT COUNT(*) FROM `" + n + "`").Scan(&count); err != nil {
			t.Fatal(err)
		}
		out[n] = autoIncrement.ReplaceAllString(def, "") + "\n-- rows " + itoa(count)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// BenchmarkMigratedDatabase is what a test's database costs now: a copy of
// the template.
func BenchmarkMigratedDatabase(b *testing.B) {
	MigratedDatabase(b) // the template, once
	b.ResetTimer()
	for b.Loop() {
		MigratedDatabase(b)
	}
}

// BenchmarkMigrateEmptyDatabase is what it cost before: every migration
// applied to an empty database.
func BenchmarkMigrateEmptyDatabase(b *testing.B) {
	for b.Loop() {
		dsn := NewDatabase(b)
		db, err := store.Open(context.Background(), dsn, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		if s, err := db.DB(); err == nil {
			s.Close()
		}
		if _, err := store.Migrate(dsn); err != nil {
			b.Fatal(err)
		}
	}
}
