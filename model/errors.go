// Package model holds Zhilian's entities, enums, state machines and the one
// domain error type. It imports nothing of the project.
package model

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable, snake_case machine code carried by every error response.
type Code string

// Codes known to clients. The api package maps each to one HTTP status.
const (
	CodeInvalidArgument     Code = "invalid_argument"
	CodeUnauthorized        Code = "unauthorized"
	CodeForbidden           Code = "forbidden"
	CodeNotFound            Code = "not_found"
	CodeConflict            Code = "conflict"
	CodeAlreadyExists       Code = "already_exists"
	CodeInvalidTransition   Code = "invalid_transition"
	CodeTooLarge            Code = "too_large"
	CodeRateLimited         Code = "rate_limited"
	CodeUnavailable         Code = "unavailable"
	CodeInternal            Code = "internal"
	CodeContentRisky        Code = "content_risky"
	CodeIdempotencyMismatch Code = "idempotency_mismatch"
	CodeUnsupportedMedia    Code = "unsupported_media_type"
	CodePasswordChange      Code = "password_change_required"
	CodeSlotFull            Code = "slot_full"
	CodeAlreadyBooked       Code = "already_booked"
	CodeBookingClosed       Code = "booking_closed"
	CodeBookingLimit        Code = "booking_limit"
	CodeNotSessionDay       Code = "not_session_day"
)

// Error is the domain error: a machine code and a message that is safe to show
// to the user. Cause is logged, never shown.
type Error struct {
	Code       Code
	Msg        string
	RetryAfter time.Duration // set with CodeRateLimited / CodeUnavailable
	Cause      error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Msg, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Msg)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// E builds a domain error.
func E(code Code, msg string) *Error { return &Error{Code: code, Msg: msg} }

// Wrap builds a domain error that keeps its cause for the log.
func Wrap(code Code, msg string, cause error) *Error {
	return &Error{Code: code, Msg: msg, Cause: cause}
}

// AsError finds a domain error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code Code) bool {
	e, ok := AsError(err)
	return ok && e.Code == code
}

// Common errors.
var (
	ErrNotFound     = E(CodeNotFound, "记录不存在")
	ErrUnauthorized = E(CodeUnauthorized, "请先登录")
	ErrForbidden    = E(CodeForbidden, "无权执行此操作")
)

// Invalid builds an invalid_argument error.
func Invalid(format string, args ...any) *Error {
	return E(CodeInvalidArgument, fmt.Sprintf(format, args...))
}

// Transition builds an invalid_transition error naming the state and action.
func Transition(action string, from string) *Error {
	return E(CodeInvalidTransition, fmt.Sprintf("当前状态（%s）不能执行“%s”", from, action))
}
