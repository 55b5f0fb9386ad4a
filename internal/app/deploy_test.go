package app_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"zhilian/internal/config"
	"zhilian/internal/testutil"
)

// TestComposeProductionStarts takes the production path an operator takes:
// .env.example with its REQUIRED values filled in, docker-compose.yml's app
// environment interpolated from it, the real config loader, and then the
// server itself, connected as the MySQL user compose creates with exactly the
// grants compose gives it. It must start, migrate, create the first admin with
// a one-time password (logged as a JSON field) that must be changed.
func TestComposeProductionStarts(t *testing.T) {
	t.Parallel()
	example := testutil.LoadEnvFile(t, ".env.example")
	if example.Set["ZL_ENV"] != "production" {
		t.Fatalf(".env.example sets ZL_ENV=%q, not production", example.Set["ZL_ENV"])
	}
	// What an operator fills in: exactly the values .env.example leaves empty.
	filled := map[string]string{
		"MYSQL_ROOT_PASSWORD": "Root" + testutil.UniqueCode(""), "MYSQL_APP_PASSWORD": "App" + testutil.UniqueCode(""),
		"ZL_WECHAT_APPID": "wx0123456789abcdef", "ZL_WECHAT_SECRET": "0123456789abcdef0123456789abcdef",
		"ZL_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
	}
	vars := map[string]string{}
	for k, v := range example.Set {
		if v == "" {
			if filled[k] == "" {
				t.Fatalf(".env.example leaves %s empty, and this test does not know what to fill in", k)
			}
			v = filled[k]
		}
		vars[k] = v
	}
	for k := range filled {
		if _, ok := example.Set[k]; !ok {
			t.Errorf(".env.example does not ask for %s", k)
		}
	}
	compose := testutil.LoadCompose(t)
	appEnv := compose.Env(t, "app", vars)
	cfg, err := config.Load(func(k string) string { return appEnv[k] })
	if err != nil {
		t.Fatalf("the production compose environment does not load:\n%v", err)
	}
	if !cfg.Production() || cfg.Demo || cfg.FakeWechat() || cfg.DataKeyIsDev {
		t.Fatalf("not a production configuration: %+v", cfg)
	}
	dsn, err := mysql.ParseDSN(cfg.MySQLDSN)
	if err != nil || dsn.User != "zhilian" || dsn.Passwd != vars["MYSQL_APP_PASSWORD"] || dsn.Addr != "mysql:3306" {
		t.Fatalf("DSN %q: want the app user on the compose MySQL", cfg.MySQLDSN)
	}

	// The compose init script, run on the local server for a test database and user.
	grants := testutil.Interpolate(compose.Configs["mysql-app-user"].Content, vars)
	root, err := mysql.ParseDSN(testutil.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	testDB, err := mysql.ParseDSN(testutil.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	dbName := testDB.DBName
	user := strings.TrimSuffix(testutil.Prefix(), "_") + testutil.UniqueCode("u")
	grants = strings.ReplaceAll(grants, "'zhilian'@'%'", fmt.Sprintf("'%s'@'%%'", user))
	grants = strings.ReplaceAll(grants, "`zhilian`.*", "`"+dbName+"`.*")
	rootCfg := root.Clone()
	rootCfg.DBName, rootCfg.MultiStatements = "", true
	admin, err := sql.Open("mysql", rootCfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE `" + dbName + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(grants); err != nil {
		t.Fatalf("compose's grants: %v\n%s", err, grants)
	}
	t.Cleanup(func() { _, _ = admin.Exec(fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", user)) })

	app := dsn.Clone()
	app.User, app.Addr, app.DBName = user, root.Addr, dbName
	e := testutil.New(t, func(s *testutil.Setup) {
		prefix, blobs := s.Config.RedisPrefix, s.Config.BlobURL
		s.Config = cfg
		s.Config.MySQLDSN = app.FormatDSN()
		s.Config.RedisAddrs, s.Config.RedisPrefix, s.Config.BlobURL = []string{testutil.RedisAddr()}, prefix, blobs
	})

	var boot struct {
		Username   string `json:"username"`
		OneTime    string `json:"one_time_password"`
		MustChange bool   `json:"must_change_password"`
	}
	for _, line := range strings.Split(e.LogText(), "\n") {
		if strings.Contains(line, "one_time_password") {
			if err := json.Unmarshal([]byte(line), &boot); err != nil {
				t.Fatalf("the one-time password is not on a JSON line: %q", line)
			}
		}
	}
	if boot.Username != "admin" || boot.OneTime == "" || !boot.MustChange {
		t.Fatalf("no structured one-time password in the log: %+v\n%s", boot, e.LogText())
	}
	tok := e.Login("admin", boot.OneTime)
	e.Do("GET", "/api/v1/admin/accounts", tok, nil).MustErr(t, 403, "password_change_required")
	e.Do("POST", "/api/v1/auth/password", tok, map[string]string{"old_password": boot.OneTime, "new_password": "Chosen-lamp-2026"}).Must(t, 200)
	tok = e.Login("admin", "Chosen-lamp-2026")
	e.Do("GET", "/api/v1/admin/accounts", tok, nil).Must(t, 200)
	e.Do("GET", "/readyz", "", nil).Must(t, 200)
}
