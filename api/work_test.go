package api_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
)

// workWorld is newCity plus staff: a cadre and an admin of the town, a cadre
// of the other town, a district department with a staff member, and a
// department of another district.
type workWorld struct {
	city
	e                      *testutil.Env
	cadreID, adminID       int64
	cadre, townAdmin       string
	other                  string
	dept, deptStaffID      int64
	deptStaff              string
	foreignDept            int64
	residentID             int64
	resident, residentCode string
}

func newWorkWorld(t *testing.T, e *testutil.Env) *workWorld {
	t.Helper()
	w := &workWorld{city: newCity(t, e), e: e}
	w.cadreID, w.cadre = e.Staff(w.admin, w.town, "cadre", "town_cadre")
	w.adminID, w.townAdmin = e.Staff(w.admin, w.town, "admin", "town_admin")
	_, w.other = e.Staff(w.admin, w.otherTown, "cadre", "other_cadre")
	w.dept = e.Org(w.admin, w.district, "department", "禅城区住建局")
	w.deptStaffID, w.deptStaff = e.Staff(w.admin, w.dept, "cadre", "dept_staff")
	otherDistrict := e.Org(w.admin, e.RootOrgID(), "district", "南海区")
	w.foreignDept = e.Org(w.admin, otherDistrict, "department", "南海区住建局")
	w.residentCode = testutil.UniqueCode("ww")
	w.residentID, w.resident = e.Resident(w.residentCode)
	return w
}

// item submits a resident request in the town's first community.
func (w *workWorld) item(t *testing.T, content string) int64 {
	t.Helper()
	return submit(t, w.e, w.resident, w.submitBody(content))
}

type workView struct {
	ID            int64   `json:"id"`
	Number        string  `json:"number"`
	Status        string  `json:"status"`
	Source        string  `json:"source"`
	HandlingOrgID int64   `json:"handling_org_id"`
	AssigneeID    *int64  `json:"assignee_id"`
	DueAt         *string `json:"due_at"`
	AcceptDueAt   string  `json:"accept_due_at"`
	ResolveDueAt  string  `json:"resolve_due_at"`
	Overdue       bool    `json:"overdue"`
	DueSoon       bool    `json:"due_soon"`
	DuplicateOf   *int64  `json:"duplicate_of"`
	CanAct        bool    `json:"can_act"`
	Result        *string `json:"result"`
	Photos        []struct {
		ID    int64  `json:"id"`
		URL   string `json:"url"`
		Stage string `json:"stage"`
	} `json:"photos"`
	Contact struct {
		Name        string `json:"name"`
		Phone       string `json:"phone"`
		PhoneMasked bool   `json:"phone_masked"`
	} `json:"contact"`
	Invitations []invView `json:"invitations"`
	Timeline    []struct {
		Action     string `json:"action"`
		FromStatus string `json:"from_status"`
		ToStatus   string `json:"to_status"`
		Note       string `json:"note"`
		Visibility string `json:"visibility"`
		ActorName  string `json:"actor_name"`
		Detail     string `json:"detail"`
	} `json:"timeline"`
}

type invView struct {
	ID             int64   `json:"id"`
	RequestID      int64   `json:"request_id"`
	RequestNumber  string  `json:"request_number"`
	DepartmentID   int64   `json:"department_id"`
	DepartmentName string  `json:"department_name"`
	Status         string  `json:"status"`
	Message        string  `json:"message"`
	Reply          *string `json:"reply"`
	DeclineReason  *string `json:"decline_reason"`
	SessionID      *int64  `json:"session_id"`
	DueDate        string  `json:"due_date"`
	Overdue        bool    `json:"overdue"`
}

func wv(t *testing.T, r *testutil.Resp) workView {
	t.Helper()
	var v workView
	r.Decode(t, &v)
	return v
}

// do posts an action on a work item.
func (w *workWorld) do(tok string, id int64, action string, body any) *testutil.Resp {
	return w.e.Do("POST", path("/api/v1/work/requests/%d/%s", id, action), tok, body)
}

// inbox lists the ids an inbox query returns (one page of 50).
func (w *workWorld) inbox(t *testing.T, tok, query string) []workView {
	t.Helper()
	var page struct {
		Items []workView `json:"items"`
	}
	w.e.Do("GET", "/api/v1/work/requests?page_size=50&"+query, tok, nil).Must(t, 200).Decode(t, &page)
	return page.Items
}

