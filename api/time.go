package api

import (
	"context"
	"time"
)

// contextT shortens handler signatures.
type contextT = context.Context

// shanghai is the business time zone (fixed +08:00; China has no DST).
var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// rfc3339 formats a time in Asia/Shanghai with its offset.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format(time.RFC3339)
}
