package api_test

import (
	"testing"

	"zhilian/internal/testutil"
)

// TestWeakStaffPasswordsAreRefused: staff passwords have at least 10
// characters, are not among the common passwords of the embedded list (nor
// one with digits around it) and do not contain the username — when an admin
// sets one and when the account changes its own.
func TestWeakStaffPasswordsAreRefused(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	admin := e.AdminToken()
	weak := []string{"password1", "aaaaaaa1", "Password2026!", "qwertyuiop1", "iloveyou2026", "Zl_staff_x2026"}
	for _, pw := range weak {
		r := e.Do("POST", "/api/v1/admin/accounts", admin, map[string]any{
			"username": "zl_staff_x", "password": pw, "name": "新人", "role": "cadre", "org_id": e.RootOrgID(),
		}).MustErr(t, 400, "invalid_argument")
		if r.Msg == "" {
			t.Fatalf("%q refused without a reason", pw)
		}
	}
	id, tok := e.Staff(admin, e.RootOrgID(), "cadre", "zl_staff_x")
	for _, pw := range weak {
		e.Do("POST", path("/api/v1/admin/accounts/%d/reset-password", id), admin, map[string]string{"password": pw}).MustErr(t, 400, "invalid_argument")
		e.Do("POST", "/api/v1/auth/password", tok, map[string]string{"old_password": testutil.WorkPassword, "new_password": pw}).MustErr(t, 400, "invalid_argument")
	}
	e.Do("POST", "/api/v1/auth/password", tok, map[string]string{"old_password": testutil.WorkPassword, "new_password": "Lamp-post-7-Chancheng"}).Must(t, 200)
}