func ids(items []workView) []int64 {
	out := []int64{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func has(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

func actions(v workView) []string {
	var out []string
	for _, e := range v.Timeline {
		out = append(out, e.Action)
	}
	return out
}

func TestWorkJurisdictionBothWays(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	mine := w.item(t, "本镇街的诉求内容")
	body := w.submitBody("另一镇街的诉求内容")
	body["community_id"] = w.otherComm
	theirs := submit(t, e, w.resident, body)

	got := ids(w.inbox(t, w.cadre, ""))
	if !has(got, mine) || has(got, theirs) {
		t.Fatalf("town cadre's inbox %v (mine %d, theirs %d)", got, mine, theirs)
	}
	got = ids(w.inbox(t, w.other, ""))
	if has(got, mine) || !has(got, theirs) {
		t.Fatalf("other town's inbox %v", got)
	}
	if got = ids(w.inbox(t, w.admin, "")); !has(got, mine) || !has(got, theirs) {
		t.Fatalf("city admin's inbox %v", got)
	}
	if got = ids(w.inbox(t, w.deptStaff, "")); len(got) != 0 {
		t.Fatalf("a department's inbox holds items it was not invited on: %v", got)
	}
	e.Do("GET", path("/api/v1/work/requests/%d", theirs), w.cadre, nil).MustErr(t, 404, "not_found")
	e.Do("GET", path("/api/v1/work/requests/%d", mine), w.other, nil).MustErr(t, 404, "not_found")
	e.Do("GET", path("/api/v1/work/requests/%d", mine), w.deptStaff, nil).MustErr(t, 404, "not_found")
	w.do(w.cadre, theirs, "accept", nil).MustErr(t, 404, "not_found")
	w.do(w.other, mine, "reject", map[string]any{"reason": "不归我管"}).MustErr(t, 404, "not_found")
	e.Do("GET", "/api/v1/work/requests/999999", w.cadre, nil).MustErr(t, 404, "not_found")
	if v := wv(t, e.Do("GET", path("/api/v1/work/requests/%d", mine), w.cadre, nil).Must(t, 200)); !v.CanAct || v.ID != mine {
		t.Fatalf("detail %+v", v)
	}

	// Residents never reach /work; nobody unsigned does.
	e.Do("GET", "/api/v1/work/requests", w.resident, nil).MustErr(t, 403, "forbidden")
	e.Do("GET", path("/api/v1/work/requests/%d", mine), w.resident, nil).MustErr(t, 403, "forbidden")
	w.do(w.resident, mine, "accept", nil).MustErr(t, 403, "forbidden")
	e.Do("GET", "/api/v1/work/invitations", w.resident, nil).MustErr(t, 403, "forbidden")
	e.Do("GET", "/api/v1/work/requests", "", nil).MustErr(t, 401, "unauthorized")
}

func TestWorkEveryTransitionAndIllegalOnes(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newWorkWorld(t, e)
	id := w.item(t, "小区路灯坏了两周")

	// Illegal from submitted.
	for _, a := range []struct {
		action string
		body   any
	}{
		{"resolve", map[string]any{"result": "已修复"}}, {"respond", map[string]any{"result": "已答复"}},
		{"park", map[string]any{"plan": "分期", "review_date": "2026-12-31"}}, {"resume", nil},
		{"invite", map[string]any{"department_id": w.dept, "message": "请协助", "due_date": "2026-12-01"}},
	} {
		w.do(w.cadre, id, a.action, a.body).MustErr(t, 409, "invalid_transition")
	}
	w.do(w.cadre, id, "progress", map[string]any{"note": "内部：先电话联系", "public": false}).Must(t, 200)
	w.do(w.cadre, id, "assign", map[string]any{"account_id": w.cadreID}).Must(t, 200)
	v := wv(t, w.do(w.cadre, id, "accept", map[string]any{"note": "已受理，安排维修"}).Must(t, 200))
	if v.Status != "accepted" || v.AssigneeID == nil || *v.AssigneeID != w.cadreID {
		t.Fatalf("accepted %+v", v)
	}
	w.do(w.cadre, id, "accept", nil).MustErr(t, 409, "invalid_transition")
	w.do(w.cadre, id, "reject", map[string]any{"reason": "重复"}).MustErr(t, 409, "invalid_transition")
	w.do(w.cadre, id, "resume", nil).MustErr(t, 409, "invalid_transition")
	w.do(w.cadre, id, "progress", map[string]any{"note": "已联系施工队，明天到场", "public": true}).Must(t, 200)
	v = wv(t, w.do(w.cadre, id, "park", map[string]any{"plan": "需列入明年改造计划", "review_date": "2026-12-15"}).Must(t, 200))
	if v.Status != "long_term" || v.DueAt == nil || !strings.HasPrefix(*v.DueAt, "2026-12-15T23:59:59") {
		t.Fatalf("parked %+v", v)
	}
	w.do(w.cadre, id, "park", map[string]any{"plan": "再挂", "review_date": "2026-12-20"}).MustErr(t, 409, "invalid_transition")
	w.do(w.cadre, id, "resume", map[string]any{"note": "资金到位"}).Must(t, 200)
	img := uploadFile(e, w.cadre, "fixed.jpg", jpegImage(t, 20, 20, false)).Must(t, 201).ID(t)
	v = wv(t, w.do(w.cadre, id, "resolve", map[string]any{"result": "路灯已更换", "image_ids": []int64{img}}).Must(t, 200))
	if v.Status != "resolved" || v.Result == nil || len(v.Photos) != 1 || v.Photos[0].Stage != "result" || v.DueAt != nil {
		t.Fatalf("resolved %+v", v)
	}
	w.do(w.cadre, id, "resolve", map[string]any{"result": "再次"}).MustErr(t, 409, "invalid_transition")
	w.do(w.cadre, id, "progress", map[string]any{"note": "已办结后补记"}).MustErr(t, 409, "invalid_transition")
	w.do(w.cadre, id, "transfer", map[string]any{"org_id": w.otherTown, "note": "转"}).MustErr(t, 409, "invalid_transition")
	want := []string{"submit", "progress", "assign", "accept", "progress", "park", "resume", "resolve"}
	if got := actions(v); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("timeline %v", got)
	}

	// The resident sees public steps only, and the result photo.
	var mine reqView
	e.Do("GET", path("/api/v1/my/requests/%d", id), w.resident, nil).Must(t, 200).Decode(t, &mine)
	var pub []string
	for _, ev := range mine.Timeline {
		pub = append(pub, ev.Action+":"+ev.Note)
	}
	joined := strings.Join(pub, "|")
	if strings.Contains(joined, "内部") || strings.Contains(joined, "assign") || !strings.Contains(joined, "已联系施工队") ||
		!strings.Contains(joined, "路灯已更换") || len(mine.ImageIDs) != 1 {
		t.Fatalf("resident's timeline %s, images %v", joined, mine.ImageIDs)
	}
	e.Do("GET", path("/api/v1/uploads/%d", img), w.resident, nil).Must(t, 200)

	// respond from long_term; reject as a duplicate; transfer keeps the clock.
	second := w.item(t, "同一盏路灯又坏了")
	w.do(w.cadre, second, "reject", map[string]any{"reason": "重复", "duplicate_of": 999999}).MustErr(t, 400, "invalid_argument")
	w.do(w.cadre, second, "reject", map[string]any{"reason": "重复", "duplicate_of": second}).MustErr(t, 400, "invalid_argument")
	v = wv(t, w.do(w.cadre, second, "reject", map[string]any{"reason": "与前一件重复", "duplicate_of": id}).Must(t, 200))
	if v.Status != "rejected" || v.DuplicateOf == nil || *v.DuplicateOf != id {
		t.Fatalf("rejected %+v", v)
	}
	third := w.item(t, "需要长期跟进的事项")
	w.do(w.cadre, third, "accept", nil).Must(t, 200)
	w.do(w.cadre, third, "park", map[string]any{"plan": "分期推进", "review_date": "2027-01-10"}).Must(t, 200)
	if v = wv(t, w.do(w.cadre, third, "respond", map[string]any{"result": "已答复政策依据"}).Must(t, 200)); v.Status != "responded" {
		t.Fatalf("responded %+v", v)
	}
	fourth := w.item(t, "地址填错了镇街的事项")
	before := wv(t, e.Do("GET", path("/api/v1/work/requests/%d", fourth), w.cadre, nil).Must(t, 200))
	v = wv(t, w.do(w.cadre, fourth, "transfer", map[string]any{"org_id": w.otherTown, "note": "属石湾镇街道"}).Must(t, 200))
	if v.HandlingOrgID != w.otherTown || v.CanAct || v.AcceptDueAt != before.AcceptDueAt || v.Status != "submitted" {
		t.Fatalf("transferred %+v (before %+v)", v, before)
	}
	e.Do("GET", path("/api/v1/work/requests/%d", fourth), w.cadre, nil).MustErr(t, 404, "not_found")
	if !has(ids(w.inbox(t, w.other, "")), fourth) {
		t.Fatal("transferred item not in the new town's inbox")
	}
	w.do(w.other, fourth, "accept", nil).Must(t, 200)
}

func TestWorkTransferAndAssignRules(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	id := w.item(t, "需要转办或指派的事项")
	otherDistrict := e.Org(w.admin, e.RootOrgID(), "district", "顺德区")
	farTown := e.Org(w.admin, otherDistrict, "town", "大良街道")
	w.do(w.cadre, id, "transfer", map[string]any{"org_id": farTown, "note": "跨区"}).MustErr(t, 400, "invalid_argument")
	w.do(w.cadre, id, "transfer", map[string]any{"org_id": w.dept, "note": "部门"}).MustErr(t, 400, "invalid_argument")
	w.do(w.cadre, id, "transfer", map[string]any{"org_id": w.town, "note": "自己"}).MustErr(t, 400, "invalid_argument")
	w.do(w.cadre, id, "transfer", map[string]any{"org_id": 999999, "note": "不存在"}).MustErr(t, 400, "invalid_argument")
	// Another town's cadre, or the department, cannot be the assignee; neither can a disabled cadre.
	otherID := e.Do("GET", "/api/v1/auth/me", w.other, nil).Must(t, 200)
	var me struct {
		Account struct {
			ID int64 `json:"id"`
		} `json:"account"`
	}
	otherID.Decode(t, &me)
	w.do(w.cadre, id, "assign", map[string]any{"account_id": me.Account.ID}).MustErr(t, 400, "invalid_argument")
	w.do(w.cadre, id, "assign", map[string]any{"account_id": w.deptStaffID}).MustErr(t, 400, "invalid_argument")
	idleID, _ := e.Staff(w.admin, w.town, "cadre", "idle_cadre")
	e.Do("POST", path("/api/v1/admin/accounts/%d/disable", idleID), w.admin, nil).Must(t, 200)
	w.do(w.cadre, id, "assign", map[string]any{"account_id": idleID}).MustErr(t, 400, "invalid_argument")
	// The district admin may send it to a town of another district (the city is its parent).
	_, districtAdmin := e.Staff(w.admin, w.district, "admin", "district_admin")
	v := wv(t, w.do(districtAdmin, id, "transfer", map[string]any{"org_id": farTown, "note": "属顺德区"}).Must(t, 200))
	if v.HandlingOrgID != farTown || v.AssigneeID != nil {
		t.Fatalf("transfer by the district %+v", v)
	}
}

func TestWorkConcurrentAcceptOneWins(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	id := w.item(t, "两位干部同时受理的诉求")
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tok := w.cadre
			if i%2 == 1 {
				tok = w.townAdmin
			}
			r := w.do(tok, id, "accept", map[string]any{"note": "受理"})
			statuses[i] = r.Status
			if r.Status == 409 && r.Code != "invalid_transition" {
				t.Errorf("loser got %s", r.Raw)
			}
		}(i)
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case 200:
			won++
		case 409:
		default:
			t.Fatalf("statuses %v", statuses)
		}
	}
	var events int64
	e.App.DB.Table("request_events").Where("request_id = ? AND action = ?", id, "accept").Count(&events)
	if won != 1 || events != 1 {
		t.Fatalf("%d winners, %d accept events (statuses %v)", won, events, statuses)
	}
}

