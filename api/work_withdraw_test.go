package api_test

import (
	"fmt"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

// TestClosingWithdrawsOpenInvitations: when an item is resolved (or rejected)
// before the invited department answered, its open invitations are withdrawn,
// leave the department's open count, and the step is on the internal timeline.
func TestClosingWithdrawsOpenInvitations(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	invite := func(id int64) {
		w.do(w.cadre, id, "accept", map[string]any{}).Must(t, 200)
		w.do(w.cadre, id, "invite", map[string]any{"department_id": w.dept, "message": "请协助核查", "due_date": "2027-01-15"}).Must(t, 200)
	}
	resolved, answered := w.item(t, "小区排水管道堵塞多日"), w.item(t, "楼顶防水层破损漏雨")
	invite(resolved)
	invite(answered)
	var inv struct {
		Items []struct {
			ID        int64  `json:"id"`
			RequestID int64  `json:"request_id"`
			Status    string `json:"status"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/work/invitations", w.deptStaff, nil).Must(t, 200).Decode(t, &inv)
	ids := map[int64]int64{}
	for _, it := range inv.Items {
		ids[it.RequestID] = it.ID
	}
	e.Do("POST", fmt.Sprintf("/api/v1/work/invitations/%d/reply", ids[answered]), w.deptStaff, map[string]any{"message": "已安排维修"}).Must(t, 200)

	if n := openCount(t, e, w.deptStaff); n != 1 {
		t.Fatalf("open invitations before closing: %d", n)
	}
	w.do(w.cadre, resolved, "resolve", map[string]any{"result": "已疏通"}).Must(t, 200)
	w.do(w.cadre, answered, "resolve", map[string]any{"result": "已修复"}).Must(t, 200)

	e.Do("GET", "/api/v1/work/invitations", w.deptStaff, nil).Must(t, 200).Decode(t, &inv)
	status := map[int64]string{}
	for _, it := range inv.Items {
		status[it.RequestID] = it.Status
	}
	if status[resolved] != "withdrawn" || status[answered] != "replied" {
		t.Fatalf("invitation states %v", status)
	}
	e.Do("POST", fmt.Sprintf("/api/v1/work/invitations/%d/reply", ids[resolved]), w.deptStaff, map[string]any{"message": "迟到的答复"}).
		MustErr(t, 409, "invalid_transition")
	detail := e.Do("GET", fmt.Sprintf("/api/v1/work/requests/%d", resolved), w.cadre, nil).Must(t, 200)
	if !strings.Contains(string(detail.Raw), "invite_withdraw") {
		t.Fatalf("no withdrawal on the timeline: %s", detail.Raw)
	}
	if strings.Contains(string(e.Do("GET", fmt.Sprintf("/api/v1/my/requests/%d", resolved), w.resident, nil).Must(t, 200).Raw), "invite_withdraw") {
		t.Fatal("the resident sees an internal step")
	}
	if n := openCount(t, e, w.deptStaff); n != 0 {
		t.Fatalf("withdrawn invitations still counted open: %d", n)
	}
}

func openCount(t *testing.T, e *testutil.Env, tok string) int64 {
	var sum struct {
		Open int64 `json:"open"`
	}
	e.Do("GET", "/api/v1/work/invitations/summary", tok, nil).Must(t, 200).Decode(t, &sum)
	return sum.Open
}
