package api_test

import (
	"fmt"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

// world is a small org tree: city → district → towns A and B, each with a community.
type world struct {
	e                      *testutil.Env
	admin                  string // city admin token
	district, townA, townB int64
	commA, commB           int64
}

func newWorld(t *testing.T) *world {
	e := testutil.New(t)
	return newWorldOn(t, e, e.AdminToken())
}

// newWorldOn builds the small tree on an existing server.
func newWorldOn(t *testing.T, e *testutil.Env, admin string) *world {
	w := &world{e: e, admin: admin}
	root := e.RootOrgID()
	w.district = e.Org(w.admin, root, "district", "南海区")
	w.townA = e.Org(w.admin, w.district, "town", "桂城街道")
	w.townB = e.Org(w.admin, w.district, "town", "狮山镇")
	w.commA = e.Org(w.admin, w.townA, "community", "夏东社区")
	w.commB = e.Org(w.admin, w.townB, "community", "罗村社区")
	return w
}

func TestAccountCreateAndMustChangePassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	r := e.Do("POST", "/api/v1/admin/accounts", w.admin, map[string]any{
		"username": "cadre_a", "password": testutil.InitPassword, "name": "陈明", "role": "cadre", "org_id": w.townA, "phone": "13800001111",
	}).Must(t, 201)
	if strings.Contains(string(r.Raw), "password") && strings.Contains(string(r.Raw), "$2a$") {
		t.Fatalf("password hash leaked: %s", r.Raw)
	}
	acc := r.M(t)
	if acc["must_change_password"] != true || acc["status"] != "active" {
		t.Fatalf("account = %v", acc)
	}
	// Duplicate username → 409.
	e.Do("POST", "/api/v1/admin/accounts", w.admin, map[string]any{
		"username": "cadre_a", "password": testutil.InitPassword, "name": "另一个", "role": "cadre", "org_id": w.townB,
	}).MustErr(t, 409, "already_exists")
	// Weak password and bad role → 400.
	e.Do("POST", "/api/v1/admin/accounts", w.admin, map[string]any{
		"username": "weak", "password": "12345678", "name": "弱", "role": "cadre", "org_id": w.townB,
	}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/admin/accounts", w.admin, map[string]any{
		"username": "boss", "password": testutil.InitPassword, "name": "老板", "role": "root", "org_id": w.townB,
	}).MustErr(t, 400, "invalid_argument")

	// First sign-in must change the password before doing anything else.
	tok := e.Login("cadre_a", testutil.InitPassword)
	e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200)
	e.Do("GET", "/api/v1/admin/accounts", tok, nil).MustErr(t, 403, "password_change_required")
	e.Do("POST", "/api/v1/auth/password", tok, map[string]string{"old_password": "wrong", "new_password": "Next-2026-zl"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/auth/password", tok, map[string]string{"old_password": testutil.InitPassword, "new_password": "Next-2026-zl"}).Must(t, 200)
	me := e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200).M(t)["account"].(map[string]any)
	if me["must_change_password"] != false {
		t.Fatalf("still must change: %v", me)
	}
	// A cadre is not an admin.
	e.Do("GET", "/api/v1/admin/accounts", tok, nil).MustErr(t, 403, "forbidden")
	e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "cadre_a", "password": testutil.InitPassword}).MustErr(t, 401, "unauthorized")
	e.Login("cadre_a", "Next-2026-zl")
}

func TestDisableAndResetRevokeSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	id, tok := e.Staff(w.admin, w.townA, "cadre", "cadre_rev")
	e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200) // cached in Redis now
	path := fmt.Sprintf("/api/v1/admin/accounts/%d", id)

	e.Do("POST", path+"/disable", w.admin, nil).Must(t, 200)
	e.Do("GET", "/api/v1/auth/me", tok, nil).MustErr(t, 401, "unauthorized")
	e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "cadre_rev", "password": testutil.WorkPassword}).MustErr(t, 401, "unauthorized")
	e.Do("POST", path+"/disable", w.admin, nil).MustErr(t, 409, "invalid_transition")
	e.Do("POST", path+"/enable", w.admin, nil).Must(t, 200)
	tok = e.Login("cadre_rev", testutil.WorkPassword)
	e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200)

	acc := e.Do("POST", path+"/reset-password", w.admin, map[string]string{"password": "Temp-2026-zl"}).Must(t, 200).M(t)
	if acc["must_change_password"] != true {
		t.Fatalf("reset account = %v", acc)
	}
	e.Do("GET", "/api/v1/auth/me", tok, nil).MustErr(t, 401, "unauthorized")
	e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "cadre_rev", "password": testutil.WorkPassword}).MustErr(t, 401, "unauthorized")
	r := e.Do("POST", "/api/v1/auth/staff", "", map[string]string{"username": "cadre_rev", "password": "Temp-2026-zl"}).Must(t, 200).M(t)
	if r["account"].(map[string]any)["must_change_password"] != true {
		t.Fatalf("login after reset = %v", r)
	}
	// An admin cannot disable themselves.
	meID := int64(e.Do("GET", "/api/v1/auth/me", w.admin, nil).M(t)["account"].(map[string]any)["id"].(float64))
	e.Do("POST", fmt.Sprintf("/api/v1/admin/accounts/%d/disable", meID), w.admin, nil).MustErr(t, 409, "conflict")
}