func TestWorkInvitationRoundTrip(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newWorkWorld(t, e)
	ctx := context.Background()
	inviterCode, deptCode := testutil.UniqueCode("inviter"), testutil.UniqueCode("dept")
	e.Do("POST", "/api/v1/auth/wechat/bind", w.cadre, map[string]string{"code": inviterCode}).Must(t, 200)
	e.Do("POST", "/api/v1/auth/wechat/bind", w.deptStaff, map[string]string{"code": deptCode}).Must(t, 200)
	cityDept := e.Org(w.admin, e.RootOrgID(), "department", "市自然资源局")

	id := w.item(t, "排水管道堵塞需住建部门协助")
	invite := func(dept int64, due string) *testutil.Resp {
		return w.do(w.cadre, id, "invite", map[string]any{"department_id": dept, "message": "请协助疏通排水管道", "due_date": due})
	}
	invite(w.dept, "2026-11-30").MustErr(t, 409, "invalid_transition") // not accepted yet
	w.do(w.cadre, id, "accept", nil).Must(t, 200)
	invite(w.foreignDept, "2026-11-30").MustErr(t, 400, "invalid_argument") // another district's department
	invite(w.otherTown, "2026-11-30").MustErr(t, 400, "invalid_argument")   // not a department
	invite(w.dept, "2026-11-01").MustErr(t, 400, "invalid_argument")        // due in the past
	invite(w.dept, "30/11/2026").MustErr(t, 400, "invalid_argument")
	v := wv(t, invite(w.dept, "2026-11-30").Must(t, 200))
	invite(w.dept, "2026-12-01").MustErr(t, 409, "conflict") // one open invitation per department
	invite(cityDept, "2026-12-05").Must(t, 200)              // a city department may be invited too
	if len(v.Invitations) != 1 || v.Invitations[0].Status != "pending" || v.Invitations[0].DepartmentID != w.dept {
		t.Fatalf("invitations on the item %+v", v.Invitations)
	}
	invID := v.Invitations[0].ID

	// The department sees it, open first; the summary counts it on both sides.
	var list struct {
		Items []invView `json:"items"`
	}
	e.Do("GET", "/api/v1/work/invitations", w.deptStaff, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != invID || list.Items[0].RequestNumber == "" || list.Items[0].DepartmentName != "禅城区住建局" {
		t.Fatalf("department's invitations %+v", list.Items)
	}
	e.Do("GET", "/api/v1/work/invitations", w.other, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("another town sees invitations: %+v", list.Items)
	}
	e.Do("GET", "/api/v1/work/invitations?side=outgoing", w.cadre, nil).Must(t, 200).Decode(t, &list)
	if len(list.Items) != 2 {
		t.Fatalf("outgoing %+v", list.Items)
	}
	summary := func(tok string) map[int64]int64 {
		var s struct {
			Items []struct {
				DepartmentID int64 `json:"department_id"`
				Open         int64 `json:"open"`
			} `json:"items"`
		}
		e.Do("GET", "/api/v1/work/invitations/summary", tok, nil).Must(t, 200).Decode(t, &s)
		out := map[int64]int64{}
		for _, it := range s.Items {
			out[it.DepartmentID] = it.Open
		}
		return out
	}
	if s := summary(w.deptStaff); s[w.dept] != 1 || len(s) != 1 {
		t.Fatalf("department's summary %v", s)
	}
	if s := summary(w.cadre); s[w.dept] != 1 || s[cityDept] != 1 {
		t.Fatalf("town's summary %v", s)
	}

	// The department reads the item (read only) but cannot act on it.
	d := wv(t, e.Do("GET", path("/api/v1/work/requests/%d", id), w.deptStaff, nil).Must(t, 200))
	if d.CanAct || d.ID != id {
		t.Fatalf("department's view %+v", d)
	}
	w.do(w.deptStaff, id, "resolve", map[string]any{"result": "部门代办"}).MustErr(t, 403, "forbidden")

	answer := func(tok string, inv int64, action string, body any) *testutil.Resp {
		return e.Do("POST", path("/api/v1/work/invitations/%d/%s", inv, action), tok, body)
	}
	answer(w.other, invID, "accept", nil).MustErr(t, 404, "not_found")
	answer(w.cadre, invID, "accept", nil).MustErr(t, 404, "not_found") // the inviter is not the department
	var inv invView
	answer(w.deptStaff, invID, "accept", map[string]any{}).Must(t, 200).Decode(t, &inv)
	if inv.Status != "accepted" {
		t.Fatalf("accepted %+v", inv)
	}
	answer(w.deptStaff, invID, "accept", nil).MustErr(t, 409, "invalid_transition")
	answer(w.deptStaff, invID, "decline", map[string]any{"reason": "晚了"}).MustErr(t, 409, "invalid_transition")
	answer(w.deptStaff, invID, "reply", map[string]any{"message": "  "}).MustErr(t, 400, "invalid_argument")
	answer(w.deptStaff, invID, "reply", map[string]any{"message": "周二到驻点现场答复", "session_id": 77}).Must(t, 200).Decode(t, &inv)
	if inv.Status != "replied" || inv.Reply == nil || *inv.Reply != "周二到驻点现场答复" || inv.SessionID == nil || *inv.SessionID != 77 {
		t.Fatalf("replied %+v", inv)
	}
	answer(w.deptStaff, invID, "reply", map[string]any{"message": "再回复"}).MustErr(t, 409, "invalid_transition")
	if s := summary(w.deptStaff); s[w.dept] != 0 {
		t.Fatalf("answered invitation still counted: %v", s)
	}

	// Declined path: a new invitation to the same department after the first closed.
	v = wv(t, invite(w.dept, "2026-12-10").Must(t, 200))
	var second int64
	for _, x := range v.Invitations {
		if x.Status == "pending" && x.DepartmentID == w.dept {
			second = x.ID
		}
	}
	answer(w.deptStaff, second, "decline", map[string]any{}).MustErr(t, 400, "invalid_argument")
	answer(w.deptStaff, second, "decline", map[string]any{"reason": "不属于本部门职责"}).Must(t, 200).Decode(t, &inv)
	if inv.Status != "declined" || inv.DeclineReason == nil {
		t.Fatalf("declined %+v", inv)
	}

	// Every step is on the internal timeline; the resident sees none of them.
	d = wv(t, e.Do("GET", path("/api/v1/work/requests/%d", id), w.cadre, nil).Must(t, 200))
	steps := map[string]int{}
	for _, ev := range d.Timeline {
		if strings.HasPrefix(ev.Action, "invite") {
			steps[ev.Action]++
			if ev.Visibility != "internal" {
				t.Fatalf("invitation step is %s", ev.Visibility)
			}
		}
	}
	if steps["invite"] != 3 || steps["invite_accept"] != 1 || steps["invite_reply"] != 1 || steps["invite_decline"] != 1 {
		t.Fatalf("invitation steps %v", steps)
	}
	var mine reqView
	e.Do("GET", path("/api/v1/my/requests/%d", id), w.resident, nil).Must(t, 200).Decode(t, &mine)
	for _, ev := range mine.Timeline {
		if strings.HasPrefix(ev.Action, "invite") {
			t.Fatalf("resident sees %s", ev.Action)
		}
	}

	// Notifications: the department heard of each invitation, the inviter of each answer.
	e.App.Notifier.Drain(ctx)
	e.App.Notifier.Drain(ctx)
	if n := len(e.Wechat.Sent("fake_" + deptCode)); n != 2 {
		t.Fatalf("department got %d invitation_new messages, want 2", n)
	}
	answered := 0
	for _, m := range e.Wechat.Sent("fake_" + inviterCode) {
		if m.TemplateID == "fake-tpl-invitation_answered" {
			answered++
		}
	}
	if answered != 3 {
		t.Fatalf("inviter got %d invitation_answered, want 3", answered)
	}
}

func TestWorkRedoAfterLowRating(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newWorkWorld(t, e)
	id := w.item(t, "楼道垃圾长期无人清理")
	w.do(w.cadre, id, "accept", nil).Must(t, 200)
	w.do(w.cadre, id, "resolve", map[string]any{"result": "已清理"}).Must(t, 200)
	clock.Advance(time.Hour)
	e.Do("POST", path("/api/v1/my/requests/%d/rating", id), w.resident, map[string]any{"score": 2, "comment": "又堆满了", "redo": true}).Must(t, 200)
	v := wv(t, e.Do("GET", path("/api/v1/work/requests/%d", id), w.cadre, nil).Must(t, 200))
	if v.Status != "accepted" || v.DueAt == nil || v.Result != nil {
		t.Fatalf("after redo %+v", v)
	}
	if !has(ids(w.inbox(t, w.cadre, "status=accepted")), id) {
		t.Fatal("reopened item not in the inbox")
	}
	clock.Advance(time.Hour)
	v = wv(t, w.do(w.cadre, id, "resolve", map[string]any{"result": "已清理并安排每日巡查"}).Must(t, 200))
	if v.Status != "resolved" {
		t.Fatalf("resolved again %+v", v)
	}
	e.Do("POST", path("/api/v1/my/requests/%d/rating", id), w.resident, map[string]any{"score": 5}).Must(t, 200)

	// The resident heard: accepted, closed, redo accepted, closed again — each once.
	e.App.Notifier.Drain(context.Background())
	e.App.Notifier.Drain(context.Background())
	got := map[string]int{}
	for _, m := range e.Wechat.Sent("fake_" + w.residentCode) {
		got[strings.TrimPrefix(m.TemplateID, "fake-tpl-")]++
	}
	if got["request_accepted"] != 1 || got["request_closed"] != 2 || got["redo_accepted"] != 1 || len(got) != 3 {
		t.Fatalf("resident's messages %v", got)
	}
}

func TestWorkDueTimesAcrossNationalDay(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 9, 30, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newWorkWorld(t, e) // roads: accept within 1 working day, close within 10
	id := w.item(t, "国庆前一天提交的路面破损")
	v := wv(t, e.Do("GET", path("/api/v1/work/requests/%d", id), w.cadre, nil).Must(t, 200))
	// Oct 1–7 are off: the first working day after Sep 30 is Oct 8.
	if v.AcceptDueAt != "2026-10-08T23:59:59+08:00" || v.DueAt == nil || *v.DueAt != v.AcceptDueAt {
		t.Fatalf("accept due %s (due_at %v)", v.AcceptDueAt, v.DueAt)
	}
	v = wv(t, w.do(w.cadre, id, "accept", nil).Must(t, 200))
	// Ten working days from Sep 30: Oct 8, 9, 10 (the Saturday make-up day), 12–16, 19, 20.
	if v.ResolveDueAt != "2026-10-20T23:59:59+08:00" || *v.DueAt != v.ResolveDueAt {
		t.Fatalf("resolve due %s", v.ResolveDueAt)
	}
	late := w.item(t, "国庆前一天提交但无人受理")

	// On Oct 8 the unaccepted one is due soon, not overdue.
	clock.Set(time.Date(2026, 10, 8, 9, 0, 0, 0, model.Shanghai))
	w.cadre = e.Login("town_cadre", testutil.WorkPassword) // sessions last a week
	soon := w.inbox(t, w.cadre, "due_soon=1")
	if !has(ids(soon), late) || has(ids(soon), id) {
		t.Fatalf("due soon on Oct 8: %v", ids(soon))
	}
	// On Oct 9 it is overdue; the accepted one is not yet.
	clock.Set(time.Date(2026, 10, 9, 9, 0, 0, 0, model.Shanghai))
	w.cadre = e.Login("town_cadre", testutil.WorkPassword) // sessions last a week
	over := w.inbox(t, w.cadre, "overdue=1")
	if len(over) != 1 || over[0].ID != late || !over[0].Overdue {
		t.Fatalf("overdue on Oct 9: %+v", over)
	}
	// Oct 19 (Monday): the accepted one is due by the end of the next working day.
	clock.Set(time.Date(2026, 10, 19, 9, 0, 0, 0, model.Shanghai))
	w.cadre = e.Login("town_cadre", testutil.WorkPassword) // sessions last a week
	all := w.inbox(t, w.cadre, "")
	if len(all) != 2 || all[0].ID != late || all[1].ID != id || !all[1].DueSoon || all[1].Overdue {
		t.Fatalf("inbox on Oct 19: %+v", all)
	}
	clock.Set(time.Date(2026, 10, 21, 0, 0, 1, 0, model.Shanghai))
	w.cadre = e.Login("town_cadre", testutil.WorkPassword) // sessions last a week
	if got := ids(w.inbox(t, w.cadre, "overdue=1")); len(got) != 2 {
		t.Fatalf("overdue on Oct 21: %v", got)
	}

	// A parked item is overdue once its review date has passed.
	w.do(w.cadre, id, "park", map[string]any{"plan": "纳入道路改造", "review_date": "2026-10-23"}).Must(t, 200)
	if got := ids(w.inbox(t, w.cadre, "overdue=1")); has(got, id) {
		t.Fatalf("parked item before its review date is overdue: %v", got)
	}
	clock.Set(time.Date(2026, 10, 24, 8, 0, 0, 0, model.Shanghai))
	w.cadre = e.Login("town_cadre", testutil.WorkPassword) // sessions last a week
	over = w.inbox(t, w.cadre, "overdue=1&status=long_term")
	if len(over) != 1 || over[0].ID != id || !over[0].Overdue {
		t.Fatalf("parked item past review date: %+v", over)
	}
}

func TestWorkInboxFiltersAndPages(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	var all []int64
	for i := 0; i < 5; i++ {
		all = append(all, w.item(t, path("第 %d 件待办诉求", i)))
	}
	sanitation := int64(0)
	var cats struct {
		Items []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &cats)
	for _, c := range cats.Items {
		if c.Code == "sanitation" {
			sanitation = c.ID
		}
	}
	b := w.submitBody("另一个社区的卫生问题")
	b["category_id"], b["community_id"] = sanitation, w.comm2
	other := submit(t, e, w.resident, b)
	w.do(w.cadre, all[0], "assign", map[string]any{"account_id": w.cadreID}).Must(t, 200)
	w.do(w.cadre, all[1], "accept", nil).Must(t, 200)
	w.do(w.cadre, all[2], "reject", map[string]any{"reason": "不属于受理范围"}).Must(t, 200)

	if got := ids(w.inbox(t, w.cadre, "assignee=me")); len(got) != 1 || got[0] != all[0] {
		t.Fatalf("assignee=me %v", got)
	}
	if got := ids(w.inbox(t, w.cadre, "assignee=unassigned")); len(got) != 4 || has(got, all[0]) {
		t.Fatalf("unassigned %v", got)
	}
	if got := ids(w.inbox(t, w.cadre, "status=accepted")); len(got) != 1 || got[0] != all[1] {
		t.Fatalf("accepted %v", got)
	}
	if got := ids(w.inbox(t, w.cadre, "status=rejected")); len(got) != 1 || got[0] != all[2] {
		t.Fatalf("rejected %v", got)
	}
	if got := ids(w.inbox(t, w.cadre, "")); len(got) != 5 || has(got, all[2]) {
		t.Fatalf("open items %v", got)
	}
	if got := ids(w.inbox(t, w.cadre, path("category_id=%d", sanitation))); len(got) != 1 || got[0] != other {
		t.Fatalf("category %v", got)
	}
	if got := ids(w.inbox(t, w.cadre, path("community_id=%d", w.comm2))); len(got) != 1 || got[0] != other {
		t.Fatalf("community %v", got)
	}
	if got := ids(w.inbox(t, w.cadre, "source=staff")); len(got) != 0 {
		t.Fatalf("source %v", got)
	}
	num := wv(t, e.Do("GET", path("/api/v1/work/requests/%d", all[3]), w.cadre, nil).Must(t, 200)).Number
	if got := ids(w.inbox(t, w.cadre, "q="+strings.ToLower(num))); len(got) != 1 || got[0] != all[3] {
		t.Fatalf("number %s: %v", num, got)
	}
	if got := ids(w.inbox(t, w.cadre, "q="+num[:10])); len(got) != 5 {
		t.Fatalf("number prefix %v", got)
	}

	// Pages of 2 cover the open items once each, sorted by due time.
	var seen []workView
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		var page struct {
			Items      []workView `json:"items"`
			NextCursor string     `json:"next_cursor"`
		}
		e.Do("GET", "/api/v1/work/requests?page_size=2&cursor="+cursor, w.cadre, nil).Must(t, 200).Decode(t, &page)
		seen = append(seen, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != 5 {
		t.Fatalf("pages gave %v", ids(seen))
	}
	for i := 1; i < len(seen); i++ {
		if *seen[i].DueAt < *seen[i-1].DueAt || *seen[i].DueAt == *seen[i-1].DueAt && seen[i].ID < seen[i-1].ID {
			t.Fatalf("not sorted by due time then id: %+v", seen)
		}
	}
	// The accepted item (due in 10 working days) sorts last.
	if seen[4].ID != all[1] {
		t.Fatalf("order %v", ids(seen))
	}
}

func TestWorkPhoneVisibility(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 11, 24, 10, 0, 0, 0, model.Shanghai))
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newWorkWorld(t, e)
	e.Do("PUT", "/api/v1/my/profile", w.resident, map[string]any{"name": "李居民", "phone": "13812345678"}).Must(t, 200)
	id := w.item(t, "需要电话回访的诉求")
	w.do(w.cadre, id, "accept", nil).Must(t, 200)
	w.do(w.cadre, id, "invite", map[string]any{"department_id": w.dept, "message": "请协助", "due_date": "2026-12-01"}).Must(t, 200)
	_, districtAdmin := e.Staff(w.admin, w.district, "admin", "district_admin")
	contact := func(tok string) (string, bool) {
		v := wv(t, e.Do("GET", path("/api/v1/work/requests/%d", id), tok, nil).Must(t, 200))
		if v.Contact.Name != "李居民" {
			t.Fatalf("contact %+v", v.Contact)
		}
		return v.Contact.Phone, v.Contact.PhoneMasked
	}
	if p, masked := contact(w.cadre); p != "13812345678" || masked {
		t.Fatalf("handling cadre sees %s", p)
	}
	if p, masked := contact(w.townAdmin); p != "13812345678" || masked {
		t.Fatalf("handling org's admin sees %s", p)
	}
	if p, masked := contact(w.deptStaff); p != "138****5678" || !masked {
		t.Fatalf("invited department sees %s", p)
	}
	if p, masked := contact(districtAdmin); p != "138****5678" || !masked {
		t.Fatalf("district admin sees %s", p)
	}
	var prof struct {
		PhoneFull string `json:"phone_full"`
	}
	e.Do("GET", "/api/v1/my/profile", w.resident, nil).Must(t, 200).Decode(t, &prof)
	if prof.PhoneFull != "13812345678" {
		t.Fatalf("owner sees %q", prof.PhoneFull)
	}
	if strings.Contains(e.LogText(), "13812345678") {
		t.Fatal("phone number in the logs")
	}
}

