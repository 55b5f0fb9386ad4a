package api_test

import (
	"fmt"
	"testing"
)

func TestOrgTreeAdmin(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	// Kinds must fit their parent.
	e.Do("POST", "/api/v1/admin/orgs", w.admin, map[string]any{"parent_id": w.townA, "kind": "district", "name": "错层"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/admin/orgs", w.admin, map[string]any{"parent_id": w.commA, "kind": "community", "name": "社区下社区"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/admin/orgs", w.admin, map[string]any{"parent_id": w.district, "kind": "planet", "name": "火星"}).MustErr(t, 400, "invalid_argument")
	// Same name under the same parent → 409; a department under the district is fine.
	e.Do("POST", "/api/v1/admin/orgs", w.admin, map[string]any{"parent_id": w.district, "kind": "town", "name": "桂城街道"}).MustErr(t, 409, "already_exists")
	dept := e.Org(w.admin, w.district, "department", "南海区农业农村局")

	// Tree and children views.
	tree := e.Do("GET", fmt.Sprintf("/api/v1/admin/orgs?tree=1&parent_id=%d", w.district), w.admin, nil).Must(t, 200).M(t)
	top := tree["items"].([]any)[0].(map[string]any)
	if top["name"] != "南海区" || len(top["children"].([]any)) != 3 {
		t.Fatalf("tree = %v", top)
	}
	kids := e.Do("GET", fmt.Sprintf("/api/v1/admin/orgs?parent_id=%d", w.townA), w.admin, nil).Must(t, 200).M(t)["items"].([]any)
	if len(kids) != 1 || kids[0].(map[string]any)["name"] != "夏东社区" {
		t.Fatalf("children = %v", kids)
	}

	// Rename, deactivate (hidden from the public picker), reactivate.
	e.Do("PATCH", fmt.Sprintf("/api/v1/admin/orgs/%d", w.commA), w.admin, map[string]string{"name": "夏东村"}).Must(t, 200)
	e.Do("POST", fmt.Sprintf("/api/v1/admin/orgs/%d/deactivate", w.commA), w.admin, nil).Must(t, 200)
	e.Do("POST", fmt.Sprintf("/api/v1/admin/orgs/%d/deactivate", w.commA), w.admin, nil).MustErr(t, 409, "invalid_transition")
	pub := e.Do("GET", fmt.Sprintf("/api/v1/orgs?parent_id=%d", w.townA), "", nil).Must(t, 200).M(t)["items"].([]any)
	if len(pub) != 0 {
		t.Fatalf("inactive community still public: %v", pub)
	}
	e.Do("POST", "/api/v1/admin/orgs", w.admin, map[string]any{"parent_id": w.commA, "kind": "community", "name": "x"}).MustErr(t, 409, "conflict")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/orgs/%d/activate", w.commA), w.admin, nil).Must(t, 200)

	// Delete: refused with children or accounts, allowed when empty.
	e.Do("DELETE", fmt.Sprintf("/api/v1/admin/orgs/%d", w.townA), w.admin, nil).MustErr(t, 409, "conflict")
	e.Staff(w.admin, dept, "cadre", "dept_staff")
	e.Do("DELETE", fmt.Sprintf("/api/v1/admin/orgs/%d", dept), w.admin, nil).MustErr(t, 409, "conflict")
	e.Do("DELETE", fmt.Sprintf("/api/v1/admin/orgs/%d", w.commB), w.admin, nil).Must(t, 200)
	e.Do("GET", fmt.Sprintf("/api/v1/admin/orgs/%d", w.commB), w.admin, nil).MustErr(t, 404, "not_found")
	e.Do("DELETE", fmt.Sprintf("/api/v1/admin/orgs/%d", e.RootOrgID()), w.admin, nil).MustErr(t, 409, "conflict")

	// A town admin manages only its town.
	_, adminA := e.Staff(w.admin, w.townA, "admin", "town_admin_a")
	e.Do("GET", fmt.Sprintf("/api/v1/admin/orgs/%d", w.townB), adminA, nil).MustErr(t, 404, "not_found")
	e.Do("PATCH", fmt.Sprintf("/api/v1/admin/orgs/%d", w.townB), adminA, map[string]string{"name": "抢"}).MustErr(t, 404, "not_found")
	e.Do("POST", "/api/v1/admin/orgs", adminA, map[string]any{"parent_id": w.townB, "kind": "community", "name": "越权社区"}).MustErr(t, 404, "not_found")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/orgs/%d/deactivate", w.townA), adminA, nil).MustErr(t, 409, "conflict")
	mine := e.Org(adminA, w.townA, "community", "新社区")
	own := e.Do("GET", "/api/v1/admin/orgs?tree=1", adminA, nil).Must(t, 200).M(t)["items"].([]any)
	if len(own) != 1 || int64(own[0].(map[string]any)["id"].(float64)) != w.townA {
		t.Fatalf("town admin tree = %v", own)
	}
	_ = mine
}

func TestPublicOrgPicker(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	tree := e.Do("GET", "/api/v1/orgs?tree=1", "", nil).Must(t, 200).M(t)["items"].([]any)
	city := tree[0].(map[string]any)
	district := city["children"].([]any)[0].(map[string]any)
	if district["name"] != "南海区" || len(district["children"].([]any)) != 2 {
		t.Fatalf("public tree = %v", city)
	}
	e.Do("GET", "/api/v1/orgs?parent_id=abc", "", nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/orgs?parent_id=987654", "", nil).Must(t, 200)
	e.Do("GET", "/api/v1/orgs?tree=1&parent_id=987654", "", nil).MustErr(t, 404, "not_found")
}

func TestAuditLog(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	id, _ := e.Staff(w.admin, w.townA, "cadre", "audited")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/accounts/%d/disable", id), w.admin, nil).Must(t, 200)
	r := e.Do("GET", fmt.Sprintf("/api/v1/admin/audit-logs?target_type=account&target_id=%d", id), w.admin, nil).Must(t, 200)
	var page struct {
		Items []struct {
			Action    string `json:"action"`
			ActorName string `json:"actor_name"`
			IP        string `json:"ip"`
			RequestID string `json:"request_id"`
		} `json:"items"`
	}
	r.Decode(t, &page)
	if len(page.Items) != 2 || page.Items[0].Action != "account.disable" || page.Items[1].Action != "account.create" {
		t.Fatalf("audit = %+v", page.Items)
	}
	if page.Items[0].IP == "" || page.Items[0].RequestID == "" || page.Items[0].ActorName == "" {
		t.Fatalf("audit row lacks who/where: %+v", page.Items[0])
	}
	all := e.Do("GET", "/api/v1/admin/audit-logs?action=org.create", w.admin, nil).Must(t, 200).M(t)["items"].([]any)
	if len(all) != 5 {
		t.Fatalf("org.create rows = %d, want 5", len(all))
	}
	// A town admin sees only actions of actors in its subtree.
	_, adminA := e.Staff(w.admin, w.townA, "admin", "audit_town")
	if n := len(e.Do("GET", "/api/v1/admin/audit-logs", adminA, nil).Must(t, 200).M(t)["items"].([]any)); n != 0 {
		t.Fatalf("town admin sees %d city-admin rows", n)
	}
	e.Do("GET", "/api/v1/admin/audit-logs?from=yesterday", w.admin, nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/admin/audit-logs?from=2026-01-01&to=2025-01-01", w.admin, nil).MustErr(t, 400, "invalid_argument")
}
