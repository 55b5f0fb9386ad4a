package model

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// RequestStatus is the state of a request (诉求) in its state machine.
type RequestStatus string

// Request statuses (docs/ARCHITECTURE.md §2).
const (
	StatusSubmitted RequestStatus = "submitted"
	StatusAccepted  RequestStatus = "accepted"
	StatusResolved  RequestStatus = "resolved"
	StatusResponded RequestStatus = "responded"
	StatusRejected  RequestStatus = "rejected"
	StatusWithdrawn RequestStatus = "withdrawn"
	StatusLongTerm  RequestStatus = "long_term"
	StatusMerged    RequestStatus = "merged" // closed as a duplicate of another item; takes its outcome
)

// RequestStatuses lists every status, in the order of the state machine.
var RequestStatuses = []RequestStatus{StatusSubmitted, StatusAccepted, StatusLongTerm, StatusResolved,
	StatusResponded, StatusRejected, StatusWithdrawn, StatusMerged}

// Valid reports whether s is a known status.
func (s RequestStatus) Valid() bool {
	for _, x := range RequestStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Label is the status as residents and cadres read it.
func (s RequestStatus) Label() string {
	switch s {
	case StatusSubmitted:
		return "待受理"
	case StatusAccepted:
		return "办理中"
	case StatusResolved:
		return "已解决"
	case StatusResponded:
		return "已答复"
	case StatusRejected:
		return "不予受理"
	case StatusWithdrawn:
		return "已撤回"
	case StatusLongTerm:
		return "长期挂账"
	case StatusMerged:
		return "已合并"
	}
	return string(s)
}

// Closed reports whether the item was closed as resolved or responded.
func (s RequestStatus) Closed() bool { return s == StatusResolved || s == StatusResponded }

// Open reports whether the item is still being handled (cadres can act on it).
func (s RequestStatus) Open() bool {
	return s == StatusSubmitted || s == StatusAccepted || s == StatusLongTerm
}

// RequestSource says how a request came in.
type RequestSource string

// Request sources.
const (
	SourceMiniProgram RequestSource = "miniprogram"
	SourceSession     RequestSource = "session"
	SourceWalkIn      RequestSource = "walk_in"
	SourceStaff       RequestSource = "staff"
	SourceOpen311     RequestSource = "open311"
)

// Valid reports whether s is a known source.
func (s RequestSource) Valid() bool {
	switch s {
	case SourceMiniProgram, SourceSession, SourceWalkIn, SourceStaff, SourceOpen311:
		return true
	}
	return false
}

// RequestAction names a step of the state machine; it is the action of the
// timeline event the step writes.
type RequestAction string

// Request actions. Transfer, assign, progress, invite and rate keep the state.
const (
	ActSubmit    RequestAction = "submit"
	ActAccept    RequestAction = "accept"
	ActReject    RequestAction = "reject"
	ActWithdraw  RequestAction = "withdraw"
	ActTransfer  RequestAction = "transfer"
	ActAssign    RequestAction = "assign"
	ActProgress  RequestAction = "progress"
	ActInvite    RequestAction = "invite"
	ActResolve   RequestAction = "resolve"
	ActRespond   RequestAction = "respond"
	ActPark      RequestAction = "park"
	ActResume    RequestAction = "resume"
	ActRate      RequestAction = "rate"
	ActRedo      RequestAction = "redo"
	ActFlag      RequestAction = "flag"
	ActAnonymise RequestAction = "anonymise"
)

// actionLabels are the actions as error messages name them.
var actionLabels = map[RequestAction]string{
	ActAccept: "受理", ActReject: "不予受理", ActWithdraw: "撤回", ActTransfer: "转办", ActAssign: "指派",
	ActProgress: "进展记录", ActInvite: "约请", ActResolve: "办结（已解决）", ActRespond: "办结（已答复）",
	ActPark: "长期挂账", ActResume: "恢复办理", ActRate: "评价", ActRedo: "申请重办",
	ActMerge: "合并", ActOutcome: "随合并办结",
}

// Visibility says who sees a timeline event.
type Visibility string

// Event visibilities: public events are on the resident's timeline; internal ones only staff see.
const (
	Public   Visibility = "public"
	Internal Visibility = "internal"
)

// Rules of the resident's side of the state machine.
const (
	RedoWindow   = 7 * 24 * time.Hour // a redo may be asked within this time after closing
	MaxRedos     = 2                  // a request is reopened at most this often
	MinContent   = 5                  // characters
	MaxContent   = 2000               // characters
	MaxImages    = 9
	MaxResult    = 2000 // characters of a result, reason, plan or note
	MaxAddress   = 200  // characters
	MaxRatingTxt = 500  // characters of a rating comment
)

// Flag reasons: why a request waits for a cadre's moderation.
const (
	FlagReview      = "content_review"    // WeChat's check said review
	FlagUnavailable = "check_unavailable" // WeChat's check did not answer
)

// Request is one item (诉求 / 工单) followed from submission to close.
type Request struct {
	ID               int64 `gorm:"primaryKey"`
	Number           string
	ResidentID       *int64
	Source           RequestSource
	CategoryID       int64
	Content          string
	CommunityID      int64
	HandlingOrgID    int64
	OrgPath          string // path of the handling org: subtree queries are one index range
	AssigneeID       *int64
	Residency        *Residency
	Address          string
	Lat              *float64
	Lng              *float64
	Status           RequestStatus
	AcceptDueAt      time.Time
	ResolveDueAt     time.Time
	DueAt            time.Time // Due() as of the last save: the inbox sorts and filters on it
	AcceptedAt       *time.Time
	ClosedAt         *time.Time
	RejectedAt       *time.Time
	WithdrawnAt      *time.Time
	ParkedAt         *time.Time
	ReviewDate       *string // long_term: next review (YYYY-MM-DD)
	Result           string
	Rating           *int
	RatingComment    string
	RatedAt          *time.Time
	RedoCount        int
	FlaggedForReview bool
	FlagReason       string
	SessionID        *int64
	DuplicateOf      *int64
	ContactName      string // items recorded by staff: the person's name
	ContactPhoneEnc  []byte // items recorded by staff: the phone, sealed
	ContactPhoneHash *string
	AnonymizedAt     *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// RequestEvent is one immutable entry of a request's timeline.
type RequestEvent struct {
	ID         int64 `gorm:"primaryKey"`
	RequestID  int64
	Action     RequestAction
	FromStatus RequestStatus
	ToStatus   RequestStatus
	Note       string
	Visibility Visibility
	ActorKind  SubjectKind
	ActorID    *int64
	ActorName  string
	Detail     string // machine-readable extra, e.g. "org_id=12"
	At         time.Time
}

// NewRequestInput is what a request is created from.
type NewRequestInput struct {
	ResidentID   *int64
	Source       RequestSource
	CategoryID   int64
	Content      string
	CommunityID  int64
	HandlingOrg  *Org // the community's town
	Residency    *Residency
	Address      string
	Lat, Lng     *float64
	AcceptDueAt  time.Time
	ResolveDueAt time.Time
	SessionID    *int64
	FlagReason   string       // "" when the content passed the check
	ContactName  string       // items recorded by staff on someone's behalf
	ContactPhone *SealedPhone // sealed by the service
}

// ValidateContent checks a request's text: 5–2000 characters after trimming.
func ValidateContent(s string) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < MinContent || n > MaxContent {
		return "", Invalid("诉求内容须为 %d–%d 个字符", MinContent, MaxContent)
	}
	return s, nil
}

// NewRequest validates and builds a submitted request and its first timeline
// event. The store gives it its id and number.
func NewRequest(in NewRequestInput, by Actor, now time.Time) (*Request, *RequestEvent, error) {
	content, err := ValidateContent(in.Content)
	if err != nil {
		return nil, nil, err
	}
	if !in.Source.Valid() {
		return nil, nil, Invalid("未知的来源：%s", in.Source)
	}
	addr := strings.TrimSpace(in.Address)
	if utf8.RuneCountInString(addr) > MaxAddress {
		return nil, nil, Invalid("地址不能超过 %d 个字符", MaxAddress)
	}
	if err := ValidateLocation(in.Lat, in.Lng); err != nil {
		return nil, nil, err
	}
	if in.HandlingOrg == nil {
		return nil, nil, Invalid("缺少承办机构")
	}
	if in.Residency != nil && !in.Residency.Valid() {
		return nil, nil, Invalid("户籍类型须为 hukou 或 non_hukou")
	}
	contact := strings.TrimSpace(in.ContactName)
	if utf8.RuneCountInString(contact) > 32 {
		return nil, nil, Invalid("姓名不能超过 32 个字符")
	}
	r := &Request{ContactName: contact, ResidentID: in.ResidentID, Source: in.Source, CategoryID: in.CategoryID, Content: content,
		CommunityID: in.CommunityID, HandlingOrgID: in.HandlingOrg.ID, OrgPath: in.HandlingOrg.Path,
		Residency: in.Residency, Address: addr, Lat: in.Lat, Lng: in.Lng, Status: StatusSubmitted,
		AcceptDueAt: in.AcceptDueAt, ResolveDueAt: in.ResolveDueAt, SessionID: in.SessionID,
		FlaggedForReview: in.FlagReason != "", FlagReason: in.FlagReason, CreatedAt: now, UpdatedAt: now}
	r.DueAt = r.Due()
	if in.ContactPhone != nil {
		h := in.ContactPhone.Hash
		r.ContactPhoneEnc, r.ContactPhoneHash = in.ContactPhone.Enc, &h
	}
	return r, r.event(by, ActSubmit, "", StatusSubmitted, "", Public, "", now), nil
}

// NumberFor formats the human number of the seq-th request of the day containing t.
func NumberFor(t time.Time, seq int64) string {
	return fmt.Sprintf("ZL%s-%06d", t.In(Shanghai).Format("20060102"), seq)
}

// event builds a timeline event of this request.
func (r *Request) event(by Actor, act RequestAction, from, to RequestStatus, note string, vis Visibility, detail string, now time.Time) *RequestEvent {
	e := &RequestEvent{RequestID: r.ID, Action: act, FromStatus: from, ToStatus: to, Note: note, Visibility: vis,
		ActorKind: by.Kind, ActorName: by.Name, Detail: detail, At: now}
	if by.ID != 0 {
		id := by.ID
		e.ActorID = &id
	}
	return e
}

// move checks that the current state allows act, then moves to `to`.
func (r *Request) move(by Actor, act RequestAction, to RequestStatus, note string, vis Visibility, detail string, now time.Time, allowed ...RequestStatus) (*RequestEvent, error) {
	if !r.in(allowed...) {
		return nil, Transition(actionLabels[act], r.Status.Label())
	}
	from := r.Status
	if to == "" {
		to = from
	}
	r.Status = to
	r.UpdatedAt = now
	return r.event(by, act, from, to, note, vis, detail, now), nil
}

func (r *Request) in(states ...RequestStatus) bool {
	for _, s := range states {
		if r.Status == s {
			return true
		}
	}
	return false
}

// text trims and bounds a note, reason or result; required ones must not be empty.
func text(s, what string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", Invalid("%s不能为空", what)
	}
	if utf8.RuneCountInString(s) > MaxResult {
		return "", Invalid("%s不能超过 %d 个字符", what, MaxResult)
	}
	return s, nil
}

