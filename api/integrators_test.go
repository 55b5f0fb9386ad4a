package api_test

import (
	"fmt"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

func TestIntegratorAdminOnlyForCityAdmins(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	_, townAdmin := e.Staff(w.admin, w.town, "admin", "o311_town_admin")
	_, districtAdmin := e.Staff(w.admin, w.district, "admin", "o311_district_admin")
	_, resident := e.Resident(testutil.UniqueCode("o311adm"))
	base := fmt.Sprintf("/api/v1/admin/integrators/%d", w.integratorID)
	calls := []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/admin/integrators", nil},
		{"POST", "/api/v1/admin/integrators", map[string]any{"name": "越权对接方"}},
		{"GET", base, nil},
		{"GET", base + "/keys", nil},
		{"POST", base + "/keys", map[string]any{}},
		{"POST", fmt.Sprintf("%s/keys/%d/revoke", base, w.keyID), nil},
		{"PUT", fmt.Sprintf("/api/v1/admin/categories/%d/attributes", w.categoryID), roadsDefinition},
	}
	for _, c := range calls {
		for who, tok := range map[string]string{"town admin": townAdmin, "district admin": districtAdmin, "cadre": w.cadre, "resident": resident} {
			if r := e.Do(c.method, c.path, tok, c.body); r.Status != 403 || r.Code != "forbidden" {
				t.Errorf("%s %s as %s = %d %s", c.method, c.path, who, r.Status, r.Raw)
			}
		}
		e.Do(c.method, c.path, "", c.body).MustErr(t, 401, "unauthorized")
	}
	// Nothing was issued or revoked by the refused calls.
	var it struct {
		ActiveKeys int `json:"active_keys"`
		Keys       []struct {
			Status string `json:"status"`
		} `json:"keys"`
	}
	e.Do("GET", base, w.admin, nil).Must(t, 200).Decode(t, &it)
	if it.ActiveKeys != 1 || len(it.Keys) != 1 || it.Keys[0].Status != "active" {
		t.Fatalf("after refused calls: %+v", it)
	}
	// Admins below the city may read a definition, not change it.
	e.Do("GET", fmt.Sprintf("/api/v1/admin/categories/%d/attributes", w.categoryID), townAdmin, nil).Must(t, 200)
}

