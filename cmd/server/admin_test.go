package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

// TestAdminResetPassword runs `zhilian admin reset-password` against a running
// server's database and Redis: the printed one-time password signs in, must be
// changed before anything else, the old password and every old session stop
// working at once, and the audit log names the operator.
func TestAdminResetPassword(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	adminTok := e.AdminToken()
	_, cadreTok := e.Staff(adminTok, e.RootOrgID(), "cadre", "lost_pw_cadre")
	e.Do("GET", "/api/v1/auth/me", cadreTok, nil).Must(t, 200) // cached in Redis now

	env := map[string]string{
		"ZL_ENV": "test", "ZL_MYSQL_DSN": e.Config.MySQLDSN, "ZL_REDIS_ADDR": strings.Join(e.Config.RedisAddrs, ","),
		"ZL_REDIS_PREFIX": e.Config.RedisPrefix, "ZL_BLOB_URL": e.Config.BlobURL,
	}
	getenv := func(k string) string { return env[k] }
	var out, errOut bytes.Buffer
	if code := admin(context.Background(), []string{"reset-password", "lost_pw_cadre"}, getenv, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	m := regexp.MustCompile(`one-time password for lost_pw_cadre: (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no password printed: %q", out.String())
	}
	if strings.Contains(errOut.String(), m[1]) {
		t.Fatal("the password reached the log")
	}

	e.Do("GET", "/api/v1/auth/me", cadreTok, nil).MustErr(t, 401, "unauthorized") // the old session ended
	e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "lost_pw_cadre", "password": testutil.WorkPassword}).
		MustErr(t, 401, "unauthorized")
	tok := e.Login("lost_pw_cadre", m[1])
	e.Do("GET", "/api/v1/work/sessions", tok, nil).MustErr(t, 403, "password_change_required")
	e.Do("POST", "/api/v1/auth/password", tok, map[string]string{"old_password": m[1], "new_password": "Fresh-lamp-2026"}).Must(t, 200)
	e.Login("lost_pw_cadre", "Fresh-lamp-2026")

	items := e.Do("GET", "/api/v1/admin/audit-logs?action=account.reset_password", adminTok, nil).Must(t, 200).M(t)["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("audit rows %v", items)
	}
	row := items[0].(map[string]any)
	if !strings.HasPrefix(row["actor_name"].(string), "命令行 ") || row["actor_id"].(float64) != 0 {
		t.Fatalf("audit row does not name the operator: %v", row)
	}

	// A name that is not an account, and a bad command line, fail plainly.
	errOut.Reset()
	if code := admin(context.Background(), []string{"reset-password", "nobody_here"}, getenv, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "账号不存在") {
		t.Fatalf("unknown user: exit %d %q", code, errOut.String())
	}
	if code := admin(context.Background(), []string{"reset-password"}, getenv, &out, &errOut); code != 2 {
		t.Fatalf("missing username: exit %d", code)
	}
}