// Accept takes the item in: submitted → accepted.
func (r *Request) Accept(by Actor, note string, now time.Time) (*RequestEvent, error) {
	note, err := text(note, "备注", false)
	if err != nil {
		return nil, err
	}
	e, err := r.move(by, ActAccept, StatusAccepted, note, Public, "", now, StatusSubmitted)
	if err == nil {
		r.AcceptedAt = &now
	}
	return e, err
}

// Reject declines the item with a reason, optionally as a duplicate of another: submitted → rejected.
func (r *Request) Reject(by Actor, reason string, duplicateOf *int64, now time.Time) (*RequestEvent, error) {
	reason, err := text(reason, "不予受理的理由", true)
	if err != nil {
		return nil, err
	}
	detail := ""
	if duplicateOf != nil {
		if *duplicateOf == r.ID || *duplicateOf <= 0 {
			return nil, Invalid("duplicate_of 须为另一条诉求")
		}
		detail = fmt.Sprintf("duplicate_of=%d", *duplicateOf)
	}
	e, err := r.move(by, ActReject, StatusRejected, reason, Public, detail, now, StatusSubmitted)
	if err == nil {
		r.RejectedAt, r.DuplicateOf, r.Result = &now, duplicateOf, reason
	}
	return e, err
}

// CanWithdraw reports whether the resident may still withdraw the item:
// Withdraw is tried on a copy, so its state guard is the only rule.
func (r *Request) CanWithdraw() bool {
	c := *r
	_, err := c.Withdraw(Actor{ID: 1, Kind: SubjectResident}, "", time.Time{})
	return err == nil
}

