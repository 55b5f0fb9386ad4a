package api_test

import (
	"fmt"
	"testing"
)

// PUT on an org, an account and a category is the same partial update as
// PATCH (the spec lists both): the change is stored, an unknown field is a 400.
func TestAdminPutUpdates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e

	org := fmt.Sprintf("/api/v1/admin/orgs/%d", w.commA)
	e.Do("PUT", org, w.admin, map[string]string{"name": "夏东新村"}).Must(t, 200)
	if got := e.Do("GET", org, w.admin, nil).Must(t, 200).M(t)["name"]; got != "夏东新村" {
		t.Errorf("org after PUT: name %v", got)
	}
	e.Do("PUT", org, w.admin, map[string]string{"nmae": "x"}).MustErr(t, 400, "invalid_argument")

	id, _ := e.Staff(w.admin, w.commA, "cadre", "cadre_put")
	acc := fmt.Sprintf("/api/v1/admin/accounts/%d", id)
	e.Do("PUT", acc, w.admin, map[string]string{"name": "改了名"}).Must(t, 200)
	if got := e.Do("GET", acc, w.admin, nil).Must(t, 200).M(t)["name"]; got != "改了名" {
		t.Errorf("account after PUT: name %v", got)
	}

	cat := e.Do("POST", "/api/v1/admin/categories", w.admin,
		map[string]any{"name": "占道经营", "code": "street_stalls", "accept_days": 1, "resolve_days": 7}).Must(t, 201).M(t)
	cp := fmt.Sprintf("/api/v1/admin/categories/%d", int64(cat["id"].(float64)))
	e.Do("PUT", cp, w.admin, map[string]any{"resolve_days": 12}).Must(t, 200)
	if got := e.Do("GET", cp, w.admin, nil).Must(t, 200).M(t)["resolve_days"]; got != float64(12) {
		t.Errorf("category after PUT: resolve_days %v", got)
	}
}
