// Package migrations embeds the versioned SQL migrations applied at start-up.
package migrations

import "embed"

// FS holds every NNNN_name.up.sql file.
//
//go:embed *.sql
var FS embed.FS
