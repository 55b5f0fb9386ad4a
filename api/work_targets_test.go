package api_test

import (
	"sort"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

type targetsOut struct {
	Assignees []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"assignees"`
	Transfer []struct {
		ID   int64  `json:"id"`
		Kind string `json:"kind"`
	} `json:"transfer"`
	Departments []struct {
		ID int64 `json:"id"`
	} `json:"departments"`
}

func idSet[T any](list []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, x := range list {
		out = append(out, id(x))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// The targets offered for assign, transfer and invite are exactly the ones
// the actions accept: every offered one works, the others are refused.
func TestWorkTargetsAreWhatTheActionsAccept(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	cityDept := e.Org(w.admin, e.RootOrgID(), "department", "市自然资源局")
	disabledID, _ := e.Staff(w.admin, w.town, "cadre", "town_gone")
	e.Do("POST", path("/api/v1/admin/accounts/%d/disable", disabledID), w.admin, nil).Must(t, 200)

	id := w.item(t, "楼道里堆满杂物，存在消防隐患")
	var got targetsOut
	e.Do("GET", path("/api/v1/work/requests/%d/targets", id), w.cadre, nil).Must(t, 200).Decode(t, &got)

	assignees := idSet(got.Assignees, func(a struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}) int64 {
		return a.ID
	})
	want := []int64{w.cadreID, w.adminID}
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	if len(assignees) != 2 || assignees[0] != want[0] || assignees[1] != want[1] {
		t.Fatalf("assignees %v, want %v (the disabled %d left out)", assignees, want, disabledID)
	}
	depts := idSet(got.Departments, func(d struct {
		ID int64 `json:"id"`
	}) int64 {
		return d.ID
	})
	wantDepts := []int64{w.dept, cityDept}
	sort.Slice(wantDepts, func(i, j int) bool { return wantDepts[i] < wantDepts[j] })
	if len(depts) != 2 || depts[0] != wantDepts[0] || depts[1] != wantDepts[1] {
		t.Fatalf("departments %v, want %v (not %d of another district)", depts, wantDepts, w.foreignDept)
	}
	offered := map[int64]bool{}
	for _, o := range got.Transfer {
		offered[o.ID] = true
		if o.Kind != "town" && o.Kind != "community" {
			t.Fatalf("transfer target of kind %s", o.Kind)
		}
	}
	if offered[w.town] || !offered[w.otherTown] || !offered[w.comm] || !offered[w.otherComm] || offered[w.dept] {
		t.Fatalf("transfer targets %v", got.Transfer)
	}

	// Every offered target is accepted; one not offered is refused.
	w.do(w.cadre, id, "assign", map[string]any{"account_id": w.adminID}).Must(t, 200)
	w.do(w.cadre, id, "assign", map[string]any{"account_id": disabledID}).MustErr(t, 400, "invalid_argument")
	w.do(w.cadre, id, "accept", nil).Must(t, 200)
	due := time.Now().AddDate(0, 0, 5).Format("2006-01-02")
	for _, d := range got.Departments {
		w.do(w.cadre, id, "invite", map[string]any{"department_id": d.ID, "message": "请协助", "due_date": due}).Must(t, 200)
	}
	w.do(w.cadre, id, "invite", map[string]any{"department_id": w.foreignDept, "message": "请协助", "due_date": due}).MustErr(t, 400, "invalid_argument")

	// An invited department may look but has no targets.
	e.Do("GET", path("/api/v1/work/requests/%d/targets", id), w.deptStaff, nil).MustErr(t, 403, "forbidden")
	// Another town's cadre does not see the item at all.
	e.Do("GET", path("/api/v1/work/requests/%d/targets", id), w.other, nil).MustErr(t, 404, "not_found")

	w.do(w.cadre, id, "transfer", map[string]any{"org_id": w.comm, "note": "由社区跟进"}).Must(t, 200)
}
