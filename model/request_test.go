package model

import (
	"testing"
	"time"
)

var (
	t0    = time.Date(2026, 11, 27, 10, 0, 0, 0, Shanghai)
	cadre = Actor{ID: 7, Name: "张干部", Kind: SubjectStaff, OrgPath: "/1/2/3/"}
	owner = Actor{ID: 42, Name: "李居民", Kind: SubjectResident}
	town  = &Org{ID: 3, Kind: OrgTown, Path: "/1/2/3/", Active: true}
	other = &Org{ID: 4, Kind: OrgTown, Path: "/1/2/4/", Active: true}
)

// fixture is a request in the given state, closed a day before t0 when closed.
func fixture(s RequestStatus) *Request {
	rid := int64(42)
	r := &Request{ID: 100, ResidentID: &rid, Status: s, HandlingOrgID: town.ID, OrgPath: town.Path}
	if s.Closed() {
		closed := t0.Add(-24 * time.Hour)
		r.ClosedAt = &closed
	}
	return r
}

type step struct {
	act RequestAction
	run func(r *Request) (*RequestEvent, error)
}

// steps runs every action with valid arguments.
var steps = []step{
	{ActAccept, func(r *Request) (*RequestEvent, error) { return r.Accept(cadre, "", t0) }},
	{ActReject, func(r *Request) (*RequestEvent, error) { return r.Reject(cadre, "不属于受理范围", nil, t0) }},
	{ActWithdraw, func(r *Request) (*RequestEvent, error) { return r.Withdraw(owner, "", t0) }},
	{ActTransfer, func(r *Request) (*RequestEvent, error) { return r.Transfer(cadre, other, "属地为另一镇街", t0) }},
	{ActAssign, func(r *Request) (*RequestEvent, error) { return r.Assign(cadre, 9, t0) }},
	{ActProgress, func(r *Request) (*RequestEvent, error) { return r.Progress(cadre, "已到现场查看", true, t0) }},
	{ActInvite, func(r *Request) (*RequestEvent, error) { return r.Invite(cadre, 11, "请协助核查", t0) }},
	{ActResolve, func(r *Request) (*RequestEvent, error) { return r.Resolve(cadre, "已修复", t0) }},
	{ActRespond, func(r *Request) (*RequestEvent, error) { return r.Respond(cadre, "已答复政策依据", t0) }},
	{ActPark, func(r *Request) (*RequestEvent, error) { return r.Park(cadre, "分期推进", "2027-01-15", t0) }},
	{ActResume, func(r *Request) (*RequestEvent, error) { return r.Resume(cadre, "", t0) }},
	{ActRate, func(r *Request) (*RequestEvent, error) { return r.Rate(owner, 4, "满意", t0) }},
	{ActRedo, func(r *Request) (*RequestEvent, error) {
		return r.Redo(owner, "问题复发", t0.AddDate(0, 0, 14), t0)
	}},
}

// legal maps action → from → to; "keep" actions map to the same state.
var legal = map[RequestAction]map[RequestStatus]RequestStatus{
	ActAccept:   {StatusSubmitted: StatusAccepted},
	ActReject:   {StatusSubmitted: StatusRejected},
	ActWithdraw: {StatusSubmitted: StatusWithdrawn},
	ActTransfer: {StatusSubmitted: StatusSubmitted, StatusAccepted: StatusAccepted, StatusLongTerm: StatusLongTerm},
	ActAssign:   {StatusSubmitted: StatusSubmitted, StatusAccepted: StatusAccepted, StatusLongTerm: StatusLongTerm},
	ActProgress: {StatusSubmitted: StatusSubmitted, StatusAccepted: StatusAccepted, StatusLongTerm: StatusLongTerm},
	ActInvite:   {StatusAccepted: StatusAccepted, StatusLongTerm: StatusLongTerm},
	ActResolve:  {StatusAccepted: StatusResolved, StatusLongTerm: StatusResolved},
	ActRespond:  {StatusAccepted: StatusResponded, StatusLongTerm: StatusResponded},
	ActPark:     {StatusAccepted: StatusLongTerm},
	ActResume:   {StatusLongTerm: StatusAccepted},
	ActRate:     {StatusResolved: StatusResolved, StatusResponded: StatusResponded},
	ActRedo:     {StatusResolved: StatusAccepted, StatusResponded: StatusAccepted},
}

