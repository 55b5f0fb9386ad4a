// Package config reads Zhilian's ZL_* environment variables.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
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
	DataDir         string            // ZL_DATA_DIR: uploads
	LogLevel        string            // ZL_LOG_LEVEL
	SessionTTL      time.Duration     // ZL_SESSION_TTL
	ShutdownTimeout time.Duration     // ZL_SHUTDOWN_TIMEOUT
	Workers         bool              // ZL_WORKERS: run background jobs in this process
	TrustedProxies  []string          // ZL_TRUSTED_PROXIES: CIDRs whose X-Forwarded-For is believed
	Templates       map[string]string // ZL_WECHAT_TEMPLATES: event=template_id,… (fake mode: every event)
	MPState         string            // ZL_WECHAT_MP_STATE: developer | trial | formal
	// MySQLReplicaDSNs are read replicas for reads that tolerate lag (ZL_MYSQL_REPLICA_DSN, comma separated).
	MySQLReplicaDSNs []string
	// RedisSentinelMaster names the Sentinel master; RedisAddrs are then the sentinels (ZL_REDIS_SENTINEL_MASTER).
	RedisSentinelMaster string
	// WechatFakeURL is a fake WeChat already serving, shared by several instances (ZL_WECHAT_FAKE_URL; tests).
	WechatFakeURL string
	// JobsCron replaces the daily jobs' times with one 6-field cron, seconds first (ZL_JOBS_CRON; tests).
	JobsCron string
}

// Vars lists every variable Load reads (docker-compose is checked against it).
var Vars = []string{
	"ZL_ENV", "ZL_HTTP_ADDR", "ZL_MYSQL_DSN", "ZL_REDIS_ADDR", "ZL_REDIS_PASSWORD", "ZL_REDIS_PREFIX",
	"ZL_WECHAT_APPID", "ZL_WECHAT_SECRET", "ZL_CITY_NAME", "ZL_CITY_CODE",
	"ZL_ADMIN_USERNAME", "ZL_ADMIN_PASSWORD", "ZL_DATA_KEY", "ZL_DEMO", "ZL_DATA_DIR",
	"ZL_LOG_LEVEL", "ZL_SESSION_TTL", "ZL_SHUTDOWN_TIMEOUT", "ZL_WORKERS", "ZL_TRUSTED_PROXIES", "ZL_WECHAT_TEMPLATES", "ZL_WECHAT_MP_STATE",
	"ZL_MYSQL_REPLICA_DSN", "ZL_REDIS_SENTINEL_MASTER", "ZL_WECHAT_FAKE_URL", "ZL_JOBS_CRON",
}

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
		MySQLDSN:      get("ZL_MYSQL_DSN", DefaultMySQLDSN),
		RedisPassword: getenv("ZL_REDIS_PASSWORD"),
		RedisPrefix:   get("ZL_REDIS_PREFIX", "zl:"),
		WechatAppID:   get("ZL_WECHAT_APPID", ""),
		WechatSecret:  get("ZL_WECHAT_SECRET", ""),
		CityName:      get("ZL_CITY_NAME", "佛山市"),
		CityCode:      get("ZL_CITY_CODE", "440600"),
		AdminUsername: get("ZL_ADMIN_USERNAME", "admin"),
		AdminPassword: getenv("ZL_ADMIN_PASSWORD"),
		DataDir:       get("ZL_DATA_DIR", "./data"),
		LogLevel:      get("ZL_LOG_LEVEL", "info"),
	}
	var errs []error
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
	if c.SessionTTL, err = time.ParseDuration(get("ZL_SESSION_TTL", "168h")); err != nil || c.SessionTTL <= 0 {
		errs = append(errs, fmt.Errorf("ZL_SESSION_TTL: a positive duration such as 168h"))
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
		if c.AdminPassword == "" {
			errs = append(errs, errors.New("production: ZL_ADMIN_PASSWORD is required"))
		}
		if c.Demo {
			errs = append(errs, errors.New("production: ZL_DEMO must be 0"))
		}
		if c.WechatFakeURL != "" || c.JobsCron != "" {
			errs = append(errs, errors.New("production: ZL_WECHAT_FAKE_URL and ZL_JOBS_CRON are for tests"))
		}
		if c.MySQLDSN == DefaultMySQLDSN {
			errs = append(errs, errors.New("production: ZL_MYSQL_DSN must be set (the passwordless root default is refused)"))
		}
	}
	return c, errors.Join(errs...)
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
