// Package config reads Zhilian's ZL_* environment variables.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultMySQLDSN is the development database.
const DefaultMySQLDSN = "root@tcp(127.0.0.1:3306)/zhilian?parseTime=true&loc=UTC&charset=utf8mb4"

// DevDataKey is the fixed development key for personal data (never for production).
const DevDataKey = "emhpbGlhbi1kZXYta2V5LW5vdC1mb3ItcHJvZCEhISE="

// Config is the whole runtime configuration.
type Config struct {
	Env             string            // ZL_ENV: dev | production | test
	HTTPAddr        string            // ZL_HTTP_ADDR
	MetricsAddr     string            // ZL_METRICS_ADDR: /metrics and /debug/pprof/, apart from the API
	MySQLDSN        string            // ZL_MYSQL_DSN
	RedisAddrs      []string          // ZL_REDIS_ADDR, comma separated
	RedisPassword   string            // ZL_REDIS_PASSWORD
	RedisPrefix     string            // ZL_REDIS_PREFIX
	WechatAppID     string            // ZL_WECHAT_APPID
	WechatSecret    string            // ZL_WECHAT_SECRET
	CityName        string            // ZL_CITY_NAME
	CityCode        string            // ZL_CITY_CODE
	AdminUsername   string            // ZL_ADMIN_USERNAME
	AdminPassword   string            // ZL_ADMIN_PASSWORD (dev: generated and printed once)
	DataKeys        [][]byte          // ZL_DATA_KEY: base64 32-byte keys, comma separated, newest first
	DataKeyIsDev    bool              // the development key is in use
	Demo            bool              // ZL_DEMO
	BlobURL         string            // ZL_BLOB_URL: where uploads live, file:… or s3://bucket?endpoint=…
	S3AccessKey     string            // ZL_S3_ACCESS_KEY: credentials of an s3:// ZL_BLOB_URL
	S3SecretKey     string            // ZL_S3_SECRET_KEY
	OtelEndpoint    string            // ZL_OTEL_ENDPOINT: OTLP/HTTP collector; empty: tracing off
	LogLevel        string            // ZL_LOG_LEVEL
	LoginTTL        time.Duration     // ZL_LOGIN_TTL: how long a sign-in lasts
	ShutdownTimeout time.Duration     // ZL_SHUTDOWN_TIMEOUT
	MaxInFlight     int               // ZL_MAX_IN_FLIGHT: API requests handled at once (0: unbounded)
	MaxQueued       int               // ZL_MAX_QUEUED: requests waiting for a place beyond them; more get 503
	QueueWait       time.Duration     // ZL_QUEUE_WAIT: how long one waits before its 503
	Workers         bool              // ZL_WORKERS: run background jobs in this process
	TrustedProxies  []string          // ZL_TRUSTED_PROXIES: CIDRs whose X-Forwarded-For is believed
	Templates       map[string]string // ZL_WECHAT_TEMPLATES: event=template_id,… (fake mode: every event)
	MPState         string            // ZL_WECHAT_MP_STATE: developer | trial | formal
	Open311Contact  string            // ZL_OPEN311_CONTACT: who integrators call (Open311 discovery)
	// MySQLReplicaDSNs are read replicas for reads that tolerate lag (ZL_MYSQL_REPLICA_DSN, comma separated).
	MySQLReplicaDSNs []string
	// RedisSentinelMaster names the Sentinel master; RedisAddrs are then the sentinels (ZL_REDIS_SENTINEL_MASTER).
	RedisSentinelMaster string
	// WechatFakeURL is a fake WeChat already serving, shared by several instances (ZL_WECHAT_FAKE_URL; tests).
	WechatFakeURL string
	// JobsCron replaces the daily jobs' times with one 6-field cron, seconds first (ZL_JOBS_CRON; tests).
	JobsCron string
	// ContractCheck validates every API request and response against the
	// OpenAPI document and answers 500 for one it does not allow
	// (ZL_CONTRACT_CHECK=1; the mini-program and console test runs; refused in production).
	ContractCheck bool
}

// Vars lists every variable Load reads (docker-compose is checked against it).
var Vars = []string{
	"ZL_ENV", "ZL_HTTP_ADDR", "ZL_METRICS_ADDR", "ZL_MYSQL_DSN", "ZL_REDIS_ADDR", "ZL_REDIS_PASSWORD", "ZL_REDIS_PREFIX",
	"ZL_WECHAT_APPID", "ZL_WECHAT_SECRET", "ZL_CITY_NAME", "ZL_CITY_CODE",
	"ZL_ADMIN_USERNAME", "ZL_ADMIN_PASSWORD", "ZL_DATA_KEY", "ZL_DEMO",
	"ZL_BLOB_URL", "ZL_S3_ACCESS_KEY", "ZL_S3_SECRET_KEY", "ZL_OTEL_ENDPOINT",
	"ZL_LOG_LEVEL", "ZL_LOGIN_TTL", "ZL_SHUTDOWN_TIMEOUT", "ZL_WORKERS", "ZL_TRUSTED_PROXIES", "ZL_WECHAT_TEMPLATES", "ZL_WECHAT_MP_STATE",
	"ZL_OPEN311_CONTACT",
	"ZL_MYSQL_REPLICA_DSN", "ZL_REDIS_SENTINEL_MASTER", "ZL_WECHAT_FAKE_URL", "ZL_JOBS_CRON",
	"ZL_CONTRACT_CHECK",
}

