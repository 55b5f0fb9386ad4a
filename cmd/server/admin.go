package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"zhilian/internal/app"
	"zhilian/internal/config"
	"zhilian/internal/logx"
)

const usage = `usage:
  zhilian                                  run the server
  zhilian admin reset-password <username>  set a new one-time password (works while the server runs)
  zhilian -healthcheck <url>               probe a URL (exit 0 on HTTP 200)
`

// admin runs `zhilian admin …` with the server's own configuration (the same
// ZL_* variables) and returns the exit code. The one-time password goes to
// stdout, and nowhere else.
func admin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "reset-password" || args[1] == "" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "zhilian: configuration:\n%v\n", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pw, err := app.ResetPassword(ctx, cfg, logx.New(stderr, cfg.LogLevel), args[1])
	if err != nil {
		fmt.Fprintf(stderr, "zhilian: reset-password %s: %v\n", args[1], err)
		return 1
	}
	fmt.Fprintf(stdout, "one-time password for %s: %s\n", args[1], pw)
	fmt.Fprintln(stdout, "It must be changed at the next sign-in; the account's sessions have ended.")
	return 0
}
