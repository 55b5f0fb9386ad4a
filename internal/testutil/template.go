package testutil

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"zhilian/internal/store"
	"zhilian/migrations"
)

// A test database starts as a copy of a template: a database migrated once
// and shared by every test binary whose migrations are the same (its name
// carries a hash of them). Copying the tables of a migrated schema costs a
// fraction of applying every migration again, which each test used to do.
//
// The template is built under a MariaDB named lock, so binaries started at
// once build it once; a marker table written last says it is complete, and
// its used_at tells other checkouts (other migrations, other hashes) when it
// was last cloned, so a template nobody used for templateIdle is dropped.

const (
	templateMarker = "zl_template"
	templateIdle   = 2 * time.Hour
)

// schemaTable is one table of the template: how to create it, and the
// columns to copy when the migrations put rows in it.
type schemaTable struct {
	name    string
	create  string
	columns []string // nil: the table starts empty
}

type schemaTemplate struct {
	name   string
	tables []schemaTable
}

var (
	templateOnce sync.Once
	template     *schemaTemplate
	templateErr  error
)

// migrationsHash names the schema the embedded migrations produce.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12], err
}

// serverDSN is the test server's DSN naming database db ("" for none).
func serverDSN(db string) (string, error) {
	cfg, err := mysql.ParseDSN(MySQLDSN())
	if err != nil {
		return "", fmt.Errorf("ZL_TEST_MYSQL_DSN: %w", err)
	}
	cfg.DBName = db
	cfg.MultiStatements = true
	return cfg.FormatDSN(), nil
}

// schema returns the test binary's template, building it on first use.
func schema(ctx context.Context) (*schemaTemplate, error) {
	templateOnce.Do(func() { template, templateErr = loadTemplate(ctx) })
	return template, templateErr
}

func loadTemplate(ctx context.Context) (*schemaTemplate, error) {
	hash, err := migrationsHash()
	if err != nil {
		return nil, fmt.Errorf("hash migrations: %w", err)
	}
	name := Prefix() + "tpl_" + hash
	dsn, err := serverDSN("")
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := buildTemplate(ctx, db, name); err != nil {
		return nil, fmt.Errorf("build template %s: %w", name, err)
	}
	if _, err := db.ExecContext(ctx, "UPDATE `"+name+"`."+templateMarker+" SET used_at = UTC_TIMESTAMP()"); err != nil {
		return nil, fmt.Errorf("mark template %s used: %w", name, err)
	}
	dropIdleTemplates(ctx, db, name)
	tables, err := readTemplate(ctx, db, name)
	if err != nil {
		return nil, fmt.Errorf("read template %s: %w", name, err)
	}
	return &schemaTemplate{name: name, tables: tables}, nil
}

// ready reports whether the template's marker (written last) exists.
func ready(ctx context.Context, db *sql.DB, name string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.tables
		WHERE table_schema = ? AND table_name = ?`, name, templateMarker).Scan(&n)
	return n > 0, err
}

// buildTemplate migrates the template unless a complete one exists; the
// named lock keeps concurrent binaries from building it twice.
func buildTemplate(ctx context.Context, db *sql.DB, name string) error {
	if ok, err := ready(ctx, db, name); err != nil || ok {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 300)", name).Scan(&got); err != nil {
		return err
	}
	if !got.Valid || got.Int64 != 1 {
		return fmt.Errorf("lock %s: another test binary held it for five minutes", name)
	}
	defer conn.ExecContext(context.Background(), "DO RELEASE_LOCK(?)", name) //nolint:errcheck // the connection closes anyway
	if ok, err := ready(ctx, db, name); err != nil || ok {
		return err
	}
	// A template without its marker is a build that died half-way.
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return err
	}
	tdsn, err := serverDSN(name)
	if err != nil {
		return err
	}
	if _, err := store.Migrate(tdsn); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "CREATE TABLE `"+name+"`."+templateMarker+" (used_at DATETIME NOT NULL)")
	if err == nil {
		_, err = conn.ExecContext(ctx, "INSERT INTO `"+name+"`."+templateMarker+" VALUES (UTC_TIMESTAMP())")
	}
	return err
}

// dropIdleTemplates removes templates of other migrations (other checkouts,
// older commits) that no test binary cloned for templateIdle. One being built
// right now holds its lock and is left alone.
func dropIdleTemplates(ctx context.Context, db *sql.DB, keep string) {
	rows, err := db.QueryContext(ctx, `SELECT schema_name FROM information_schema.schemata
		WHERE schema_name LIKE ? AND schema_name <> ?`, strings.ReplaceAll(Prefix(), "_", `\_`)+`tpl\_%`, keep)
	if err != nil {
		return
	}
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			names = append(names, n)
		}
	}
	rows.Close()
	for _, n := range names {
		var idle sql.NullBool
		err := db.QueryRowContext(ctx, "SELECT MAX(used_at) < UTC_TIMESTAMP() - INTERVAL ? SECOND FROM `"+n+"`."+templateMarker,
			int(templateIdle.Seconds())).Scan(&idle)
		if err != nil || !idle.Valid || !idle.Bool {
			continue // being built (no marker yet) or in use
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			return
		}
		var got sql.NullInt64
		if conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", n).Scan(&got) == nil && got.Int64 == 1 {
			_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+n+"`")
			_, _ = conn.ExecContext(ctx, "DO RELEASE_LOCK(?)", n)
		}
		conn.Close()
	}
}

