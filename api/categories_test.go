package api_test

import (
	"testing"

	"zhilian/internal/testutil"
)

type categoryView struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Code        string `json:"code"`
	AcceptDays  int    `json:"accept_days"`
	ResolveDays int    `json:"resolve_days"`
	Priority    bool   `json:"priority"`
	Active      bool   `json:"active"`
}

func publicCategories(t *testing.T, e *testutil.Env) map[string]categoryView {
	t.Helper()
	var out struct {
		Items []categoryView `json:"items"`
	}
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &out)
	m := map[string]categoryView{}
	for _, c := range out.Items {
		m[c.Code] = c
	}
	return m
}

func TestCategoriesSeededAndCRUD(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	seeded := publicCategories(t, e)
	priority := 0
	for _, cat := range seeded {
		if cat.Priority {
			priority++
		}
		if cat.AcceptDays < 1 || cat.ResolveDays < cat.AcceptDays {
			t.Errorf("seeded limits %+v", cat)
		}
	}
	if len(seeded) != 15 || priority != 6 || seeded["reserved_land"].Name != "历史留用地" || seeded["other"].Name != "其他" {
		t.Fatalf("seeded categories: %d (%d priority)", len(seeded), priority)
	}

	body := map[string]any{"name": "噪音扰民", "code": "noise", "accept_days": 1, "resolve_days": 7}
	var cat categoryView
	e.Do("POST", "/api/v1/admin/categories", c.admin, body).Must(t, 201).Decode(t, &cat)
	if !cat.Active || cat.Code != "noise" {
		t.Fatalf("created %+v", cat)
	}
	e.Do("POST", "/api/v1/admin/categories", c.admin, body).MustErr(t, 409, "already_exists")
	e.Do("PATCH", path("/api/v1/admin/categories/%d", cat.ID), c.admin, map[string]any{"resolve_days": 10}).Must(t, 200).Decode(t, &cat)
	if cat.ResolveDays != 10 || cat.AcceptDays != 1 {
		t.Fatalf("updated %+v", cat)
	}
	e.Do("GET", path("/api/v1/admin/categories/%d", cat.ID), c.admin, nil).Must(t, 200)

	// Deactivated: gone from the picker and refused for new requests.
	e.Do("PATCH", path("/api/v1/admin/categories/%d", cat.ID), c.admin, map[string]any{"active": false}).Must(t, 200)
	if _, ok := publicCategories(t, e)["noise"]; ok {
		t.Fatal("an inactive category is offered to residents")
	}
	_, tok := e.Resident(testutil.UniqueCode("cat"))
	e.Do("POST", "/api/v1/my/requests", tok, map[string]any{"category_id": cat.ID, "content": "楼上装修太吵",
		"community_id": c.comm}).MustErr(t, 400, "invalid_argument")

	// A used category cannot be deleted; an unused one can.
	submit(t, e, tok, c.submitBody("用过的类别"))
	e.Do("DELETE", path("/api/v1/admin/categories/%d", c.categoryID), c.admin, nil).MustErr(t, 409, "conflict")
	e.Do("DELETE", path("/api/v1/admin/categories/%d", cat.ID), c.admin, nil).Must(t, 200)
	e.Do("GET", path("/api/v1/admin/categories/%d", cat.ID), c.admin, nil).MustErr(t, 404, "not_found")
	e.Do("DELETE", path("/api/v1/admin/categories/%d", cat.ID), c.admin, nil).MustErr(t, 404, "not_found")

	for name, b := range map[string]any{
		"missing fields":        map[string]any{"name": "缺字段"},
		"accept 0":              map[string]any{"name": "甲", "code": "jia", "accept_days": 0, "resolve_days": 5},
		"resolve before accept": map[string]any{"name": "乙", "code": "yi", "accept_days": 5, "resolve_days": 2},
		"bad code":              map[string]any{"name": "丙", "code": "Bad Code", "accept_days": 1, "resolve_days": 2},
		"wrong type":            map[string]any{"name": "丁", "code": "ding", "accept_days": "one", "resolve_days": 2},
	} {
		if r := e.Do("POST", "/api/v1/admin/categories", c.admin, b); r.Status != 400 {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
}

func TestCategoriesAuthorization(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, cadre := e.Staff(c.admin, c.town, "cadre", "cat_cadre")
	_, districtAdmin := e.Staff(c.admin, c.district, "admin", "cat_district")
	_, resident := e.Resident(testutil.UniqueCode("catauth"))
	body := map[string]any{"name": "新类别", "code": "new_kind", "accept_days": 1, "resolve_days": 5}
	for name, tok := range map[string]string{"cadre": cadre, "resident": resident} {
		if r := e.Do("GET", "/api/v1/admin/categories", tok, nil); r.Status != 403 {
			t.Errorf("%s list: %d", name, r.Status)
		}
		if r := e.Do("POST", "/api/v1/admin/categories", tok, body); r.Status != 403 {
			t.Errorf("%s create: %d", name, r.Status)
		}
	}
	// A district admin reads the city's categories but does not change them.
	e.Do("GET", "/api/v1/admin/categories", districtAdmin, nil).Must(t, 200)
	e.Do("POST", "/api/v1/admin/categories", districtAdmin, body).MustErr(t, 403, "forbidden")
	e.Do("PATCH", path("/api/v1/admin/categories/%d", c.categoryID), districtAdmin, map[string]any{"active": false}).MustErr(t, 403, "forbidden")
	e.Do("DELETE", path("/api/v1/admin/categories/%d", c.categoryID), districtAdmin, nil).MustErr(t, 403, "forbidden")
	e.Do("POST", "/api/v1/admin/categories", "", body).MustErr(t, 401, "unauthorized")
}