// Withdraw is the resident taking the item back before it is accepted: submitted → withdrawn.
func (r *Request) Withdraw(by Actor, reason string, now time.Time) (*RequestEvent, error) {
	reason, err := text(reason, "撤回原因", false)
	if err != nil {
		return nil, err
	}
	e, err := r.move(by, ActWithdraw, StatusWithdrawn, reason, Public, "", now, StatusSubmitted)
	if err == nil {
		r.WithdrawnAt = &now
	}
	return e, err
}

// Transfer moves an open item to another handling org, keeping its state and clock.
func (r *Request) Transfer(by Actor, to *Org, note string, now time.Time) (*RequestEvent, error) {
	note, err := text(note, "转办说明", true)
	if err != nil {
		return nil, err
	}
	if to == nil || to.ID == r.HandlingOrgID {
		return nil, Invalid("须转办至另一机构")
	}
	if !to.Active {
		return nil, E(CodeConflict, "目标机构已停用")
	}
	e, err := r.move(by, ActTransfer, "", note, Public, fmt.Sprintf("org_id=%d", to.ID), now,
		StatusSubmitted, StatusAccepted, StatusLongTerm)
	if err == nil {
		r.HandlingOrgID, r.OrgPath, r.AssigneeID = to.ID, to.Path, nil
	}
	return e, err
}