// DefaultBlobURL keeps uploads in ./data, the zero-setup default.
const DefaultBlobURL = "file:./data"

// Production reports whether the server runs in production mode.
func (c *Config) Production() bool { return c.Env == "production" }

// FakeWechat reports whether WeChat is served by the built-in fake.
func (c *Config) FakeWechat() bool { return c.WechatAppID == "" }

// Load reads the configuration through getenv (os.Getenv in main).
func Load(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Env:           get("ZL_ENV", "dev"),
		HTTPAddr:      get("ZL_HTTP_ADDR", ":8080"),
		MetricsAddr:   get("ZL_METRICS_ADDR", "127.0.0.1:9090"),
		MySQLDSN:      get("ZL_MYSQL_DSN", DefaultMySQLDSN),
		RedisPassword: getenv("ZL_REDIS_PASSWORD"),
		RedisPrefix:   get("ZL_REDIS_PREFIX", "zl:"),
		WechatAppID:   get("ZL_WECHAT_APPID", ""),
		WechatSecret:  get("ZL_WECHAT_SECRET", ""),
		CityName:      get("ZL_CITY_NAME", "佛山市"),
		CityCode:      get("ZL_CITY_CODE", "440600"),
		AdminUsername: get("ZL_ADMIN_USERNAME", "admin"),
		AdminPassword: getenv("ZL_ADMIN_PASSWORD"),
		BlobURL:       get("ZL_BLOB_URL", DefaultBlobURL),
		S3AccessKey:   get("ZL_S3_ACCESS_KEY", ""),
		S3SecretKey:   getenv("ZL_S3_SECRET_KEY"),
		OtelEndpoint:  get("ZL_OTEL_ENDPOINT", ""),
		LogLevel:      get("ZL_LOG_LEVEL", "info"),
	}
	c.Open311Contact = get("ZL_OPEN311_CONTACT", c.CityName+"直联平台管理员")
	var errs []error
	switch get("ZL_CONTRACT_CHECK", "0") {
	case "0":
	case "1":
		c.ContractCheck = true
	default:
		errs = append(errs, errors.New("ZL_CONTRACT_CHECK must be 0 or 1"))
	}
	if getenv("ZL_DATA_DIR") != "" {
		errs = append(errs, errors.New("ZL_DATA_DIR is replaced by ZL_BLOB_URL (file:///path/to/dir for a local folder)"))
	}
	if err := checkBlobURL(c.BlobURL, c.S3AccessKey, c.S3SecretKey); err != nil {
		errs = append(errs, err)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("ZL_LOG_LEVEL must be debug, info, warn or error, not %q", c.LogLevel))
	}
	if c.OtelEndpoint != "" {
		if u, err := url.Parse(c.OtelEndpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("ZL_OTEL_ENDPOINT must be an http(s) URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318"))
		}
	}
	for _, a := range strings.Split(get("ZL_REDIS_ADDR", "127.0.0.1:6379"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.RedisAddrs = append(c.RedisAddrs, a)
		}
	}
	switch c.Env {
	case "dev", "test", "production":
	default:
		errs = append(errs, fmt.Errorf("ZL_ENV must be dev, test or production, not %q", c.Env))
	}
	demoDefault := "1"
	if c.Production() {
		demoDefault = "0"
	}
	var err error
	if c.Demo, err = parseBool(get("ZL_DEMO", demoDefault)); err != nil {
		errs = append(errs, fmt.Errorf("ZL_DEMO: %w", err))
	}
	if c.Workers, err = parseBool(get("ZL_WORKERS", "1")); err != nil {
		errs = append(errs, fmt.Errorf("ZL_WORKERS: %w", err))
	}
	if c.LoginTTL, err = time.ParseDuration(get("ZL_LOGIN_TTL", "168h")); err != nil || c.LoginTTL <= 0 {
		errs = append(errs, fmt.Errorf("ZL_LOGIN_TTL: a positive duration such as 168h"))
	}
	if c.MaxInFlight, err = strconv.Atoi(get("ZL_MAX_IN_FLIGHT", "64")); err != nil || c.MaxInFlight < 0 {
		errs = append(errs, errors.New("ZL_MAX_IN_FLIGHT must be a count ≥ 0"))
	}
	if c.MaxQueued, err = strconv.Atoi(get("ZL_MAX_QUEUED", "256")); err != nil || c.MaxQueued < 0 {
		errs = append(errs, errors.New("ZL_MAX_QUEUED must be a count ≥ 0"))
	}
	if c.QueueWait, err = time.ParseDuration(get("ZL_QUEUE_WAIT", "2s")); err != nil || c.QueueWait < 0 {
		errs = append(errs, errors.New("ZL_QUEUE_WAIT must be a duration ≥ 0"))
	}
	if c.ShutdownTimeout, err = time.ParseDuration(get("ZL_SHUTDOWN_TIMEOUT", "15s")); err != nil || c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("ZL_SHUTDOWN_TIMEOUT: a positive duration such as 15s"))
	}
	keys := get("ZL_DATA_KEY", "")
	if keys == "" {
		keys, c.DataKeyIsDev = DevDataKey, true
	}
	for _, k := range strings.Split(keys, ",") {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k))
		if err != nil || len(raw) != 32 {
			errs = append(errs, errors.New("ZL_DATA_KEY: each key must be 32 bytes, base64 encoded"))
			break
		}
		c.DataKeys = append(c.DataKeys, raw)
	}
	for _, p := range strings.Split(getenv("ZL_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	for _, d := range strings.Split(getenv("ZL_MYSQL_REPLICA_DSN"), ",") {
		if d = strings.TrimSpace(d); d != "" {
			c.MySQLReplicaDSNs = append(c.MySQLReplicaDSNs, d)
		}
	}
	c.RedisSentinelMaster = get("ZL_REDIS_SENTINEL_MASTER", "")
	c.WechatFakeURL = get("ZL_WECHAT_FAKE_URL", "")
	c.JobsCron = get("ZL_JOBS_CRON", "")
	if c.JobsCron != "" && len(strings.Fields(c.JobsCron)) != 6 {
		errs = append(errs, errors.New("ZL_JOBS_CRON: six fields, seconds first, such as */10 * * * * *"))
	}
	c.MPState = get("ZL_WECHAT_MP_STATE", "formal")
	if c.MPState != "developer" && c.MPState != "trial" && c.MPState != "formal" {
		errs = append(errs, errors.New("ZL_WECHAT_MP_STATE must be developer, trial or formal"))
	}
	c.Templates = map[string]string{}
	for _, pair := range strings.Split(getenv("ZL_WECHAT_TEMPLATES"), ",") {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		ev, tpl, ok := strings.Cut(pair, "=")
		if !ok || strings.TrimSpace(ev) == "" || strings.TrimSpace(tpl) == "" {
			errs = append(errs, fmt.Errorf("ZL_WECHAT_TEMPLATES: %q is not event=template_id", pair))
			continue
		}
		c.Templates[strings.TrimSpace(ev)] = strings.TrimSpace(tpl)
	}
	if len(c.RedisAddrs) == 0 {
		errs = append(errs, errors.New("ZL_REDIS_ADDR is empty"))
	}
	if c.WechatAppID != "" && c.WechatSecret == "" {
		errs = append(errs, errors.New("ZL_WECHAT_SECRET is required with ZL_WECHAT_APPID"))
	}
	if c.Production() {
		if c.FakeWechat() {
			errs = append(errs, errors.New("production: ZL_WECHAT_APPID and ZL_WECHAT_SECRET are required (no fake WeChat)"))
		}
		if c.DataKeyIsDev {
			errs = append(errs, errors.New("production: ZL_DATA_KEY is required (the development key is refused)"))
		}
		if c.Demo {
			errs = append(errs, errors.New("production: ZL_DEMO must be 0"))
		}
		if c.WechatFakeURL != "" || c.JobsCron != "" {
			errs = append(errs, errors.New("production: ZL_WECHAT_FAKE_URL and ZL_JOBS_CRON are for tests"))
		}
		if c.ContractCheck {
			errs = append(errs, errors.New("production: ZL_CONTRACT_CHECK is for test runs (it buffers and re-checks every response)"))
		}
		if c.MySQLDSN == DefaultMySQLDSN {
			errs = append(errs, errors.New("production: ZL_MYSQL_DSN must be set (the passwordless root default is refused)"))
		}
	}
	return c, errors.Join(errs...)
}

