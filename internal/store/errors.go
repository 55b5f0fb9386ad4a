package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"zhilian/model"
)

// MySQL error numbers the store translates.
const (
	errDupEntry      = 1062
	errRowReferenced = 1451
	errNoReferenced  = 1452
	errLockWait      = 1205
	errDeadlock      = 1213
	errDataTooLong   = 1406
	errTooManyConns  = 1040
	errShutdown      = 1053
	errConnKilled    = 1927 // MariaDB: connection was killed
)

// RetryAfterOutage is what a client is told to wait while the database is unreachable.
const RetryAfterOutage = 2 * time.Second

// unreachable reports whether err says the database could not be reached or
// the connection broke (refused, reset, timed out, a bad or closed
// connection, the server shutting down) rather than refusing the statement.
func unreachable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == errTooManyConns || me.Number == errShutdown || me.Number == errConnKilled
	}
	var ne net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne)
}

// outage is the error a request gets while the database is unreachable: 503
// with Retry-After (the pool reconnects by itself once it is back).
func outage(err error) error {
	return &model.Error{Code: model.CodeUnavailable, Msg: "数据库暂时不可用，请稍后重试", RetryAfter: RetryAfterOutage, Cause: err}
}

// markOutages is a GORM callback run after every statement: connection-level
// failures become outage errors even where a repository returns GORM's error
// as it is.
func markOutages(db *gorm.DB) {
	if db.Error != nil && unreachable(db.Error) {
		if _, ok := model.AsError(db.Error); !ok {
			db.Error = outage(db.Error)
		}
	}
}

// registerOutageCallbacks installs markOutages on every kind of statement.
func registerOutageCallbacks(db *gorm.DB) error {
	cb := db.Callback()
	return errors.Join(
		cb.Create().After("*").Register("zhilian:outage", markOutages),
		cb.Query().After("*").Register("zhilian:outage", markOutages),
		cb.Update().After("*").Register("zhilian:outage", markOutages),
		cb.Delete().After("*").Register("zhilian:outage", markOutages),
		cb.Row().After("*").Register("zhilian:outage", markOutages),
		cb.Raw().After("*").Register("zhilian:outage", markOutages),
	)
}

// translate turns driver errors into model errors; model errors pass through.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := model.AsError(err); ok {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return model.ErrNotFound
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return model.Wrap(model.CodeUnavailable, "请求超时，请稍后重试", err)
	}
	if unreachable(err) {
		return outage(err)
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case errDupEntry:
			return model.Wrap(model.CodeAlreadyExists, "记录已存在", err)
		case errRowReferenced:
			return model.Wrap(model.CodeConflict, "该记录仍被引用，不能删除", err)
		case errNoReferenced:
			return model.Wrap(model.CodeInvalidArgument, "引用的记录不存在", err)
		case errLockWait, errDeadlock:
			return model.Wrap(model.CodeConflict, "记录正被他人修改，请重试", err)
		case errDataTooLong:
			return model.Wrap(model.CodeInvalidArgument, "内容过长", err)
		}
	}
	return err
}

// dupKey reports whether err is a duplicate on the named unique key.
func dupKey(err error, key string) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) && me.Number == errDupEntry {
		return key == "" || strings.Contains(me.Message, key)
	}
	return false
}