func TestRequestStateMachine(t *testing.T) {
	for _, st := range steps {
		for _, from := range RequestStatuses {
			t.Run(string(st.act)+"/"+string(from), func(t *testing.T) {
				r := fixture(from)
				before := *r
				e, err := st.run(r)
				to, ok := legal[st.act][from]
				if !ok {
					if !IsCode(err, CodeInvalidTransition) {
						t.Fatalf("%s from %s: err = %v, want invalid_transition", st.act, from, err)
					}
					if e != nil || r.Status != from || r.UpdatedAt != before.UpdatedAt {
						t.Fatalf("illegal %s changed the request: %+v", st.act, r)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s from %s: %v", st.act, from, err)
				}
				if r.Status != to {
					t.Fatalf("%s from %s: status %s, want %s", st.act, from, r.Status, to)
				}
				if e.Action != st.act || e.FromStatus != from || e.ToStatus != to || e.RequestID != r.ID || !e.At.Equal(t0) {
					t.Fatalf("event = %+v", e)
				}
				if e.ActorID == nil || e.ActorName == "" || e.ActorKind == "" {
					t.Fatalf("event without actor: %+v", e)
				}
				if e.Visibility != Public && e.Visibility != Internal {
					t.Fatalf("event visibility %q", e.Visibility)
				}
			})
		}
	}
}

func TestRequestEventVisibility(t *testing.T) {
	internal := map[RequestAction]bool{ActAssign: true, ActInvite: true}
	for _, st := range steps {
		for from := range legal[st.act] {
			e, err := st.run(fixture(from))
			if err != nil {
				t.Fatal(err)
			}
			if want := internal[st.act]; (e.Visibility == Internal) != want {
				t.Errorf("%s: visibility %s", st.act, e.Visibility)
			}
			break
		}
	}
	r := fixture(StatusAccepted)
	e, _ := r.Progress(cadre, "内部沟通", false, t0)
	if e.Visibility != Internal {
		t.Fatalf("internal progress is %s", e.Visibility)
	}
}

func TestRequestStageFields(t *testing.T) {
	r := fixture(StatusSubmitted)
	if _, err := r.Accept(cadre, "", t0); err != nil || r.AcceptedAt == nil {
		t.Fatalf("accept: %v %+v", err, r)
	}
	if _, err := r.Transfer(cadre, other, "转", t0); err != nil || r.HandlingOrgID != other.ID || r.OrgPath != other.Path {
		t.Fatalf("transfer: %v %+v", err, r)
	}
	if _, err := r.Transfer(cadre, other, "转", t0); !IsCode(err, CodeInvalidArgument) {
		t.Fatalf("transfer to the same org: %v", err)
	}
	if _, err := r.Park(cadre, "计划", "2026-11-27", t0); !IsCode(err, CodeInvalidArgument) {
		t.Fatalf("park with a past review date: %v", err)
	}
	if _, err := r.Resolve(cadre, "  ", t0); !IsCode(err, CodeInvalidArgument) {
		t.Fatalf("resolve without result: %v", err)
	}
	if _, err := r.Resolve(cadre, "已解决", t0); err != nil || r.ClosedAt == nil || r.Result != "已解决" {
		t.Fatalf("resolve: %v %+v", err, r)
	}
	dup := r.ID
	s := fixture(StatusSubmitted)
	if _, err := s.Reject(cadre, "重复", &s.ID, t0); !IsCode(err, CodeInvalidArgument) {
		t.Fatalf("duplicate of itself: %v", err)
	}
	s.ID = 101
	if _, err := s.Reject(cadre, "重复", &dup, t0); err != nil || s.DuplicateOf == nil || *s.DuplicateOf != dup {
		t.Fatalf("reject as duplicate: %v %+v", err, s)
	}
}

func TestRatingOncePerClosureAndRedoLimits(t *testing.T) {
	r := fixture(StatusAccepted)
	if _, err := r.Rate(owner, 5, "", t0); !IsCode(err, CodeInvalidTransition) {
		t.Fatalf("rating before closing: %v", err)
	}
	now := t0
	for i := 0; i < MaxRedos; i++ {
		if _, err := r.Resolve(cadre, "已处理", now); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
		if _, err := r.Rate(owner, 0, "", now); !IsCode(err, CodeInvalidArgument) {
			t.Fatalf("score 0: %v", err)
		}
		if _, err := r.Rate(owner, 2, "不满意", now); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Rate(owner, 3, "", now); !IsCode(err, CodeInvalidTransition) {
			t.Fatalf("second rating of one closure: %v", err)
		}
		if _, err := r.Redo(owner, "", now.AddDate(0, 0, 10), now); err != nil {
			t.Fatalf("redo %d: %v", i+1, err)
		}
		if r.Status != StatusAccepted || r.RedoCount != i+1 || r.ClosedAt != nil {
			t.Fatalf("after redo: %+v", r)
		}
	}
	if _, err := r.Resolve(cadre, "再次处理", now); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Rate(owner, 1, "", now); err != nil {
		t.Fatalf("a new closure can be rated: %v", err)
	}
	if _, err := r.Redo(owner, "", now, now); !IsCode(err, CodeInvalidTransition) {
		t.Fatalf("third redo: %v", err)
	}

	late := fixture(StatusResolved)
	if _, err := late.Redo(owner, "", t0, late.ClosedAt.Add(RedoWindow+time.Minute)); !IsCode(err, CodeInvalidTransition) {
		t.Fatalf("redo after the window: %v", err)
	}
	if _, err := late.Redo(owner, "", t0, late.ClosedAt.Add(RedoWindow)); err != nil {
		t.Fatalf("redo at the end of the window: %v", err)
	}
}

func TestNewRequestValidation(t *testing.T) {
	rid := int64(1)
	base := NewRequestInput{ResidentID: &rid, Source: SourceMiniProgram, CategoryID: 1, Content: "路灯坏了很久了",
		CommunityID: 5, HandlingOrg: town}
	r, e, err := NewRequest(base, owner, t0)
	if err != nil || r.Status != StatusSubmitted || r.OrgPath != town.Path || e.Action != ActSubmit || e.ToStatus != StatusSubmitted {
		t.Fatalf("NewRequest: %v %+v %+v", err, r, e)
	}
	bad := []func(*NewRequestInput){
		func(in *NewRequestInput) { in.Content = " 短 " },
		func(in *NewRequestInput) { in.Content = string(make([]rune, MaxContent+1)) },
		func(in *NewRequestInput) { lat := 23.0; in.Lat = &lat },
		func(in *NewRequestInput) { lat, lng := 91.0, 113.0; in.Lat, in.Lng = &lat, &lng },
		func(in *NewRequestInput) { in.Source = "fax" },
	}
	for i, mod := range bad {
		in := base
		mod(&in)
		if _, _, err := NewRequest(in, owner, t0); !IsCode(err, CodeInvalidArgument) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	if got := NumberFor(time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC), 123); got != "ZL20261127-000123" {
		t.Fatalf("number %s (Shanghai date)", got)
	}
}

func TestPhoneVisibleTo(t *testing.T) {
	cases := []struct {
		name   string
		viewer *Principal
		path   string
		want   bool
	}{
		{"owner", &Principal{Kind: SubjectResident, ID: 42}, "", true},
		{"another resident", &Principal{Kind: SubjectResident, ID: 43}, "/1/2/3/", false},
		{"staff of the handling org", &Principal{Kind: SubjectStaff, ID: 7, Role: RoleCadre, OrgPath: "/1/2/3/"}, "/1/2/3/", true},
		{"staff above the handling org", &Principal{Kind: SubjectStaff, ID: 1, Role: RoleAdmin, OrgPath: "/1/"}, "/1/2/3/", false},
		{"staff elsewhere", &Principal{Kind: SubjectStaff, ID: 8, Role: RoleCadre, OrgPath: "/1/2/4/"}, "/1/2/3/", false},
		{"staff, no item", &Principal{Kind: SubjectStaff, ID: 7, Role: RoleCadre, OrgPath: "/1/2/3/"}, "", false},
		{"nobody", nil, "/1/2/3/", false},
	}
	for _, c := range cases {
		if got := PhoneVisibleTo(c.viewer, 42, c.path); got != c.want {
			t.Errorf("%s: %t", c.name, got)
		}
	}
	if MaskPhone("13812345678") != "138****5678" {
		t.Fatal(MaskPhone("13812345678"))
	}
}

// TestCanWithdraw: the resident may withdraw an item only before it is accepted.
func TestCanWithdraw(t *testing.T) {
	for _, s := range RequestStatuses {
		r := fixture(s)
		if got, want := r.CanWithdraw(), s == StatusSubmitted; got != want {
			t.Errorf("%s: CanWithdraw %v, want %v", s, got, want)
		}
		if r.Status != s {
			t.Errorf("%s: CanWithdraw changed the item to %s", s, r.Status)
		}
	}
}
