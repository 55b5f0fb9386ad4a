package api

import (
	"context"
	"time"

	"zhilian/model"
)

// contextT shortens handler signatures.
type contextT = context.Context

// shanghai is the business time zone.
var shanghai = model.Shanghai

// rfc3339 formats a time in Asia/Shanghai with its offset.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format(time.RFC3339)
}
