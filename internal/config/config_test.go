package config_test

import (
	"os"
	"strings"
	"testing"

	"zhilian/internal/config"
	"zhilian/internal/testutil"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAreADevServer(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != "dev" || c.HTTPAddr != ":8080" || c.MetricsAddr != "127.0.0.1:9090" || c.MySQLDSN != config.DefaultMySQLDSN || !c.Demo ||
		!c.FakeWechat() || !c.DataKeyIsDev || c.CityName != "佛山市" || c.CityCode != "440600" || c.AdminUsername != "admin" {
		t.Fatalf("defaults = %+v", c)
	}
	if len(c.DataKeys) != 1 || len(c.DataKeys[0]) != 32 {
		t.Fatal("dev data key is not 32 bytes")
	}
}

func TestProductionRefusesDefaultsAndMissingSecrets(t *testing.T) {
	_, err := config.Load(env(map[string]string{"ZL_ENV": "production"}))
	if err == nil {
		t.Fatal("production started with defaults")
	}
	for _, want := range []string{"ZL_WECHAT_APPID", "ZL_DATA_KEY", "ZL_MYSQL_DSN"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	good := map[string]string{
		"ZL_ENV": "production", "ZL_WECHAT_APPID": "wx123", "ZL_WECHAT_SECRET": "s",
		"ZL_DATA_KEY":  "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", // no admin password: a one-time one is made
		"ZL_MYSQL_DSN": "zl:pw@tcp(db:3306)/zhilian?parseTime=true",
	}
	if _, err := config.Load(env(good)); err != nil {
		t.Fatalf("good production config refused: %v", err)
	}
	good["ZL_DEMO"] = "1"
	if _, err := config.Load(env(good)); err == nil || !strings.Contains(err.Error(), "ZL_DEMO") {
		t.Fatalf("production with demo data: %v", err)
	}
	delete(good, "ZL_DEMO")
	good["ZL_CONTRACT_CHECK"] = "1"
	if _, err := config.Load(env(good)); err == nil || !strings.Contains(err.Error(), "ZL_CONTRACT_CHECK") {
		t.Fatalf("production with the contract check: %v", err)
	}
	if c, err := config.Load(env(map[string]string{"ZL_ENV": "test", "ZL_CONTRACT_CHECK": "1"})); err != nil || !c.ContractCheck {
		t.Fatalf("test run with the contract check: %v %v", c.ContractCheck, err)
	}
}

func TestBadValuesAreNamed(t *testing.T) {
	_, err := config.Load(env(map[string]string{"ZL_ENV": "staging", "ZL_DATA_KEY": "short", "ZL_LOGIN_TTL": "-1h", "ZL_DEMO": "maybe"}))
	for _, want := range []string{"ZL_ENV", "ZL_DATA_KEY", "ZL_LOGIN_TTL", "ZL_DEMO"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	c, err := config.Load(env(map[string]string{"ZL_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,emhpbGlhbi1kZXYta2V5LW5vdC1mb3ItcHJvZCEhISE=",
		"ZL_REDIS_ADDR": "a:1, b:2"}))
	if err != nil || len(c.DataKeys) != 2 || len(c.RedisAddrs) != 2 {
		t.Fatalf("rotation keys / cluster addrs: %v %+v", err, c)
	}
}

func TestBlobURLAndTracing(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.BlobURL != config.DefaultBlobURL || c.OtelEndpoint != "" {
		t.Fatalf("defaults: %v %q %q", err, c.BlobURL, c.OtelEndpoint)
	}
	for _, good := range []map[string]string{
		{"ZL_BLOB_URL": "file:///var/lib/zhilian"},
		{"ZL_BLOB_URL": "file:uploads"},
		{"ZL_BLOB_URL": "s3://zl-photos?endpoint=cos.ap-guangzhou.myqcloud.com&region=ap-guangzhou",
			"ZL_S3_ACCESS_KEY": "AKID", "ZL_S3_SECRET_KEY": "secret"},
		{"ZL_OTEL_ENDPOINT": "http://otel-collector:4318"},
	} {
		if _, err := config.Load(env(good)); err != nil {
			t.Errorf("%v refused: %v", good, err)
		}
	}
	for want, bad := range map[string]map[string]string{
		"ZL_S3_ACCESS_KEY": {"ZL_BLOB_URL": "s3://zl-photos?endpoint=minio:9000"},
		"endpoint=":        {"ZL_BLOB_URL": "s3://zl-photos", "ZL_S3_ACCESS_KEY": "a", "ZL_S3_SECRET_KEY": "b"},
		"names no bucket":  {"ZL_BLOB_URL": "s3://?endpoint=minio:9000", "ZL_S3_ACCESS_KEY": "a", "ZL_S3_SECRET_KEY": "b"},
		"file: or s3://":   {"ZL_BLOB_URL": "ftp://files/x"},
		"no host":          {"ZL_BLOB_URL": "file://server/share"},
		"ZL_DATA_DIR":      {"ZL_DATA_DIR": "/data"},
		"ZL_OTEL_ENDPOINT": {"ZL_OTEL_ENDPOINT": "otel-collector:4318"},
		"ZL_LOG_LEVEL":     {"ZL_LOG_LEVEL": "verbose"},
	} {
		if _, err := config.Load(env(bad)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v does not say %q", bad, err, want)
		}
	}
}

// TestComposePassesEveryVariable keeps docker-compose.yml and .env.example
// honest in both directions: compose passes every variable the config reads
// and nothing else, and .env.example documents each one.
func TestComposePassesEveryVariable(t *testing.T) {
	compose := testutil.LoadCompose(t)
	app, ok := compose.Services["app"]
	if !ok || app.Build == nil {
		t.Fatal("no app service built from the Dockerfile")
	}
	known := map[string]bool{}
	for _, v := range config.Vars {
		known[v] = true
		if _, ok := app.Environment[v]; !ok {
			t.Errorf("docker-compose does not pass %s", v)
		}
	}
	for k := range app.Environment {
		if !known[k] {
			t.Errorf("docker-compose sets %s, which the config does not read", k)
		}
	}
	example := testutil.LoadEnvFile(t, ".env.example")
	for _, v := range config.Vars {
		if !example.Mentioned[v] && v != "ZL_HTTP_ADDR" { // compose fixes the listen address
			t.Errorf(".env.example does not mention %s", v)
		}
	}
	for k := range example.Mentioned {
		if strings.HasPrefix(k, "ZL_") && !known[k] && k != "ZL_PORT" {
			t.Errorf(".env.example mentions %s, which nothing reads", k)
		}
	}

	dev := compose.Env(t, "app", nil) // no .env: `docker compose up` on a laptop
	if !strings.Contains(dev["ZL_MYSQL_DSN"], "@tcp(mysql:3306)/") || !strings.HasPrefix(dev["ZL_REDIS_ADDR"], "redis:") {
		t.Errorf("app does not point at the compose services: %v", dev)
	}
	c, err := config.Load(func(k string) string { return dev[k] })
	if err != nil || c.Production() || !c.Demo || !c.FakeWechat() {
		t.Fatalf("compose without .env is not the dev server: %v %+v", err, c)
	}
	if strings.HasPrefix(c.MySQLDSN, "root") {
		t.Error("the app connects to MySQL as root")
	}
	if compose.Services["mysql"].Image != "mysql:8.4" || !strings.HasPrefix(compose.Services["redis"].Image, "redis:7") {
		t.Error("images are not mysql 8.4 and redis 7")
	}
	for name, s := range compose.Services {
		if s.Healthcheck == nil {
			t.Errorf("service %s has no healthcheck", name)
		}
		for _, v := range s.Volumes {
			vol := strings.SplitN(v, ":", 2)[0]
			if _, ok := compose.Volumes[vol]; !ok {
				t.Errorf("service %s mounts %s, not a named volume", name, vol)
			}
		}
		for _, cf := range s.Configs {
			if _, ok := compose.Configs[cf.Source]; !ok {
				t.Errorf("service %s uses config %s, which is not defined", name, cf.Source)
			}
		}
	}
	if _, err := os.Stat(testutil.RepoFile(t, "Dockerfile")); err != nil {
		t.Error("no Dockerfile")
	}
}

func TestHighAvailabilitySettings(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || len(c.MySQLReplicaDSNs) != 0 || c.RedisSentinelMaster != "" || c.WechatFakeURL != "" || c.JobsCron != "" {
		t.Fatalf("defaults must be one database and one Redis: %v %+v", err, c)
	}
	c, err = config.Load(env(map[string]string{
		"ZL_MYSQL_REPLICA_DSN":     "ro@tcp(r1:3306)/zhilian?parseTime=true, ro@tcp(r2:3306)/zhilian?parseTime=true",
		"ZL_REDIS_SENTINEL_MASTER": "zhilian", "ZL_REDIS_ADDR": "s1:26379,s2:26379,s3:26379",
		"ZL_JOBS_CRON": "*/10 * * * * *",
	}))
	if err != nil || len(c.MySQLReplicaDSNs) != 2 || c.RedisSentinelMaster != "zhilian" || len(c.RedisAddrs) != 3 || c.JobsCron != "*/10 * * * * *" {
		t.Fatalf("HA settings: %v %+v", err, c)
	}
	if _, err := config.Load(env(map[string]string{"ZL_JOBS_CRON": "0 18 * * *"})); err == nil || !strings.Contains(err.Error(), "ZL_JOBS_CRON") {
		t.Fatalf("5-field cron accepted: %v", err)
	}
	prod := map[string]string{
		"ZL_ENV": "production", "ZL_WECHAT_APPID": "wx123", "ZL_WECHAT_SECRET": "s",
		"ZL_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "ZL_ADMIN_PASSWORD": "Strong12345",
		"ZL_MYSQL_DSN": "zl:pw@tcp(db:3306)/zhilian?parseTime=true", "ZL_JOBS_CRON": "*/10 * * * * *",
	}
	if _, err := config.Load(env(prod)); err == nil || !strings.Contains(err.Error(), "ZL_JOBS_CRON") {
		t.Fatalf("production with the test timetable: %v", err)
	}
}
