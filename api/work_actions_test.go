package api_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

type actionsView struct {
	Status  string   `json:"status"`
	CanAct  bool     `json:"can_act"`
	Actions []string `json:"actions"`
}

// The item detail names the actions its state allows the caller, so clients
// show exactly the buttons the server would accept; every one named is
// accepted, and an invited department (read only) gets none.
func TestWorkDetailNamesTheAllowedActions(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	id := w.item(t, "小区路灯坏了三盏，晚上很黑")
	get := func(tok string) actionsView {
		var v actionsView
		e.Do("GET", path("/api/v1/work/requests/%d", id), tok, nil).Must(t, 200).Decode(t, &v)
		return v
	}
	expect := func(tok string, acts ...string) {
		t.Helper()
		v := get(tok)
		if acts == nil {
			acts = []string{}
		}
		if v.Actions == nil {
			v.Actions = []string{}
		}
		if !reflect.DeepEqual(v.Actions, acts) {
			t.Fatalf("%s: actions %v, want %v", v.Status, v.Actions, acts)
		}
	}
	expect(w.cadre, "accept", "reject", "progress", "transfer", "assign")
	// An action not named is refused by the state machine.
	w.do(w.cadre, id, "resolve", map[string]any{"result": "已修好"}).MustErr(t, 409, "invalid_transition")

	w.do(w.cadre, id, "accept", map[string]any{}).Must(t, 200)
	expect(w.cadre, "progress", "invite", "resolve", "respond", "park", "transfer", "assign")
	due := time.Now().AddDate(0, 0, 7).Format("2006-01-02")
	w.do(w.cadre, id, "invite", map[string]any{"department_id": w.dept, "message": "请协助排查线路", "due_date": due}).Must(t, 200)

	if v := get(w.deptStaff); v.CanAct || len(v.Actions) != 0 {
		t.Fatalf("invited department: can_act %v, actions %v", v.CanAct, v.Actions)
	}

	review := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	w.do(w.cadre, id, "park", map[string]any{"plan": "纳入改造计划", "review_date": review}).Must(t, 200)
	expect(w.cadre, "progress", "invite", "resolve", "respond", "resume", "transfer", "assign")
	w.do(w.cadre, id, "respond", map[string]any{"result": fmt.Sprintf("已纳入%s改造计划", review)}).Must(t, 200)
	expect(w.cadre)
}

// The detail's action_items are the actions with the labels a button shows;
// only 不予受理 is destructive.
func TestWorkDetailLabelsItsActions(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	id := w.item(t, "楼道里的灯坏了，晚上看不见台阶")
	var v struct {
		Actions     []string `json:"actions"`
		ActionItems []struct {
			Action      string `json:"action"`
			Label       string `json:"label"`
			Destructive bool   `json:"destructive"`
		} `json:"action_items"`
	}
	e.Do("GET", path("/api/v1/work/requests/%d", id), w.cadre, nil).Must(t, 200).Decode(t, &v)
	want := map[string]string{"accept": "受理", "reject": "不予受理", "progress": "进展记录", "transfer": "转办", "assign": "指派"}
	if len(v.ActionItems) != len(v.Actions) {
		t.Fatalf("action_items %v for actions %v", v.ActionItems, v.Actions)
	}
	for i, it := range v.ActionItems {
		if it.Action != v.Actions[i] || it.Label != want[it.Action] || it.Destructive != (it.Action == "reject") {
			t.Errorf("item %d: %+v", i, it)
		}
	}
}