func TestWorkItemsFromStaff(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	body := map[string]any{"category_id": w.categoryID, "content": "张大爷电话反映路灯不亮", "community_id": w.comm,
		"source": "staff", "name": "张大爷", "phone": "13900001111", "residency": "non_hukou", "address": "升平路 3 号"}
	v := wv(t, e.Do("POST", "/api/v1/work/requests", w.cadre, body).Must(t, 201))
	if v.Status != "submitted" || v.Source != "staff" || v.HandlingOrgID != w.town || v.Contact.Phone != "13900001111" ||
		v.Contact.Name != "张大爷" || !numberRe.MatchString(v.Number) || v.DueAt == nil {
		t.Fatalf("recorded %+v", v)
	}
	var enc []byte
	e.App.DB.Table("requests").Select("contact_phone_enc").Where("id = ?", v.ID).Row().Scan(&enc)
	if len(enc) == 0 || strings.Contains(string(enc), "13900001111") {
		t.Fatal("phone not sealed at rest")
	}
	if got := ids(w.inbox(t, w.cadre, "source=staff")); len(got) != 1 || got[0] != v.ID {
		t.Fatalf("staff items %v", got)
	}
	walk := map[string]any{"category_id": w.categoryID, "content": "来访群众反映噪音扰民", "community_id": w.comm2, "source": "walk_in"}
	if x := wv(t, e.Do("POST", "/api/v1/work/requests", w.townAdmin, walk).Must(t, 201)); x.Source != "walk_in" || x.Contact.Phone != "" {
		t.Fatalf("walk-in %+v", x)
	}
	w.do(w.cadre, v.ID, "accept", nil).Must(t, 200)
	w.do(w.cadre, v.ID, "resolve", map[string]any{"result": "已更换灯泡"}).Must(t, 200)

	bad := func(k string, val any) map[string]any {
		b := map[string]any{}
		for kk, vv := range body {
			b[kk] = vv
		}
		b[k] = val
		return b
	}
	for name, b := range map[string]map[string]any{
		"other town's community": bad("community_id", w.otherComm),
		"a town":                 bad("community_id", w.town),
		"source session":         bad("source", "session"),
		"bad phone":              bad("phone", "12345"),
		"short content":          bad("content", "短"),
		"long name":              bad("name", strings.Repeat("名", 40)),
		"bad residency":          bad("residency", "alien"),
		"unknown category":       bad("category_id", 999999),
	} {
		if r := e.Do("POST", "/api/v1/work/requests", w.cadre, b); r.Status != 400 {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
	e.Do("POST", "/api/v1/work/requests", w.resident, body).MustErr(t, 403, "forbidden")
}

func TestWorkNotificationsAndWechatBind(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	ctx := context.Background()
	cadreCode, adminCode := testutil.UniqueCode("cadre"), testutil.UniqueCode("admin")
	var acc struct {
		WechatBound bool `json:"wechat_bound"`
	}
	e.Do("POST", "/api/v1/auth/wechat/bind", w.cadre, map[string]string{"code": cadreCode}).Must(t, 200).Decode(t, &acc)
	if !acc.WechatBound {
		t.Fatal("not bound")
	}
	e.Do("POST", "/api/v1/auth/wechat/bind", w.townAdmin, map[string]string{"code": cadreCode}).MustErr(t, 409, "already_exists")
	e.Do("POST", "/api/v1/auth/wechat/bind", w.townAdmin, map[string]string{"code": adminCode}).Must(t, 200)
	e.Do("POST", "/api/v1/auth/wechat/bind", w.townAdmin, map[string]string{"code": "invalid"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/auth/wechat/bind", w.townAdmin, map[string]string{}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/auth/wechat/bind", w.resident, map[string]string{"code": "x"}).MustErr(t, 403, "forbidden")

	id := w.item(t, "井盖缺失存在安全隐患")
	w.do(w.townAdmin, id, "assign", map[string]any{"account_id": w.cadreID}).Must(t, 200)
	w.do(w.cadre, id, "accept", nil).Must(t, 200)
	w.do(w.cadre, id, "resolve", map[string]any{"result": "已补装井盖"}).Must(t, 200)
	for i := 0; i < 2; i++ {
		if _, err := e.App.Notifier.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	count := func(code string) map[string]int {
		out := map[string]int{}
		for _, m := range e.Wechat.Sent("fake_" + code) {
			out[strings.TrimPrefix(m.TemplateID, "fake-tpl-")]++
		}
		return out
	}
	if got := count(cadreCode); got["staff_new_item"] != 1 || got["staff_assigned"] != 1 || len(got) != 2 {
		t.Fatalf("cadre got %v", got)
	}
	if got := count(adminCode); got["staff_new_item"] != 1 || len(got) != 1 { // the assigner is not told of their own step
		t.Fatalf("admin got %v", got)
	}
	if got := count(w.residentCode); got["request_accepted"] != 1 || got["request_closed"] != 1 || len(got) != 2 {
		t.Fatalf("resident got %v", got)
	}
	sent := e.Wechat.Sent("fake_" + w.residentCode)
	if sent[0].Page != path("pages/request/request?id=%d", id) {
		t.Fatalf("page %s", sent[0].Page)
	}
	// An item recorded by the cadre tells the other staff, not the recorder.
	e.Do("POST", "/api/v1/work/requests", w.cadre, map[string]any{"category_id": w.categoryID, "content": "上门走访记录的诉求",
		"community_id": w.comm}).Must(t, 201)
	e.App.Notifier.Drain(ctx)
	if count(cadreCode)["staff_new_item"] != 1 || count(adminCode)["staff_new_item"] != 2 {
		t.Fatalf("after a recorded item: cadre %v, admin %v", count(cadreCode), count(adminCode))
	}
}

func TestWorkRemindersOncePerDay(t *testing.T) {
	t.Parallel()
	clock := testutil.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, model.Shanghai)) // Monday
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = clock })
	w := newWorkWorld(t, e)
	ctx := context.Background()
	cadreCode, adminCode := testutil.UniqueCode("rc"), testutil.UniqueCode("ra")
	e.Do("POST", "/api/v1/auth/wechat/bind", w.cadre, map[string]string{"code": cadreCode}).Must(t, 200)
	e.Do("POST", "/api/v1/auth/wechat/bind", w.townAdmin, map[string]string{"code": adminCode}).Must(t, 200)
	id := w.item(t, "明天到期需要提醒的诉求") // accept due end of Tuesday
	w.do(w.cadre, id, "assign", map[string]any{"account_id": w.cadreID}).Must(t, 200)
	e.App.Notifier.Drain(ctx)
	before := len(e.Wechat.Sent("fake_"+cadreCode)) + len(e.Wechat.Sent("fake_"+adminCode))

	for i := 0; i < 2; i++ {
		if _, err := e.App.Reminders.DueTomorrow(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.Reminders.Overdue(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}
		e.App.Notifier.Drain(ctx)
	}
	tpl := func(code, event string) int {
		n := 0
		for _, m := range e.Wechat.Sent("fake_" + code) {
			if m.TemplateID == "fake-tpl-"+event {
				n++
			}
		}
		return n
	}
	if tpl(cadreCode, "staff_due_tomorrow") != 1 || tpl(adminCode, "staff_due_tomorrow") != 0 || tpl(cadreCode, "staff_overdue") != 0 {
		t.Fatalf("due tomorrow: cadre %d, admin %d (before %d)", tpl(cadreCode, "staff_due_tomorrow"), tpl(adminCode, "staff_due_tomorrow"), before)
	}

	// Wednesday: overdue, to the assignee and the org's admin, once however often the job runs.
	clock.Set(time.Date(2026, 11, 25, 9, 0, 0, 0, model.Shanghai))
	for i := 0; i < 2; i++ {
		if _, err := e.App.Reminders.Overdue(ctx, clock.Now()); err != nil {
			t.Fatal(err)
		}
		e.App.Notifier.Drain(ctx)
	}
	if tpl(cadreCode, "staff_overdue") != 1 || tpl(adminCode, "staff_overdue") != 1 {
		t.Fatalf("overdue: cadre %d, admin %d", tpl(cadreCode, "staff_overdue"), tpl(adminCode, "staff_overdue"))
	}
	// The next day it is reminded again; closed items are not.
	clock.Set(time.Date(2026, 11, 26, 9, 0, 0, 0, model.Shanghai))
	e.App.Reminders.Overdue(ctx, clock.Now())
	e.App.Notifier.Drain(ctx)
	if tpl(cadreCode, "staff_overdue") != 2 {
		t.Fatalf("second day: %d", tpl(cadreCode, "staff_overdue"))
	}
	w.do(w.cadre, id, "reject", map[string]any{"reason": "不属于受理范围"}).Must(t, 200)
	clock.Set(time.Date(2026, 11, 27, 9, 0, 0, 0, model.Shanghai))
	if n, _ := e.App.Reminders.Overdue(ctx, clock.Now()); n != 0 {
		t.Fatalf("closed item reminded: %d", n)
	}
}

func TestWorkBadInputNever500(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newWorkWorld(t, e)
	id := w.item(t, "用于错误输入测试的诉求")
	for _, q := range []string{"status=closed", "assignee=him", "overdue=maybe", "due_soon=2", "source=fax", "category_id=x",
		"community_id=-1", "cursor=bm90LWpzb24", "page_size=51", "q=" + strings.Repeat("Z", 30)} {
		if r := e.Do("GET", "/api/v1/work/requests?"+q, w.cadre, nil); r.Status != 400 {
			t.Errorf("inbox %s: %d %s", q, r.Status, r.Raw)
		}
	}
	for _, q := range []string{"status=open", "side=both", "cursor=bm90LWpzb24"} {
		if r := e.Do("GET", "/api/v1/work/invitations?"+q, w.cadre, nil); r.Status != 400 {
			t.Errorf("invitations %s: %d %s", q, r.Status, r.Raw)
		}
	}
	cases := []struct {
		action string
		body   any
	}{
		{"reject", nil}, {"reject", `{"reason":""}`}, {"reject", `{"reason":"x","duplicate_of":"a"}`},
		{"transfer", `{"org_id":0,"note":"x"}`}, {"transfer", `{"org_id":1}`}, {"assign", `{}`}, {"assign", `{"account_id":-3}`},
		{"progress", `{"note":""}`}, {"progress", map[string]any{"note": strings.Repeat("长", 2001)}},
		{"invite", `{"department_id":1}`}, {"resolve", `{}`}, {"resolve", `{"result":"x","image_ids":[1,1]}`},
		{"resolve", `{"result":"x","image_ids":[999999]}`},
		{"park", `{"plan":"x","review_date":"tomorrow"}`}, {"accept", `[]`}, {"accept", `{"note":`}, {"resume", `"x"`},
	}
	for _, c := range cases {
		if r := w.do(w.cadre, id, c.action, c.body); r.Status >= 500 || r.Status < 400 || r.Msg == "" {
			t.Errorf("%s %v: %d %s", c.action, c.body, r.Status, r.Raw)
		}
	}
	for _, p := range []string{"/api/v1/work/requests/abc", "/api/v1/work/requests/0/accept", "/api/v1/work/invitations/x/reply"} {
		if r := e.Do("POST", p, w.cadre, map[string]any{}); r.Status >= 500 {
			t.Errorf("%s: %d", p, r.Status)
		}
	}
	e.Do("POST", "/api/v1/work/invitations/999999/accept", w.deptStaff, nil).MustErr(t, 404, "not_found")
	if strings.Contains(e.LogText(), `"level":"ERROR"`) {
		t.Fatalf("bad input logged an error:\n%s", e.LogText())
	}
}
