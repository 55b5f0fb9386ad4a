package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"zhilian/internal/store"
	"zhilian/internal/testutil"
	"zhilian/model"
	"zhilian/service"
)

// The request transitions as the store persists them: the request row, the
// rollups and the outbox rows move together in one transaction, or not at
// all. The changes are the model's methods; the outbox rows are built as the
// services build them (event and recipient), handed to the store as effects.

// Days of a request's life in these tests (Shanghai, a Monday onwards).
var (
	day0 = time.Date(2026, 6, 1, 9, 0, 0, 0, model.Shanghai) // submitted
	day1 = day0.AddDate(0, 0, 1)                             // accepted, rejected, withdrawn, transferred…
	day2 = day0.AddDate(0, 0, 2)                             // closed
	day3 = day0.AddDate(0, 0, 3)                             // reopened (redo)
)

// requestWorld is a migrated database with a city of two districts: district
// A with towns A and B (community A under town A), district C with town C
// (community C), a department under district A, a cadre in each town and
// one resident.
type requestWorld struct {
	db                           *gorm.DB
	st                           *store.Store
	clock                        *testutil.Clock
	districtA, districtC         *model.Org
	townA, townB, townC          *model.Org
	communityA, communityC, dept *model.Org
	category                     int64
	cadreA, cadreA2, cadreC      model.Actor
	resident                     int64
	residentActor                model.Actor
	submitted                    []int64 // every request, in order
}

func newRequestWorld(t *testing.T) *requestWorld {
	t.Helper()
	ctx := context.Background()
	w := &requestWorld{clock: testutil.NewClock(day0)}
	db, err := store.Open(ctx, testutil.MigratedDatabase(t), w.clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s, _ := db.DB(); s.Close() })
	w.db, w.st = db, store.New(db)
	city, err := w.st.Orgs().EnsureRoot(ctx, func() model.Org {
		return model.Org{Kind: model.OrgCity, Name: "测试市", Active: true, CreatedAt: day0, UpdatedAt: day0}
	})
	if err != nil {
		t.Fatal(err)
	}
	w.districtA = w.org(t, city, model.OrgDistrict, "甲区")
	w.districtC = w.org(t, city, model.OrgDistrict, "丙区")
	w.townA = w.org(t, w.districtA, model.OrgTown, "甲镇")
	w.townB = w.org(t, w.districtA, model.OrgTown, "乙镇")
	w.townC = w.org(t, w.districtC, model.OrgTown, "丙镇")
	w.communityA = w.org(t, w.townA, model.OrgCommunity, "甲社区")
	w.communityC = w.org(t, w.townC, model.OrgCommunity, "丙社区")
	w.dept = w.org(t, w.districtA, model.OrgDepartment, "甲区住建局")
	if err := db.Raw("SELECT id FROM categories ORDER BY id LIMIT 1").Row().Scan(&w.category); err != nil {
		t.Fatalf("a category from the migrations: %v", err)
	}
	w.cadreA = w.account(t, w.townA, "cadre_a")
	w.cadreA2 = w.account(t, w.townA, "cadre_a2")
	w.cadreC = w.account(t, w.townC, "cadre_c")
	w.resident = w.newResident(t)
	w.residentActor = model.Actor{ID: w.resident, Kind: model.SubjectResident, Name: "居民"}
	return w
}