// checkBlobURL validates ZL_BLOB_URL: file:<dir> (relative), file:///<dir>
// (absolute) or s3://<bucket>?endpoint=<host:port>[&region=…] with both keys.
func checkBlobURL(raw, access, secret string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("ZL_BLOB_URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		if u.Opaque == "" && u.Path == "" {
			return errors.New("ZL_BLOB_URL: file: names no folder (file:./data or file:///var/lib/zhilian)")
		}
		if u.Host != "" && u.Host != "localhost" {
			return errors.New("ZL_BLOB_URL: a file URL has no host (file:///absolute/path or file:relative/path)")
		}
	case "s3":
		if u.Host == "" {
			return errors.New("ZL_BLOB_URL: s3://<bucket>?endpoint=<host:port> names no bucket")
		}
		if u.Query().Get("endpoint") == "" {
			return errors.New("ZL_BLOB_URL: s3:// needs endpoint=<host:port> (e.g. cos.ap-guangzhou.myqcloud.com)")
		}
		if access == "" || secret == "" {
			return errors.New("ZL_S3_ACCESS_KEY and ZL_S3_SECRET_KEY are required with an s3:// ZL_BLOB_URL")
		}
	default:
		return fmt.Errorf("ZL_BLOB_URL must start with file: or s3://, not %q", u.Scheme+":")
	}
	return nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return strconv.ParseBool(s)
}
