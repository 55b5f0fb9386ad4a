// Package api is Zhilian's HTTP layer (Gin): routes, middleware, DTOs and the
// one place where domain errors become HTTP statuses.
package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"zhilian/internal/logx"
	"zhilian/model"
)

// statusOf is the one mapping from domain codes to HTTP statuses.
var statusOf = map[model.Code]int{
	model.CodeInvalidArgument:     http.StatusBadRequest,
	model.CodeUnauthorized:        http.StatusUnauthorized,
	model.CodeForbidden:           http.StatusForbidden,
	model.CodePasswordChange:      http.StatusForbidden,
	model.CodeNotFound:            http.StatusNotFound,
	model.CodeConflict:            http.StatusConflict,
	model.CodeAlreadyExists:       http.StatusConflict,
	model.CodeInvalidTransition:   http.StatusConflict,
	model.CodeSlotFull:            http.StatusConflict,
	model.CodeAlreadyBooked:       http.StatusConflict,
	model.CodeBookingClosed:       http.StatusConflict,
	model.CodeBookingLimit:        http.StatusConflict,
	model.CodeNotSessionDay:       http.StatusConflict,
	model.CodeTooLarge:            http.StatusRequestEntityTooLarge,
	model.CodeUnsupportedMedia:    http.StatusUnsupportedMediaType,
	model.CodeContentRisky:        http.StatusUnprocessableEntity,
	model.CodeIdempotencyMismatch: http.StatusUnprocessableEntity,
	model.CodeRateLimited:         http.StatusTooManyRequests,
	model.CodeUnavailable:         http.StatusServiceUnavailable,
	model.CodeInternal:            http.StatusInternalServerError,
}

// errorBody is the error envelope.
type errorBody struct {
	Code      model.Code `json:"code"`
	Msg       string     `json:"msg"`
	RequestID string     `json:"request_id"`
}

// fail writes err as the error envelope. Unknown errors are logged with the
// request id and shown as a generic message.
func fail(c *gin.Context, err error) {
	ctx := c.Request.Context()
	rid := logx.RequestID(ctx)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		err = model.E(model.CodeTooLarge, "请求体过大")
	}
	e, ok := model.AsError(err)
	status := http.StatusInternalServerError
	if ok {
		if s, known := statusOf[e.Code]; known {
			status = s
		}
	}
	if !ok || status >= 500 {
		logger(c).ErrorContext(ctx, "request failed", "err", err, "status", status)
		if !ok || e.Code == model.CodeInternal {
			e = model.E(model.CodeInternal, "服务器内部错误，请稍后重试")
		}
	} else if e.Cause != nil {
		logger(c).InfoContext(ctx, "request refused", "code", e.Code, "cause", e.Cause)
	}
	if e.RetryAfter > 0 {
		secs := int(e.RetryAfter.Seconds() + 0.999)
		c.Header("Retry-After", strconv.Itoa(secs))
	}
	c.AbortWithStatusJSON(status, errorBody{Code: e.Code, Msg: e.Msg, RequestID: rid})
}

// ok writes the success envelope.
func ok(c *gin.Context, status int, data any) {
	c.JSON(status, gin.H{"code": "ok", "data": data})
}
