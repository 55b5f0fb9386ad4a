package api_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestOrgParentCannotChange: the product has no subtree move — an org's
// parent is set when it is created and never changes (PATCH renames only;
// the store writes name and active alone). A PATCH naming parent_id is
// refused with a 400 that names the field, and the node, its path and its
// subtree stay where they were.
func TestOrgParentCannotChange(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := w.e
	path := fmt.Sprintf("/api/v1/admin/orgs/%d", w.townA)
	before := e.Do("GET", path, w.admin, nil).Must(t, 200).M(t)
	for _, body := range []map[string]any{
		{"parent_id": w.district},
		{"name": "搬走的镇", "parent_id": w.district},
	} {
		r := e.Do("PATCH", path, w.admin, body).MustErr(t, 400, "invalid_argument")
		if !strings.Contains(r.Msg, "parent_id") {
			t.Fatalf("refusal does not name parent_id: %s", r.Raw)
		}
	}
	after := e.Do("GET", path, w.admin, nil).Must(t, 200).M(t)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("org changed by a refused move:\nbefore %v\nafter  %v", before, after)
	}
	// Its community is still found under it.
	kids := e.Do("GET", fmt.Sprintf("/api/v1/admin/orgs?parent_id=%d", w.townA), w.admin, nil).Must(t, 200).M(t)["items"].([]any)
	if len(kids) != 1 || int64(kids[0].(map[string]any)["id"].(float64)) != w.commA {
		t.Fatalf("children of town A after the refused move: %v", kids)
	}
}
