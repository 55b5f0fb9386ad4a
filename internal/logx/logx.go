// Package logx adds the request id from the context to every log line.
package logx

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

type ctxKey struct{}

// WithRequestID stores the request id in ctx.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// RequestID returns the request id stored in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// handler decorates records with the request id of their context.
type handler struct{ slog.Handler }

// Handle adds request_id when the context carries one.
func (h handler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h handler) WithAttrs(as []slog.Attr) slog.Handler { return handler{h.Handler.WithAttrs(as)} }
func (h handler) WithGroup(n string) slog.Handler       { return handler{h.Handler.WithGroup(n)} }

// New builds a JSON logger at the given level that adds request ids.
func New(w io.Writer, level string) *slog.Logger {
	var lv slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lv = slog.LevelDebug
	case "warn":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		lv = slog.LevelInfo
	}
	return slog.New(handler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lv})})
}

// Printf lets a *slog.Logger stand in for libraries that log with Printf and
// a context (go-redis): their lines become warnings with the request id.
type Printf struct{ L *slog.Logger }

// Printf logs one formatted line.
func (p Printf) Printf(ctx context.Context, format string, v ...any) {
	p.L.WarnContext(ctx, fmt.Sprintf(format, v...), "component", "redis")
}