func TestIntegratorKeysIssueListRevoke(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	base := fmt.Sprintf("/api/v1/admin/integrators/%d", w.integratorID)

	e.Do("POST", "/api/v1/admin/integrators", w.admin, map[string]any{"name": "12345 热线"}).MustErr(t, 409, "already_exists")
	e.Do("POST", "/api/v1/admin/integrators", w.admin, map[string]any{"name": " "}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/admin/integrators", w.admin, "{").MustErr(t, 400, "invalid_argument")
	second := e.Do("POST", "/api/v1/admin/integrators", w.admin, map[string]any{"name": "城市 App"}).Must(t, 201).ID(t)

	dept := e.Org(w.admin, w.district, "department", "禅城区城管局")
	for _, bad := range []map[string]any{{"org_id": dept}, {"org_id": 999999}, {"rate_per_minute": 0.5},
		{"rate_per_minute": 7000}, {"note": strings.Repeat("注", 201)}} {
		e.Do("POST", base+"/keys", w.admin, bad).MustErr(t, 400, "invalid_argument")
	}
	e.Do("POST", "/api/v1/admin/integrators/999999/keys", w.admin, map[string]any{}).MustErr(t, 404, "not_found")
	key2, key2ID := w.issue(t, map[string]any{"org_id": w.town, "rate_per_minute": 30, "note": "祖庙试点"})
	if key2 == w.key {
		t.Fatal("two issues gave the same key")
	}

	var keys struct {
		Items []struct {
			ID            int64   `json:"id"`
			Prefix        string  `json:"prefix"`
			OrgID         int64   `json:"org_id"`
			OrgName       string  `json:"org_name"`
			Rate          int     `json:"rate_per_minute"`
			Note          string  `json:"note"`
			Status        string  `json:"status"`
			LastUsedAt    *string `json:"last_used_at"`
			RevokedAt     *string `json:"revoked_at"`
			Key           *string `json:"key"`
			IntegratorNam string  `json:"integrator_name"`
		} `json:"items"`
	}
	e.Do("GET", base+"/keys", w.admin, nil).Must(t, 200).Decode(t, &keys)
	if len(keys.Items) != 2 || keys.Items[0].ID != key2ID || keys.Items[0].OrgName != "祖庙街道" || keys.Items[0].Rate != 30 ||
		keys.Items[0].Note != "祖庙试点" || keys.Items[0].Key != nil || keys.Items[0].LastUsedAt != nil ||
		!strings.HasPrefix(key2, keys.Items[0].Prefix) || keys.Items[0].IntegratorNam != "12345 热线" {
		t.Fatalf("keys %+v", keys.Items)
	}

	// A key is revoked through its own integrator only.
	e.Do("POST", fmt.Sprintf("/api/v1/admin/integrators/%d/keys/%d/revoke", second, key2ID), w.admin, nil).MustErr(t, 404, "not_found")
	e.Do("POST", base+"/keys/abc/revoke", w.admin, nil).MustErr(t, 400, "invalid_argument")
	r := e.Do("POST", fmt.Sprintf("%s/keys/%d/revoke", base, key2ID), w.admin, nil).Must(t, 200).M(t)
	if r["status"] != "revoked" || r["revoked_at"] == nil {
		t.Fatalf("revoked %v", r)
	}
	var list struct {
		Items []struct {
			ID         int64   `json:"id"`
			Name       string  `json:"name"`
			ActiveKeys int     `json:"active_keys"`
			LastUsedAt *string `json:"last_used_at"`
		} `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
	e.Do("GET", "/api/v1/admin/integrators?page_size=1", w.admin, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != w.integratorID || list.Items[0].ActiveKeys != 1 || list.NextCursor == "" {
		t.Fatalf("page 1 %+v", list)
	}
	e.Do("GET", "/api/v1/admin/integrators?page_size=1&cursor="+list.NextCursor, w.admin, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != second || list.Items[0].ActiveKeys != 0 {
		t.Fatalf("page 2 %+v", list)
	}
	e.Do("GET", "/api/v1/admin/integrators/999999", w.admin, nil).MustErr(t, 404, "not_found")

	// Issues and revocations are audited.
	for _, action := range []string{"integrator.create", "api_key.issue", "api_key.revoke"} {
		items := e.Do("GET", "/api/v1/admin/audit-logs?action="+action, w.admin, nil).Must(t, 200).M(t)["items"].([]any)
		if len(items) == 0 {
			t.Errorf("no audit row for %s", action)
		}
		if strings.Contains(fmt.Sprint(items), key2) {
			t.Errorf("audit of %s holds the key", action)
		}
	}
}

func TestServiceDefinitionAdmin(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	p := fmt.Sprintf("/api/v1/admin/categories/%d/attributes", w.categoryID)
	bad := []any{
		map[string]any{},
		map[string]any{"attributes": []map[string]any{{"code": "a b", "datatype": "string", "description": "x"}}},
		map[string]any{"attributes": []map[string]any{{"code": "a", "datatype": "colour", "description": "x"}}},
		map[string]any{"attributes": []map[string]any{{"code": "a", "datatype": "string", "description": ""}}},
		map[string]any{"attributes": []map[string]any{{"code": "a", "datatype": "singlevaluelist", "description": "x"}}},
		map[string]any{"attributes": []map[string]any{{"code": "a", "datatype": "string", "description": "x",
			"values": []map[string]string{{"key": "k", "name": "n"}}}}},
		map[string]any{"attributes": []map[string]any{{"code": "a", "datatype": "string", "description": "x"},
			{"code": "a", "datatype": "number", "description": "y"}}},
		map[string]any{"attributes": []map[string]any{{"code": "a", "datatype": "string", "description": "x", "variable": false, "required": true}}},
	}
	for _, b := range bad {
		e.Do("PUT", p, w.admin, b).MustErr(t, 400, "invalid_argument")
	}
	e.Do("PUT", "/api/v1/admin/categories/999999/attributes", w.admin, roadsDefinition).MustErr(t, 404, "not_found")
	e.Do("PUT", p, w.admin, roadsDefinition).Must(t, 200)
	got := e.Do("GET", p, w.admin, nil).Must(t, 200).M(t)["items"].([]any)
	if len(got) != 6 || got[0].(map[string]any)["code"] != "kind" || got[5].(map[string]any)["variable"] != false {
		t.Fatalf("definition %v", got)
	}
	// Emptied: the service has no definition again.
	e.Do("PUT", p, w.admin, map[string]any{"attributes": []any{}}).Must(t, 200)
	o311Call(t, e, "GET", "/open311/v2/services/roads.json", nil).mustErr(t, 404)
}