// readTemplate reads each table's definition, and the columns of the tables
// the migrations filled (reference rows: categories, statistics periods…).
func readTemplate(ctx context.Context, db *sql.DB, name string) ([]schemaTable, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name <> ?`, name, templateMarker)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Strings(names)
	tables := make([]schemaTable, 0, len(names))
	for _, n := range names {
		t := schemaTable{name: n}
		var ignored string
		if err := db.QueryRowContext(ctx, "SHOW CREATE TABLE `"+name+"`.`"+n+"`").Scan(&ignored, &t.create); err != nil {
			return nil, err
		}
		var filled bool
		if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM `"+name+"`.`"+n+"`)").Scan(&filled); err != nil {
			return nil, err
		}
		if filled {
			if t.columns, err = copiedColumns(ctx, db, name, n); err != nil {
				return nil, err
			}
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// copiedColumns lists a table's columns except generated ones (the copy
// computes those again).
func copiedColumns(ctx context.Context, db *sql.DB, schema, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = ? AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position`, schema, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, "`"+c+"`")
	}
	return cols, rows.Err()
}

// cloneConns is how many connections create a copy's tables at once: the
// server creates InnoDB files in parallel faster than one after another.
const cloneConns = 4

// clone creates database db as a copy of the template: every table (foreign
// keys included, which CREATE TABLE … LIKE would drop) and the rows the
// migrations inserted, so it is what the migrations would have made.
func (s *schemaTemplate) clone(ctx context.Context, db string) error {
	dsn, err := serverDSN("")
	if err != nil {
		return err
	}
	conn, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE `"+db+"` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return fmt.Errorf("clone %s into %s: %w", s.name, db, err)
	}
	batches := make([]strings.Builder, cloneConns)
	for i, t := range s.tables {
		b := &batches[i%cloneConns]
		if b.Len() == 0 {
			b.WriteString("USE `" + db + "`;\nSET foreign_key_checks = 0;\n")
		}
		b.WriteString(t.create + ";\n")
		if t.columns != nil {
			cols := strings.Join(t.columns, ", ")
			fmt.Fprintf(b, "INSERT INTO `%s` (%s) SELECT %s FROM `%s`.`%s`;\n", t.name, cols, cols, s.name, t.name)
		}
	}
	errs := make([]error, cloneConns)
	var wg sync.WaitGroup
	for i := range batches {
		if batches[i].Len() == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = conn.ExecContext(ctx, batches[i].String())
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("clone %s into %s: %w", s.name, db, err)
	}
	return nil
}

// MigratedDatabase gives the test a DSN naming a fresh database holding every
// migration (a copy of the binary's template), dropped at cleanup.
func MigratedDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tpl, err := schema(ctx)
	if err != nil {
		t.Fatalf("test database template: %v", err)
	}
	dsn := NewDatabase(t)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := tpl.clone(ctx, cfg.DBName); err != nil {
		t.Fatal(err)
	}
	return dsn
}
