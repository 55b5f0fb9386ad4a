package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"time"

	"zhilian/internal/config"
	"zhilian/internal/pii"
	"zhilian/internal/redisx"
	"zhilian/internal/store"
	"zhilian/model"
	"zhilian/service"
)

// ResetPassword is the server's `admin reset-password <username>` command:
// it connects to the database and Redis of cfg (the server may be running
// meanwhile), gives the account a new one-time password, ends its logins,
// writes the audit row, and returns the password.
func ResetPassword(ctx context.Context, cfg config.Config, log *slog.Logger, username string) (string, error) {
	db, err := store.Open(ctx, cfg.MySQLDSN, time.Now, nil)
	if err != nil {
		return "", err
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}()
	rdb := redisx.NewClient(cfg.RedisAddrs, cfg.RedisSentinelMaster, cfg.RedisPassword)
	defer rdb.Close()
	st := store.New(db)
	passwords := service.NewPasswords(0)
	sealer, err := pii.New(cfg.DataKeys)
	if err != nil {
		return "", err
	}
	auth := service.NewAuth(service.AuthDeps{Accounts: st.Accounts(), Logins: st.Logins(), Revoked: st.Logins(),
		Cache: redisx.NewLoginCache(rdb, cfg.RedisPrefix, 5*time.Minute), Limiter: redisx.NewLimiter(rdb, cfg.RedisPrefix),
		Passwords: passwords, Phones: service.NewStaffPhones(sealer, log), Now: time.Now, TTL: cfg.LoginTTL, Log: log})
	accounts := service.NewAccounts(st.Accounts(), st.Orgs(), auth, passwords, time.Now)
	a, pw, err := accounts.OperatorReset(ctx, operator(), username)
	if err != nil {
		return "", err
	}
	log.Info("one-time password set from the command line", "username", a.Username, "account_id", a.ID)
	return pw, nil
}

// operator names who runs a command on the server's machine, for the audit log.
func operator() model.Actor {
	who := fmt.Sprintf("uid %d", os.Getuid())
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = u.Username
	}
	if h, err := os.Hostname(); err == nil {
		who += "@" + h
	}
	if len(who) > 48 {
		who = who[:48]
	}
	return model.Actor{Name: "命令行 " + who, IP: "local"}
}