// Assign gives an open item to a cadre, keeping its state.
func (r *Request) Assign(by Actor, accountID int64, now time.Time) (*RequestEvent, error) {
	if accountID <= 0 {
		return nil, Invalid("须指定承办人")
	}
	e, err := r.move(by, ActAssign, "", "", Internal, fmt.Sprintf("account_id=%d", accountID), now,
		StatusSubmitted, StatusAccepted, StatusLongTerm)
	if err == nil {
		r.AssigneeID = &accountID
	}
	return e, err
}

// Progress records a note on an open item, public or internal, keeping its state.
func (r *Request) Progress(by Actor, note string, public bool, now time.Time) (*RequestEvent, error) {
	note, err := text(note, "进展说明", true)
	if err != nil {
		return nil, err
	}
	vis := Internal
	if public {
		vis = Public
	}
	return r.move(by, ActProgress, "", note, vis, "", now, StatusSubmitted, StatusAccepted, StatusLongTerm)
}

// Invite records an invitation (约请) of a department on an accepted item, keeping its state.
func (r *Request) Invite(by Actor, departmentID int64, message string, now time.Time) (*RequestEvent, error) {
	message, err := text(message, "约请事由", true)
	if err != nil {
		return nil, err
	}
	if departmentID <= 0 {
		return nil, Invalid("须指定被约请的部门")
	}
	return r.move(by, ActInvite, "", message, Internal, fmt.Sprintf("department_id=%d", departmentID), now,
		StatusAccepted, StatusLongTerm)
}

// Resolve closes the item as solved: accepted or long_term → resolved.
func (r *Request) Resolve(by Actor, result string, now time.Time) (*RequestEvent, error) {
	return r.close(by, ActResolve, StatusResolved, result, now)
}

// Respond closes the item with an answer (it cannot be solved as asked): accepted or long_term → responded.
func (r *Request) Respond(by Actor, result string, now time.Time) (*RequestEvent, error) {
	return r.close(by, ActRespond, StatusResponded, result, now)
}

func (r *Request) close(by Actor, act RequestAction, to RequestStatus, result string, now time.Time) (*RequestEvent, error) {
	result, err := text(result, "办理结果", true)
	if err != nil {
		return nil, err
	}
	e, err := r.move(by, act, to, result, Public, "", now, StatusAccepted, StatusLongTerm)
	if err == nil {
		r.Result, r.ClosedAt, r.ReviewDate = result, &now, nil
		r.RatedAt = nil // a new closure: the resident may rate it (Rating keeps the last score until then)
	}
	return e, err
}

// Park marks an accepted item as long-term (挂账) with a plan and the next review date: accepted → long_term.
func (r *Request) Park(by Actor, plan string, reviewDate string, now time.Time) (*RequestEvent, error) {
	plan, err := text(plan, "办理计划", true)
	if err != nil {
		return nil, err
	}
	d, err := ParseDate(reviewDate)
	if err != nil {
		return nil, err
	}
	if !d.After(DayOf(now)) {
		return nil, Invalid("下次复核日期须晚于今天")
	}
	e, err := r.move(by, ActPark, StatusLongTerm, plan, Public, "review_date="+reviewDate, now, StatusAccepted)
	if err == nil {
		r.ParkedAt, r.ReviewDate = &now, &reviewDate
	}
	return e, err
}

