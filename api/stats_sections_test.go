package api_test

import (
	"fmt"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// TestStatsPointAndDepartmentSections checks the per-point ledger and the
// per-department invitation figures against a session and invitations made
// through the API.
func TestStatsPointAndDepartmentSections(t *testing.T) {
	t.Parallel()
	l := newLiaison(t)
	e := l.e
	_, cadre := e.Staff(l.admin, l.town, "cadre", "sec_cadre")
	dept := e.Org(l.admin, l.district, "department", "禅城区人力资源和社会保障局")
	_, deptTok := e.Staff(l.admin, dept, "cadre", "sec_dept")
	s1, s2 := l.session(t, "2026-09-22"), l.session(t, "2026-09-29")
	var codes []string
	for i := 0; i < 3; i++ {
		_, tok := e.Resident(testutil.UniqueCode("sec"))
		codes = append(codes, l.book(t, tok, s1.Slots[i].ID, "").Code)
	}
	_, late := e.Resident(testutil.UniqueCode("sec"))
	l.book(t, late, s2.Slots[0].ID, "")
	e.Do("POST", fmt.Sprintf("/api/v1/admin/sessions/%d/cancel", s2.ID), l.admin, map[string]string{"reason": "台风"}).Must(t, 200)

	var cats struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &cats)
	l.clock.Set(time.Date(2026, 9, 22, 9, 30, 0, 0, sep20.Location()))
	path := fmt.Sprintf("/api/v1/work/sessions/%d", s1.ID)
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": codes[0]}).Must(t, 200)
	e.Do("POST", path+"/checkin", cadre, map[string]string{"code": codes[1]}).Must(t, 200)
	walk := func(body map[string]any) int64 {
		body["category_id"] = cats.Items[0].ID
		return e.Do("POST", path+"/walk-ins", cadre, body).Must(t, 201).ID(t)
	}
	booked := walk(map[string]any{"content": "小区电梯长期故障", "booking_code": codes[0]})
	solved := walk(map[string]any{"content": "咨询社保转移手续", "name": "张先生"})
	invited := walk(map[string]any{"content": "工伤认定迟迟没有结果", "name": "刘女士", "residency": "non_hukou"})
	act := func(id int64, action string, body any) *testutil.Resp {
		return e.Do("POST", fmt.Sprintf("/api/v1/work/requests/%d/%s", id, action), cadre, body).Must(t, 200)
	}
	act(solved, "accept", map[string]any{})
	act(solved, "respond", map[string]any{"result": "已现场解答转移流程"})
	for _, id := range []int64{invited, booked} {
		act(id, "accept", map[string]any{})
		act(id, "invite", map[string]any{"department_id": dept, "message": "请协助核查", "due_date": "2026-09-25"})
	}
	e.Do("POST", path+"/close", cadre, map[string]string{"summary": "收集 3 条"}).Must(t, 200)

	// The department answers one invitation and leaves the other open past its due date.
	var inv struct {
		Items []struct {
			ID        int64 `json:"id"`
			RequestID int64 `json:"request_id"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/work/invitations", deptTok, nil).Must(t, 200).Decode(t, &inv)
	if len(inv.Items) != 2 {
		t.Fatalf("invitations = %+v", inv.Items)
	}
	for _, it := range inv.Items {
		if it.RequestID == invited {
			e.Do("POST", fmt.Sprintf("/api/v1/work/invitations/%d/accept", it.ID), deptTok, map[string]any{}).Must(t, 200)
			e.Do("POST", fmt.Sprintf("/api/v1/work/invitations/%d/reply", it.ID), deptTok, map[string]any{"message": "已受理工伤认定"}).Must(t, 200)
		}
	}

	l.clock.Set(time.Date(2026, 9, 30, 10, 0, 0, 0, sep20.Location()))
	admin := e.AdminToken() // the first sign-in has expired by now
	r := e.Do("GET", fmt.Sprintf("/api/v1/admin/stats?org_id=%d&from=2026-09-01&to=2026-10-01", l.district), admin, nil).Must(t, 200).M(t)
	sections := map[string][]any{}
	for _, s := range r["sections"].([]any) {
		m := s.(map[string]any)
		sections[m["key"].(string)] = m["rows"].([]any)
	}
	// point, name, held, cancelled, booked, checked in, no-shows, walk-ins, collected, solved on the spot
	want := fmt.Sprintf("[[%d 莲花社区党群服务中心 1 1 3 2 1 2 3 1]]", l.point)
	if got := fmt.Sprint(sections["by_point"]); got != want {
		t.Fatalf("by_point = %s, want %s", got, want)
	}
	// department, name, received, answered, declined, open, overdue
	want = fmt.Sprintf("[[%d 禅城区人力资源和社会保障局 2 1 0 1 1]]", dept)
	if got := fmt.Sprint(sections["by_department"]); got != want {
		t.Fatalf("by_department = %s, want %s", got, want)
	}
	// A sibling district sees neither.
	other := e.Org(admin, e.RootOrgID(), "district", "高明区")
	r = e.Do("GET", fmt.Sprintf("/api/v1/admin/stats?org_id=%d&from=2026-09-01&to=2026-10-01", other), admin, nil).Must(t, 200).M(t)
	for _, s := range r["sections"].([]any) {
		if rows := s.(map[string]any)["rows"].([]any); len(rows) != 0 {
			t.Fatalf("sibling district sees %v", s)
		}
	}
}