func TestAdminSubtreeScoping(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	_, adminA := e.Staff(w.admin, w.townA, "admin", "admin_a")
	bID, _ := e.Staff(w.admin, w.townB, "cadre", "cadre_b")
	aID, _ := e.Staff(w.admin, w.commA, "cadre", "cadre_in_a")

	// Town A's admin sees town A's accounts, not town B's (404, not 403).
	e.Do("GET", fmt.Sprintf("/api/v1/admin/accounts/%d", aID), adminA, nil).Must(t, 200)
	e.Do("GET", fmt.Sprintf("/api/v1/admin/accounts/%d", bID), adminA, nil).MustErr(t, 404, "not_found")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/accounts/%d/disable", bID), adminA, nil).MustErr(t, 404, "not_found")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/accounts/%d/reset-password", bID), adminA, map[string]string{"password": "Temp-2026-zl"}).MustErr(t, 404, "not_found")
	e.Do("PATCH", fmt.Sprintf("/api/v1/admin/accounts/%d", bID), adminA, map[string]string{"name": "改名"}).MustErr(t, 404, "not_found")
	// Nor can it create accounts outside its town: not in town B, not a district admin.
	e.Do("POST", "/api/v1/admin/accounts", adminA, map[string]any{
		"username": "sneaky", "password": testutil.InitPassword, "name": "越权", "role": "cadre", "org_id": w.townB,
	}).MustErr(t, 404, "not_found")
	e.Do("POST", "/api/v1/admin/accounts", adminA, map[string]any{
		"username": "district_boss", "password": testutil.InitPassword, "name": "越级", "role": "admin", "org_id": w.district,
	}).MustErr(t, 404, "not_found")
	// Moving an account of town A to town B is refused too.
	e.Do("PATCH", fmt.Sprintf("/api/v1/admin/accounts/%d", aID), adminA, map[string]any{"org_id": w.townB}).MustErr(t, 404, "not_found")
	// The list only holds town A's subtree.
	list := e.Do("GET", "/api/v1/admin/accounts", adminA, nil).Must(t, 200).M(t)
	for _, it := range list["items"].([]any) {
		name := it.(map[string]any)["username"]
		if name != "admin_a" && name != "cadre_in_a" {
			t.Fatalf("town A admin sees %v", name)
		}
	}
	e.Do("GET", fmt.Sprintf("/api/v1/admin/accounts?org_id=%d", w.townB), adminA, nil).MustErr(t, 404, "not_found")
	// The city admin sees all of them.
	list = e.Do("GET", fmt.Sprintf("/api/v1/admin/accounts?org_id=%d&role=cadre", w.district), w.admin, nil).Must(t, 200).M(t)
	if n := len(list["items"].([]any)); n != 2 {
		t.Fatalf("district cadres = %d, want 2", n)
	}
}

func TestAccountUpdateAndPagination(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	for i := 0; i < 7; i++ {
		e.Do("POST", "/api/v1/admin/accounts", w.admin, map[string]any{
			"username": fmt.Sprintf("page%02d", i), "password": testutil.InitPassword, "name": "分页", "role": "cadre", "org_id": w.commA,
		}).Must(t, 201)
	}
	seen := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		r := e.Do("GET", fmt.Sprintf("/api/v1/admin/accounts?org_id=%d&page_size=3&cursor=%s", w.commA, cursor), w.admin, nil).Must(t, 200)
		var page struct {
			Items []struct {
				Username string `json:"username"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		r.Decode(t, &page)
		pages++
		for _, it := range page.Items {
			if seen[it.Username] {
				t.Fatalf("%s twice", it.Username)
			}
			seen[it.Username] = true
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(seen) != 7 || pages != 3 {
		t.Fatalf("saw %d accounts in %d pages", len(seen), pages)
	}
	e.Do("GET", "/api/v1/admin/accounts?page_size=51", w.admin, nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/admin/accounts?cursor=bm90LWpzb24", w.admin, nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/admin/accounts?status=weird", w.admin, nil).MustErr(t, 400, "invalid_argument")

	id, tok := e.Staff(w.admin, w.townA, "cadre", "mover")
	path := fmt.Sprintf("/api/v1/admin/accounts/%d", id)
	acc := e.Do("PATCH", path, w.admin, map[string]any{"name": "新名字", "phone": "13900002222"}).Must(t, 200).M(t)
	if acc["name"] != "新名字" || acc["phone"] != "13900002222" {
		t.Fatalf("update = %v", acc)
	}
	e.Do("GET", "/api/v1/auth/me", tok, nil).Must(t, 200) // name changes keep sessions
	acc = e.Do("PATCH", path, w.admin, map[string]any{"role": "admin", "org_id": w.townB}).Must(t, 200).M(t)
	if acc["role"] != "admin" || int64(acc["org_id"].(float64)) != w.townB {
		t.Fatalf("update = %v", acc)
	}
	e.Do("GET", "/api/v1/auth/me", tok, nil).MustErr(t, 401, "unauthorized") // role/org change ends sessions
	e.Do("PATCH", path, w.admin, map[string]any{"phone": "12345"}).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/admin/accounts/0", w.admin, nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/admin/accounts/abc", w.admin, nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/admin/accounts/999999", w.admin, nil).MustErr(t, 404, "not_found")
}