// Resume brings a long-term item back to normal handling: long_term → accepted.
func (r *Request) Resume(by Actor, note string, now time.Time) (*RequestEvent, error) {
	note, err := text(note, "备注", false)
	if err != nil {
		return nil, err
	}
	e, err := r.move(by, ActResume, StatusAccepted, note, Public, "", now, StatusLongTerm)
	if err == nil {
		r.ReviewDate = nil
	}
	return e, err
}

// CanRate reports whether the current closure has not been rated yet.
func (r *Request) CanRate() bool { return r.Status.Closed() && r.RatedAt == nil }

// Rate records the resident's rating (1–5) of the current closure, once per closure.
func (r *Request) Rate(by Actor, score int, comment string, now time.Time) (*RequestEvent, error) {
	if score < 1 || score > 5 {
		return nil, Invalid("评分须为 1–5")
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > MaxRatingTxt {
		return nil, Invalid("评价内容不能超过 %d 个字符", MaxRatingTxt)
	}
	if !r.Status.Closed() {
		return nil, Transition(actionLabels[ActRate], r.Status.Label())
	}
	if !r.CanRate() {
		return nil, E(CodeInvalidTransition, "本次办结已评价过")
	}
	e, err := r.move(by, ActRate, "", comment, Public, fmt.Sprintf("score=%d", score), now, StatusResolved, StatusResponded)
	if err == nil {
		r.Rating, r.RatingComment, r.RatedAt = &score, comment, &now
	}
	return e, err
}

// Redo reopens a closed item at the resident's request, within RedoWindow of
// closing and at most MaxRedos times: resolved or responded → accepted, with
// a new close deadline.
func (r *Request) Redo(by Actor, reason string, resolveDue time.Time, now time.Time) (*RequestEvent, error) {
	reason, err := text(reason, "重办原因", false)
	if err != nil {
		return nil, err
	}
	if !r.Status.Closed() {
		return nil, Transition(actionLabels[ActRedo], r.Status.Label())
	}
	if r.RedoCount >= MaxRedos {
		return nil, E(CodeInvalidTransition, fmt.Sprintf("每条诉求最多申请重办 %d 次", MaxRedos))
	}
	if r.ClosedAt == nil || now.Sub(*r.ClosedAt) > RedoWindow {
		return nil, E(CodeInvalidTransition, "已超过办结后 7 天，不能申请重办")
	}
	e, err := r.move(by, ActRedo, StatusAccepted, reason, Public, "", now, StatusResolved, StatusResponded)
	if err == nil {
		r.RedoCount++
		r.ClosedAt, r.Result = nil, ""
		r.ResolveDueAt = resolveDue
	}
	return e, err
}

// Flag records why the item waits for a cadre's moderation (internal, any state).
func (r *Request) Flag(by Actor, reason string, now time.Time) *RequestEvent {
	r.FlaggedForReview, r.FlagReason, r.UpdatedAt = true, reason, now
	return r.event(by, ActFlag, r.Status, r.Status, "", Internal, "reason="+reason, now)
}

// Anonymise detaches the item from a resident who deleted their account: the
// item stays (it is counted) without anything that points to the person.
func (r *Request) Anonymise(now time.Time) *RequestEvent {
	r.ResidentID, r.Address, r.Lat, r.Lng, r.AnonymizedAt, r.UpdatedAt = nil, "", nil, nil, &now, now
	return r.event(Actor{Name: "系统"}, ActAnonymise, r.Status, r.Status, "", Internal, "", now)
}

// OwnedBy reports whether the resident with this id submitted the item.
func (r *Request) OwnedBy(residentID int64) bool {
	return r.ResidentID != nil && *r.ResidentID == residentID
}

// RequestFilter narrows a list of requests.
type RequestFilter struct {
	ResidentID int64
	Status     RequestStatus
	Cursor     string
	Size       int
}

// ContentVerdict is the content-security check's answer on user text.
type ContentVerdict string

// Content verdicts: pass, review (accept, flag for a cadre) and risky (refuse).
const (
	VerdictPass   ContentVerdict = "pass"
	VerdictReview ContentVerdict = "review"
	VerdictRisky  ContentVerdict = "risky"
)
