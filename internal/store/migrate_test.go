package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"zhilian/internal/store"
	"zhilian/internal/testutil"
	"zhilian/migrations"
)

// TestMigrationsApplyToEmptyDatabase applies every migration to a new database,
// then again (a no-op), and checks the schema version matches the newest file.
func TestMigrationsApplyToEmptyDatabase(t *testing.T) {
	t.Parallel()
	dsn := testutil.NewDatabase(t)
	db, err := store.Open(context.Background(), dsn, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	v, err := store.Migrate(dsn)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	files, _ := fs.Glob(migrations.FS, "*.up.sql")
	newest := files[len(files)-1]
	if !strings.HasPrefix(newest, padded(v)) {
		t.Fatalf("schema version %d, newest migration %s", v, newest)
	}
	if v2, err := store.Migrate(dsn); err != nil || v2 != v {
		t.Fatalf("second run: %d %v", v2, err)
	}
	tables, err := store.Tables(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"orgs", "accounts", "logins", "audit_logs", "calendar_overrides", "residents", "schema_migrations"} {
		found := false
		for _, tb := range tables {
			found = found || tb == want
		}
		if !found {
			t.Errorf("table %s missing (have %v)", want, tables)
		}
	}
}

func padded(v uint) string { return fmt.Sprintf("%04d", v) }