func (w *requestWorld) org(t *testing.T, parent *model.Org, kind model.OrgKind, name string) *model.Org {
	t.Helper()
	o, err := model.NewChildOrg(parent, kind, name, nil, day0)
	if err != nil {
		t.Fatal(err)
	}
	err = w.st.Orgs().Create(context.Background(), o, parent.Path, func(o *model.Org) *model.AuditLog {
		return &model.AuditLog{Action: "org.create", TargetType: "org", TargetID: o.ID, CreatedAt: day0}
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (w *requestWorld) account(t *testing.T, org *model.Org, username string) model.Actor {
	t.Helper()
	a := &model.Account{Username: username, Name: "干部" + username, OrgID: org.ID, Role: model.RoleCadre,
		Status: model.AccountActive, PasswordHash: "-", CreatedAt: day0, UpdatedAt: day0}
	if err := w.db.Create(a).Error; err != nil {
		t.Fatal(err)
	}
	return model.Actor{ID: a.ID, Name: a.Name, OrgPath: org.Path, Kind: model.SubjectStaff}
}

func (w *requestWorld) newResident(t *testing.T) int64 {
	t.Helper()
	r, _, err := w.st.Residents().FindOrCreate(context.Background(), model.NewResident(testutil.UniqueCode("openid_"), "", day0))
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// notice is an outbox row as the tests expect it: event → recipient.
func notice(event string, kind model.SubjectKind, id int64) string {
	return fmt.Sprintf("%s→%s:%d", event, kind, id)
}

// toResident queues event for the request's resident, as service.toResident does.
func toResident(event string, at time.Time) func(*model.Request) []*model.OutboxMessage {
	return func(r *model.Request) []*model.OutboxMessage {
		if r.ResidentID == nil {
			return nil
		}
		return []*model.OutboxMessage{model.Notify(event, model.SubjectResident, *r.ResidentID,
			fmt.Sprintf("%s:%d:%d", event, r.ID, r.RedoCount), fmt.Sprintf("pages/request/detail?id=%d", r.ID),
			map[string]string{"character_string1": r.Number, "phrase2": r.Status.Label()}, at)}
	}
}

// toStaff queues event for each cadre, as service.toStaff does.
func toStaff(event string, at time.Time, cadres ...model.Actor) func(*model.Request) []*model.OutboxMessage {
	return func(r *model.Request) []*model.OutboxMessage {
		var out []*model.OutboxMessage
		for _, c := range cadres {
			out = append(out, model.Notify(event, model.SubjectStaff, c.ID,
				fmt.Sprintf("%s:%d:%d:%d", event, r.ID, c.ID, at.UnixMilli()), fmt.Sprintf("pages/work/item?id=%d", r.ID),
				map[string]string{"character_string1": r.Number}, at))
		}
		return out
	}
}

// submit files a request of the world's resident in community A (or C),
// handled by its town, and tells the town's cadre.
func (w *requestWorld) submit(t *testing.T, inC bool) int64 {
	t.Helper()
	community, town, cadre := w.communityA, w.townA, w.cadreA
	if inC {
		community, town, cadre = w.communityC, w.townC, w.cadreC
	}
	id, err := w.submitFor(w.resident, community, town, cadre)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *requestWorld) submitFor(resident int64, community, town *model.Org, cadre model.Actor) (int64, error) {
	w.clock.Set(day0)
	res := resident
	r, e, err := model.NewRequest(model.NewRequestInput{ResidentID: &res, Source: model.SourceMiniProgram,
		CategoryID: w.category, Content: "小区门口的路灯坏了一个星期", CommunityID: community.ID, HandlingOrg: town,
		AcceptDueAt: day0.AddDate(0, 0, 2), ResolveDueAt: day0.AddDate(0, 0, 15)},
		model.Actor{ID: resident, Kind: model.SubjectResident, Name: "居民"}, day0)
	if err != nil {
		return 0, err
	}
	_, err = w.st.Requests().Submit(context.Background(), service.NewRequestRecord{Request: r, Event: e,
		Notify: toStaff(model.EventStaffNewItem, day0, cadre)})
	if err == nil {
		w.submitted = append(w.submitted, r.ID)
	}
	return r.ID, err
}

// apply runs change on request id at time at through the store.
func (w *requestWorld) apply(id int64, at time.Time, change func(r *model.Request) (*service.RequestEffects, error)) error {
	w.clock.Set(at)
	_, err := w.st.Requests().Apply(context.Background(), id, change)
	return err
}

func one(e *model.RequestEvent) []*model.RequestEvent { return []*model.RequestEvent{e} }

// The transitions, each as its service runs it (model method + effects).

func (w *requestWorld) accept(id int64) error {
	return w.apply(id, day1, func(r *model.Request) (*service.RequestEffects, error) {
		e, err := r.Accept(w.cadreA, "", day1)
		if err != nil {
			return nil, err
		}
		r.ResolveDueAt = day0.AddDate(0, 0, 15)
		return &service.RequestEffects{Events: one(e), Notify: toResident(model.EventRequestAccepted, day1)}, nil
	})
}

func (w *requestWorld) reject(id int64) error {
	return w.apply(id, day1, func(r *model.Request) (*service.RequestEffects, error) {
		e, err := r.Reject(w.cadreA, "不属于受理范围", nil, day1)
		return &service.RequestEffects{Events: one(e), WithdrawInvitations: true, Actor: w.cadreA}, err
	})
}

func (w *requestWorld) withdraw(id int64) error {
	return w.apply(id, day1, func(r *model.Request) (*service.RequestEffects, error) {
		e, err := r.Withdraw(w.residentActor, "已自行解决", day1)
		return &service.RequestEffects{Events: one(e)}, err
	})
}

func (w *requestWorld) assign(id int64) error {
	return w.apply(id, day1, func(r *model.Request) (*service.RequestEffects, error) {
		e, err := r.Assign(w.cadreA, w.cadreA2.ID, day1)
		return &service.RequestEffects{Events: one(e), Notify: toStaff(model.EventStaffAssigned, day1, w.cadreA2)}, err
	})
}

func (w *requestWorld) transferToC(id int64) error {
	return w.apply(id, day1, func(r *model.Request) (*service.RequestEffects, error) {
		e, err := r.Transfer(w.cadreA, w.townC, "属丙镇辖区", day1)
		return &service.RequestEffects{Events: one(e), Notify: toStaff(model.EventStaffNewItem, day1, w.cadreC)}, err
	})
}

func (w *requestWorld) invite(id int64) error {
	return w.apply(id, day1, func(r *model.Request) (*service.RequestEffects, error) {
		inv, err := model.NewInvitation(r, w.dept, w.cadreA, w.townA.ID, "请协助核查线路", model.FormatDate(day2), day1)
		if err != nil {
			return nil, err
		}
		e, err := r.Invite(w.cadreA, w.dept.ID, "请协助核查线路", day1)
		return &service.RequestEffects{Events: one(e), Invitation: inv}, err
	})
}

func (w *requestWorld) close(id int64, respond bool, images ...int64) error {
	return w.apply(id, day2, func(r *model.Request) (*service.RequestEffects, error) {
		step := r.Resolve
		if respond {
			step = r.Respond
		}
		e, err := step(w.cadreA, "已更换灯具", day2)
		return &service.RequestEffects{Events: one(e), Images: images, ImageStage: "result",
			ImageOwner: model.SubjectStaff, ImageOwnerID: w.cadreA.ID, WithdrawInvitations: true, Actor: w.cadreA,
			Notify: toResident(model.EventRequestClosed, day2)}, err
	})
}

func (w *requestWorld) park(id int64) error {
	return w.apply(id, day1, func(r *model.Request) (*service.RequestEffects, error) {
		e, err := r.Park(w.cadreA, "列入年度改造计划", model.FormatDate(day0.AddDate(0, 1, 0)), day1)
		return &service.RequestEffects{Events: one(e)}, err
	})
}

func (w *requestWorld) resume(id int64) error {
	return w.apply(id, day2, func(r *model.Request) (*service.RequestEffects, error) {
		e, err := r.Resume(w.cadreA, "", day2)
		return &service.RequestEffects{Events: one(e)}, err
	})
}

// redo is the resident's rating with a redo (service.Requests.Rate): rate, then reopen.
func (w *requestWorld) redo(id int64) error {
	return w.apply(id, day3, func(r *model.Request) (*service.RequestEffects, error) {
		rated, err := r.Rate(w.residentActor, 2, "灯还是不亮", day3)
		if err != nil {
			return nil, err
		}
		redo, err := r.Redo(w.residentActor, "", day0.AddDate(0, 0, 20), day3)
		return &service.RequestEffects{Events: []*model.RequestEvent{rated, redo},
			Notify: toResident(model.EventRedoAccepted, day3)}, err
	})
}

// merge merges dup into primary as service.Similar.Merge does.
func (w *requestWorld) merge(dup, primary int64) error {
	w.clock.Set(day1)
	_, err := w.st.Similar().Merge(context.Background(), dup, primary, func(d, p *model.Request) (*service.MergeEffects, error) {
		de, pe, err := d.MergeInto(p, w.cadreA, "同一路灯", day1)
		if err != nil {
			return nil, err
		}
		return &service.MergeEffects{DupEvents: one(de), PrimaryEvents: one(pe), Actor: w.cadreA,
			Repoint: func(m, p *model.Request) (*model.RequestEvent, error) { return m.Repoint(p, w.cadreA, day1) },
			Notify:  toResident(model.EventRequestMerged, day1)(d)}, nil
	})
	return err
}

func (w *requestWorld) erase(resident int64) error {
	w.clock.Set(day2)
	_, err := w.st.Residents().Erase(context.Background(), resident, day2)
	return err
}

// worldState is everything a transition may write.
type worldState struct {
	requests    []model.Request
	events      int64
	outbox      []string // event→recipient, in order
	invitations []string // id:status
	followers   []string // request:resident
	rollups     testutil.Rollups
}

func (w *requestWorld) state(t *testing.T) worldState {
	t.Helper()
	var s worldState
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.db.Order("id").Find(&s.requests).Error)
	must(w.db.Model(&model.RequestEvent{}).Count(&s.events).Error)
	var msgs []model.OutboxMessage
	must(w.db.Order("id").Find(&msgs).Error)
	for _, m := range msgs {
		s.outbox = append(s.outbox, notice(m.Event, m.RecipientKind, m.RecipientID))
	}
	var invs []model.Invitation
	must(w.db.Omit("department_name", "request_number").Order("id").Find(&invs).Error)
	for _, v := range invs {
		s.invitations = append(s.invitations, fmt.Sprintf("%d:%s", v.ID, v.Status))
	}
	var fs []model.Follow
	must(w.db.Order("request_id, resident_id").Find(&fs).Error)
	for _, f := range fs {
		s.followers = append(s.followers, fmt.Sprintf("%d:%d", f.RequestID, f.ResidentID))
	}
	s.rollups = testutil.ReadRollups(t, w.db)
	return s
}

func (w *requestWorld) request(t *testing.T, id int64) model.Request {
	t.Helper()
	var r model.Request
	if err := w.db.First(&r, id).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

// moves projects a rollup delta on what the tests name: the cube by town
// and status (requests counted), and the days by district and days (the
// counts n, withdrawn, resolved, responded, rejected, open).
type moves struct {
	cube map[string]int64
	days map[string][6]int64
}

func project(d testutil.Rollups) moves {
	m := moves{cube: map[string]int64{}, days: map[string][6]int64{}}
	field := func(key, name string) string {
		for _, f := range strings.Fields(key) {
			if v, ok := strings.CutPrefix(f, name+"="); ok {
				return v
			}
		}
		return ""
	}
	for k, v := range d["stats_cube"] {
		if v[0] != 0 {
			m.cube["town="+field(k, "town_id")+" "+field(k, "status")] += v[0]
		}
	}
	for k, v := range d["stats_days"] {
		var six [6]int64
		copy(six[:], v)
		m.days[k] = six
	}
	return m
}

// cube and days name the expected groups.
func cube(town *model.Org, status model.RequestStatus) string {
	return fmt.Sprintf("town=%d %s", town.ID, status)
}

func days(district *model.Org, created, accepted, closed time.Time) string {
	dn := func(t time.Time) int64 {
		if t.IsZero() {
			return 0
		}
		return model.DayNumber(t)
	}
	return fmt.Sprintf("district_id=%d cday=%d aday=%d kday=%d", district.ID, dn(created), dn(accepted), dn(closed))
}

var never time.Time

// TestRequestTransitionsMoveRollupsAndOutbox: each transition the store
// persists changes the request row, moves the rollups from the old
// contribution to the new one (and they stay what a scan of the requests
// gives), and enqueues exactly its notifications, in one transaction.
func TestRequestTransitionsMoveRollupsAndOutbox(t *testing.T) {
	t.Parallel()
	w := newRequestWorld(t)
	r := func() int64 { return w.resident }
	for _, tc := range []struct {
		name string
		// setup brings fresh requests to the state the transition starts from
		// and returns them; act is the transition.
		setup func(t *testing.T) []int64
		act   func(ids []int64) error
		// want: the first request's status after, the events added, the
		// outbox rows added, the rollup moves (cube and days), the
		// invitations' statuses after (of the first request) and the followers.
		status    model.RequestStatus
		events    int64
		outbox    func(ids []int64) []string
		cube      map[string]int64
		days      map[string][6]int64
		invited   []model.InvitationStatus
		followers func(ids []int64) []string
	}{{
		name:   "submit",
		setup:  func(t *testing.T) []int64 { return nil },
		act:    func([]int64) error { _, err := w.submitFor(w.resident, w.communityA, w.townA, w.cadreA); return err },
		status: model.StatusSubmitted, events: 1,
		outbox: func([]int64) []string {
			return []string{notice(model.EventStaffNewItem, model.SubjectStaff, w.cadreA.ID)}
		},
		cube: map[string]int64{cube(w.townA, model.StatusSubmitted): 1},
		days: map[string][6]int64{days(w.districtA, day0, never, never): {1, 0, 0, 0, 0, 1}},
	}, {
		name:   "accept",
		setup:  func(t *testing.T) []int64 { return []int64{w.submit(t, false)} },
		act:    func(ids []int64) error { return w.accept(ids[0]) },
		status: model.StatusAccepted, events: 1,
		outbox: func([]int64) []string {
			return []string{notice(model.EventRequestAccepted, model.SubjectResident, r())}
		},
		cube: map[string]int64{cube(w.townA, model.StatusSubmitted): -1, cube(w.townA, model.StatusAccepted): 1},
		days: map[string][6]int64{days(w.districtA, day0, never, never): {-1, 0, 0, 0, 0, -1},
			days(w.districtA, day0, day1, never): {1, 0, 0, 0, 0, 1}},
	}, {
		name:   "reject",
		setup:  func(t *testing.T) []int64 { return []int64{w.submit(t, false)} },
		act:    func(ids []int64) error { return w.reject(ids[0]) },
		status: model.StatusRejected, events: 1,
		cube: map[string]int64{cube(w.townA, model.StatusSubmitted): -1, cube(w.townA, model.StatusRejected): 1},
		days: map[string][6]int64{days(w.districtA, day0, never, never): {0, 0, 0, 0, 1, -1}},
	}, {
		name:   "withdraw",
		setup:  func(t *testing.T) []int64 { return []int64{w.submit(t, false)} },
		act:    func(ids []int64) error { return w.withdraw(ids[0]) },
		status: model.StatusWithdrawn, events: 1,
		cube: map[string]int64{cube(w.townA, model.StatusSubmitted): -1, cube(w.townA, model.StatusWithdrawn): 1},
		days: map[string][6]int64{days(w.districtA, day0, never, never): {0, 1, 0, 0, 0, -1}},
	}, {
		name: "assign",
		setup: func(t *testing.T) []int64 {
			id := w.submit(t, false)
			mustDo(t, w.accept(id))
			return []int64{id}
		},
		act:    func(ids []int64) error { return w.assign(ids[0]) },
		status: model.StatusAccepted, events: 1,
		outbox: func([]int64) []string {
			return []string{notice(model.EventStaffAssigned, model.SubjectStaff, w.cadreA2.ID)}
		},
	}, {
		name: "transfer to another district",
		setup: func(t *testing.T) []int64 {
			id := w.submit(t, false)
			mustDo(t, w.accept(id))
			return []int64{id}
		},
		act:    func(ids []int64) error { return w.transferToC(ids[0]) },
		status: model.StatusAccepted, events: 1,
		outbox: func([]int64) []string {
			return []string{notice(model.EventStaffNewItem, model.SubjectStaff, w.cadreC.ID)}
		},
		cube: map[string]int64{cube(w.townA, model.StatusAccepted): -1, cube(w.townC, model.StatusAccepted): 1},
		days: map[string][6]int64{days(w.districtA, day0, day1, never): {-1, 0, 0, 0, 0, -1},
			days(w.districtC, day0, day1, never): {1, 0, 0, 0, 0, 1}},
	}, {
		name: "resolve withdraws the open invitation",
		setup: func(t *testing.T) []int64 {
			id := w.submit(t, false)
			mustDo(t, w.accept(id))
			mustDo(t, w.invite(id))
			return []int64{id}
		},
		act:    func(ids []int64) error { return w.close(ids[0], false) },
		status: model.StatusResolved, events: 2, // the closure and "invitations withdrawn"
		outbox: func([]int64) []string { return []string{notice(model.EventRequestClosed, model.SubjectResident, r())} },
		cube:   map[string]int64{cube(w.townA, model.StatusAccepted): -1, cube(w.townA, model.StatusResolved): 1},
		days: map[string][6]int64{days(w.districtA, day0, day1, never): {-1, 0, 0, 0, 0, -1},
			days(w.districtA, day0, day1, day2): {1, 0, 1, 0, 0, 0}},
		invited: []model.InvitationStatus{model.InvitationWithdrawn},
	}, {
		name: "respond",
		setup: func(t *testing.T) []int64 {
			id := w.submit(t, false)
			mustDo(t, w.accept(id))
			return []int64{id}
		},
		act:    func(ids []int64) error { return w.close(ids[0], true) },
		status: model.StatusResponded, events: 1,
		outbox: func([]int64) []string { return []string{notice(model.EventRequestClosed, model.SubjectResident, r())} },
		cube:   map[string]int64{cube(w.townA, model.StatusAccepted): -1, cube(w.townA, model.StatusResponded): 1},
		days: map[string][6]int64{days(w.districtA, day0, day1, never): {-1, 0, 0, 0, 0, -1},
			days(w.districtA, day0, day1, day2): {1, 0, 0, 1, 0, 0}},
	}, {
		name: "park",
		setup: func(t *testing.T) []int64 {
			id := w.submit(t, false)
			mustDo(t, w.accept(id))
			return []int64{id}
		},
		act:    func(ids []int64) error { return w.park(ids[0]) },
		status: model.StatusLongTerm, events: 1,
		cube: map[string]int64{cube(w.townA, model.StatusAccepted): -1, cube(w.townA, model.StatusLongTerm): 1},
	}, {
		name: "resume",
		setup: func(t *testing.T) []int64 {
			id := w.submit(t, false)
			mustDo(t, w.accept(id))
			mustDo(t, w.park(id))
			return []int64{id}
		},
		act:    func(ids []int64) error { return w.resume(ids[0]) },
		status: model.StatusAccepted, events: 1,
		cube: map[string]int64{cube(w.townA, model.StatusLongTerm): -1, cube(w.townA, model.StatusAccepted): 1},
	}, {
		name: "rate and reopen (redo)",
		setup: func(t *testing.T) []int64 {
			id := w.submit(t, false)
			mustDo(t, w.accept(id))
			mustDo(t, w.close(id, false))
			return []int64{id}
		},
		act:    func(ids []int64) error { return w.redo(ids[0]) },
		status: model.StatusAccepted, events: 2,
		outbox: func([]int64) []string { return []string{notice(model.EventRedoAccepted, model.SubjectResident, r())} },
		cube:   map[string]int64{cube(w.townA, model.StatusResolved): -1, cube(w.townA, model.StatusAccepted): 1},
		days: map[string][6]int64{days(w.districtA, day0, day1, day2): {-1, 0, -1, 0, 0, 0},
			days(w.districtA, day0, day1, never): {1, 0, 0, 0, 0, 1}},
	}, {
		name: "merge into an accepted item",
		setup: func(t *testing.T) []int64 {
			primary := w.submit(t, false)
			mustDo(t, w.accept(primary))
			other := w.newResident(t)
			dup, err := w.submitFor(other, w.communityA, w.townA, w.cadreA)
			mustDo(t, err)
			return []int64{dup, primary, other}
		},
		act:    func(ids []int64) error { return w.merge(ids[0], ids[1]) },
		status: model.StatusMerged, events: 2, // the duplicate's and the primary's
		outbox: func(ids []int64) []string {
			return []string{notice(model.EventRequestMerged, model.SubjectResident, ids[2])}
		},
		cube: map[string]int64{cube(w.townA, model.StatusSubmitted): -1, cube(w.townA, model.StatusMerged): 1},
		days: map[string][6]int64{days(w.districtA, day0, never, never): {0, 0, 0, 0, 0, -1}},
		// The duplicate's resident now follows the primary.
		followers: func(ids []int64) []string { return []string{fmt.Sprintf("%d:%d", ids[1], ids[2])} },
	}, {
		name: "closing a primary closes what was merged into it and tells its followers",
		setup: func(t *testing.T) []int64 {
			primary := w.submit(t, false)
			mustDo(t, w.accept(primary))
			other := w.newResident(t)
			dup, err := w.submitFor(other, w.communityA, w.townA, w.cadreA)
			mustDo(t, err)
			mustDo(t, w.merge(dup, primary))
			return []int64{primary, dup, other}
		},
		act:    func(ids []int64) error { return w.close(ids[0], false) },
		status: model.StatusResolved, events: 2, // the primary's closure, the duplicate's outcome
		outbox: func(ids []int64) []string {
			return []string{notice(model.EventRequestClosed, model.SubjectResident, ids[2]), // follower (followUp)
				notice(model.EventRequestClosed, model.SubjectResident, r())} // the primary's resident
		},
		cube: map[string]int64{cube(w.townA, model.StatusAccepted): -1, cube(w.townA, model.StatusMerged): -1,
			cube(w.townA, model.StatusResolved): 2},
		days: map[string][6]int64{days(w.districtA, day0, day1, never): {-1, 0, 0, 0, 0, -1},
			days(w.districtA, day0, never, never): {-1, 0, 0, 0, 0, 0},
			days(w.districtA, day0, never, day2):  {1, 0, 1, 0, 0, 0},
			days(w.districtA, day0, day1, day2):   {1, 0, 1, 0, 0, 0}},
	}, {
		name: "erasing a resident anonymises their requests",
		setup: func(t *testing.T) []int64 {
			gone := w.newResident(t)
			open, err := w.submitFor(gone, w.communityA, w.townA, w.cadreA)
			mustDo(t, err)
			closed, err := w.submitFor(gone, w.communityC, w.townC, w.cadreC)
			mustDo(t, err)
			mustDo(t, w.accept(closed))
			mustDo(t, w.close(closed, true))
			return []int64{open, closed, gone}
		},
		act:    func(ids []int64) error { return w.erase(ids[2]) },
		status: model.StatusSubmitted, events: 2, // one anonymisation event per request
		// Anonymising moves no figure: the rollups stay as they were.
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ids := tc.setup(t)
			before := w.state(t)
			if err := tc.act(ids); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			after := w.state(t)
			if tc.name == "submit" {
				ids = []int64{w.submitted[len(w.submitted)-1]}
			}
			// (a) the request row.
			if got := w.request(t, ids[0]); got.Status != tc.status {
				t.Fatalf("status %s, want %s", got.Status, tc.status)
			}
			if n := after.events - before.events; n != tc.events {
				t.Errorf("%d timeline events added, want %d", n, tc.events)
			}
			// (b) the rollups moved exactly, and are what a scan gives.
			got := project(after.rollups.Minus(before.rollups))
			if want := orEmpty(tc.cube); !reflect.DeepEqual(got.cube, want) {
				t.Errorf("cube moved %v, want %v", got.cube, want)
			}
			if want := orEmptyDays(tc.days); !reflect.DeepEqual(got.days, want) {
				t.Errorf("days moved %v, want %v", got.days, want)
			}
			testutil.RollupsMatchScan(t, w.db, func() error { return w.st.Stats().RebuildRollups(context.Background()) })
			// (c) the outbox rows enqueued.
			var want []string
			if tc.outbox != nil {
				want = tc.outbox(ids)
			}
			if added := after.outbox[len(before.outbox):]; !sameSet(added, want) {
				t.Errorf("outbox rows added %v, want %v", added, want)
			}
			if tc.invited != nil {
				var got []model.InvitationStatus
				w.db.Model(&model.Invitation{}).Where("request_id = ?", ids[0]).Order("id").Pluck("status", &got)
				if !reflect.DeepEqual(got, tc.invited) {
					t.Errorf("invitations %v, want %v", got, tc.invited)
				}
			}
			var follows []string
			if tc.followers != nil {
				follows = tc.followers(ids)
			}
			if added := minus(after.followers, before.followers); !sameSet(added, follows) {
				t.Errorf("followers added %v, want %v", added, follows)
			}
			switch tc.name {
			case "transfer to another district":
				if got := w.request(t, ids[0]); got.HandlingOrgID != w.townC.ID || got.OrgPath != w.townC.Path || got.AssigneeID != nil {
					t.Errorf("after transfer: org %d %s, assignee %v", got.HandlingOrgID, got.OrgPath, got.AssigneeID)
				}
			case "assign":
				if got := w.request(t, ids[0]); got.AssigneeID == nil || *got.AssigneeID != w.cadreA2.ID {
					t.Errorf("assignee %v, want %d", got.AssigneeID, w.cadreA2.ID)
				}
			case "closing a primary closes what was merged into it and tells its followers":
				if dup := w.request(t, ids[1]); dup.Status != model.StatusResolved || dup.Result != "已更换灯具" {
					t.Errorf("merged item: %s %q, want resolved with the primary's result", dup.Status, dup.Result)
				}
			case "erasing a resident anonymises their requests":
				for _, id := range ids[:2] {
					if got := w.request(t, id); got.ResidentID != nil || got.AnonymizedAt == nil {
						t.Errorf("request %d: resident %v, anonymised %v", id, got.ResidentID, got.AnonymizedAt)
					}
				}
				if got := w.request(t, ids[1]); got.Status != model.StatusResponded {
					t.Errorf("the closed request became %s", got.Status)
				}
			}
		})
	}
}

// TestRequestTransitionGuardsWriteNothing: a transition the model refuses
// in the request's state, or one whose later effect fails inside the
// transaction, leaves the database as it was: no row, no event, no rollup
// move, no outbox row, no invitation change.
func TestRequestTransitionGuardsWriteNothing(t *testing.T) {
	t.Parallel()
	w := newRequestWorld(t)
	submitted := func(t *testing.T) int64 { return w.submit(t, false) }
	accepted := func(t *testing.T) int64 {
		id := w.submit(t, false)
		mustDo(t, w.accept(id))
		return id
	}
	resolved := func(t *testing.T) int64 {
		id := accepted(t)
		mustDo(t, w.close(id, false))
		return id
	}
	withInvitation := func(t *testing.T) int64 {
		id := accepted(t)
		mustDo(t, w.invite(id))
		return id
	}
	single := func(setup func(t *testing.T) int64) func(t *testing.T) []int64 {
		return func(t *testing.T) []int64 { return []int64{setup(t)} }
	}
	first := func(act func(id int64) error) func(ids []int64) error {
		return func(ids []int64) error { return act(ids[0]) }
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) []int64
		act   func(ids []int64) error
		code  model.Code
	}{
		{"accept a resolved item", single(resolved), first(w.accept), model.CodeInvalidTransition},
		{"reject an accepted item", single(accepted), first(w.reject), model.CodeInvalidTransition},
		{"withdraw an accepted item", single(accepted), first(w.withdraw), model.CodeInvalidTransition},
		{"assign a resolved item", single(resolved), first(w.assign), model.CodeInvalidTransition},
		{"transfer a resolved item", single(resolved), first(w.transferToC), model.CodeInvalidTransition},
		{"resolve a submitted item", single(submitted), first(func(id int64) error { return w.close(id, false) }), model.CodeInvalidTransition},
		{"respond to a resolved item", single(resolved), first(func(id int64) error { return w.close(id, true) }), model.CodeInvalidTransition},
		{"park a submitted item", single(submitted), first(w.park), model.CodeInvalidTransition},
		{"resume an accepted item", single(accepted), first(w.resume), model.CodeInvalidTransition},
		{"redo an accepted item", single(accepted), first(w.redo), model.CodeInvalidTransition},
		{"merge into a submitted item", func(t *testing.T) []int64 { return []int64{submitted(t), submitted(t)} },
			func(ids []int64) error { return w.merge(ids[0], ids[1]) }, model.CodeInvalidTransition},
		{"merge a resolved item", func(t *testing.T) []int64 { return []int64{resolved(t), accepted(t)} },
			func(ids []int64) error { return w.merge(ids[0], ids[1]) }, model.CodeInvalidTransition},
		// The model allows these; an effect written after the request row
		// fails, and the whole transaction goes.
		{"resolve with a photo that does not exist", single(withInvitation),
			first(func(id int64) error { return w.close(id, false, 987654) }), model.CodeInvalidArgument},
		{"invite a department invited already", single(withInvitation), first(w.invite), model.CodeConflict},
		{"a second erasure", func(t *testing.T) []int64 {
			gone := w.newResident(t)
			_, err := w.submitFor(gone, w.communityA, w.townA, w.cadreA)
			mustDo(t, err)
			mustDo(t, w.erase(gone))
			return []int64{gone}
		}, first(w.erase), model.CodeInvalidTransition},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids := tc.setup(t)
			before := w.state(t)
			err := tc.act(ids)
			if !model.IsCode(err, tc.code) {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			after := w.state(t)
			if !reflect.DeepEqual(before.requests, after.requests) {
				t.Errorf("request rows changed")
			}
			if after.events != before.events {
				t.Errorf("%d events written", after.events-before.events)
			}
			if !reflect.DeepEqual(before.outbox, after.outbox) {
				t.Errorf("outbox rows written: %v", after.outbox[len(before.outbox):])
			}
			if !reflect.DeepEqual(before.invitations, after.invitations) {
				t.Errorf("invitations %v → %v", before.invitations, after.invitations)
			}
			if !reflect.DeepEqual(before.followers, after.followers) {
				t.Errorf("followers %v → %v", before.followers, after.followers)
			}
			if d := after.rollups.Minus(before.rollups); d.String() != "" {
				t.Errorf("rollups moved:\n%s", d)
			}
		})
	}
	testutil.RollupsMatchScan(t, w.db, func() error { return w.st.Stats().RebuildRollups(context.Background()) })
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func orEmpty(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return m
}

func orEmptyDays(m map[string][6]int64) map[string][6]int64 {
	if m == nil {
		return map[string][6]int64{}
	}
	return m
}

// minus is the items of a not in b (both sorted lists of distinct items).
func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}
