package store

import (
	"context"
	"errors"
	"strings"

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
)

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
