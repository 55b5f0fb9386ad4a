package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"zhilian/model"
)

// ContentChecker is WeChat's content-security check on user text.
type ContentChecker interface {
	CheckText(ctx context.Context, openID, text string) (model.ContentVerdict, error)
}

// NewRequestRecord is everything written when a request is submitted.
type NewRequestRecord struct {
	Request      *model.Request
	Event        *model.RequestEvent
	ImageIDs     []int64
	ImageOwner   model.SubjectKind // images must belong to this subject
	ImageOwnerID int64
	Idem         *model.IdempotencyRecord // nil without an Idempotency-Key
	// Render builds the response stored with the idempotency record (status, body).
	Render func(*model.Request) (int, []byte, error)
	// Notify builds the outbox rows written in the same transaction (nil: none).
	Notify func(*model.Request) []*model.OutboxMessage
	// Rows builds further rows (model values such as an audit row) inserted in
	// the same transaction once the request has its id (nil: none).
	Rows func(*model.Request) []any
}

// RequestEffects is what a change writes beside the request, in its transaction.
type RequestEffects struct {
	Events       []*model.RequestEvent
	Invitation   *model.Invitation // a new invitation of a department
	Images       []int64           // uploads of ImageOwner to attach after the current photos
	ImageStage   string
	ImageOwner   model.SubjectKind
	ImageOwnerID int64
	// WithdrawInvitations withdraws the item's open invitations (it was
	// closed or rejected), with an internal timeline event when there were any.
	WithdrawInvitations bool
	Actor               model.Actor
	// Notify builds the outbox rows once everything else is written.
	Notify func(*model.Request) []*model.OutboxMessage
}

// RequestImage is a photo of a request and the stage it was attached at
// ("submit" by the resident, "result" when the item was closed).
type RequestImage struct {
	ID    int64  `json:"id"`
	Stage string `json:"stage"`
}

// RequestRepo persists requests and their timelines.
type RequestRepo interface {
	// Submit numbers and inserts a request with its first event and image
	// links in one transaction, claiming the idempotency key in it. When the
	// key was already claimed it writes nothing and returns that record.
	Submit(ctx context.Context, rec NewRequestRecord) (replay *model.IdempotencyRecord, err error)
	Get(ctx context.Context, id int64) (*model.Request, error)
	// Change locks the request, applies change (model methods) and saves it
	// with the events change returns, in one transaction.
	Change(ctx context.Context, id int64, change func(*model.Request) ([]*model.RequestEvent, error)) (*model.Request, error)
	// Apply is Change with everything else the change writes (RequestEffects).
	Apply(ctx context.Context, id int64, change func(*model.Request) (*RequestEffects, error)) (*model.Request, error)
	Images(ctx context.Context, requestID int64) ([]RequestImage, error)
	ListByResident(ctx context.Context, f model.RequestFilter) (model.Page[model.Request], error)
	Events(ctx context.Context, requestID int64, publicOnly bool) ([]model.RequestEvent, error)
	Idempotency(ctx context.Context, kind model.SubjectKind, subjectID int64, scope, key string) (*model.IdempotencyRecord, error)
}

// CategoryReader loads categories.
type CategoryReader interface {
	Get(ctx context.Context, id int64) (*model.Category, error)
}

// SubmitLimit is how many requests a resident may submit per hour.
const SubmitLimit = 10

// scopeSubmit is the idempotency scope of request submission.
const scopeSubmit = "request.submit"

// Requests is the resident's side of requests: submit, follow, withdraw, rate.
type Requests struct {
	repo       RequestRepo
	residents  ResidentRepo
	categories CategoryReader
	orgs       OrgReader
	calendar   *Calendar
	checker    ContentChecker
	auth       *Auth
	staff      StaffDirectory
	now        func() time.Time
	log        *slog.Logger
}

// RequestsDeps are the collaborators of Requests.
type RequestsDeps struct {
	Repo       RequestRepo
	Residents  ResidentRepo
	Categories CategoryReader
	Orgs       OrgReader
	Calendar   *Calendar
	Checker    ContentChecker
	Auth       *Auth
	Staff      StaffDirectory // who hears of a new item; nil: nobody
	Now        func() time.Time
	Log        *slog.Logger
}

// NewRequests builds the requests service.
func NewRequests(d RequestsDeps) *Requests {
	return &Requests{repo: d.Repo, residents: d.Residents, categories: d.Categories, orgs: d.Orgs, calendar: d.Calendar,
		checker: d.Checker, auth: d.Auth, staff: d.Staff, now: d.Now, log: d.Log}
}

// notifiable lists the staff of an org who hear of new items there.
func (s *Requests) notifiable(ctx context.Context, orgID int64) ([]int64, error) {
	if s.staff == nil {
		return nil, nil
	}
	return s.staff.Notifiable(ctx, orgID, "")
}

// SubmitInput is a resident's new request.
type SubmitInput struct {
	CategoryID  int64    `json:"category_id"`
	Content     string   `json:"content"`
	CommunityID int64    `json:"community_id"`
	Address     string   `json:"address"`
	ImageIDs    []int64  `json:"image_ids"`
	Lat         *float64 `json:"lat"`
	Lng         *float64 `json:"lng"`
}

// SubmitResult is the response to a submission: freshly created, or the
// stored first response to the same Idempotency-Key.
type SubmitResult struct {
	Request *model.Request // nil on a replay
	Status  int
	Body    []byte
}

// hash is the fingerprint of the input an Idempotency-Key is bound to.
func (in SubmitInput) hash() string {
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// replay answers a retry from the stored record, or 422 when the body differs.
func replay(rec *model.IdempotencyRecord, hash string) (*SubmitResult, error) {
	if rec.BodyHash != hash {
		return nil, model.E(model.CodeIdempotencyMismatch, "该 Idempotency-Key 已用于内容不同的请求")
	}
	return &SubmitResult{Status: rec.Status, Body: rec.Response}, nil
}

// Submit records a resident's request. The text passes WeChat's content check
// first: risky is refused; review, or the check being unavailable, is accepted
// and flagged for a cadre's moderation, so no request is lost. With an
// Idempotency-Key, a retry with the same body gets the first response again.
func (s *Requests) Submit(ctx context.Context, p *model.Principal, actor model.Actor, in SubmitInput, key string,
	render func(*model.Request) (int, []byte, error)) (*SubmitResult, error) {
	if p.Kind != model.SubjectResident {
		return nil, model.ErrForbidden
	}
	content, err := model.ValidateContent(in.Content)
	if err != nil {
		return nil, err
	}
	in.Content = content
	hash := in.hash()
	if key != "" {
		if err := model.ValidIdempotencyKey(key); err != nil {
			return nil, err
		}
		rec, err := s.repo.Idempotency(ctx, p.Kind, p.ID, scopeSubmit, key)
		if err == nil {
			return replay(rec, hash)
		}
		if !model.IsCode(err, model.CodeNotFound) {
			return nil, err
		}
	}
	if err := validateImages(in.ImageIDs); err != nil {
		return nil, err
	}
	if err := s.auth.Limit(ctx, fmt.Sprintf("submit:resident:%d", p.ID), SubmitLimit, time.Hour); err != nil {
		return nil, err
	}
	res, err := s.residents.Get(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	cat, err := s.categories.Get(ctx, in.CategoryID)
	if err != nil && !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if err != nil || !cat.Active {
		return nil, model.Invalid("所选类别不存在或已停用")
	}
	community, town, err := s.communityAndTown(ctx, in.CommunityID)
	if err != nil {
		return nil, err
	}
	flag, risky := s.check(ctx, res, in.Content)
	if risky {
		return nil, model.E(model.CodeContentRisky, "内容含有不当信息，请修改后再提交")
	}
	now := s.now()
	acceptDue, err := s.calendar.AcceptDue(ctx, cat, now)
	if err != nil {
		return nil, err
	}
	resolveDue, err := s.calendar.ResolveDue(ctx, cat, now)
	if err != nil {
		return nil, err
	}
	recipients, err := s.notifiable(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	rid := p.ID
	req, ev, err := model.NewRequest(model.NewRequestInput{ResidentID: &rid, Source: model.SourceMiniProgram,
		CategoryID: cat.ID, Content: in.Content, CommunityID: community.ID, HandlingOrg: town, Residency: res.Residency,
		Address: in.Address, Lat: in.Lat, Lng: in.Lng, AcceptDueAt: acceptDue, ResolveDueAt: resolveDue,
		FlagReason: flag}, actor, now)
	if err != nil {
		return nil, err
	}
	rec := NewRequestRecord{Request: req, Event: ev, ImageIDs: in.ImageIDs, ImageOwner: p.Kind, ImageOwnerID: p.ID, Render: render,
		Notify: func(r *model.Request) []*model.OutboxMessage { return staffNewItem(r, recipients, 0, now) }}
	if key != "" {
		rec.Idem = &model.IdempotencyRecord{SubjectKind: p.Kind, SubjectID: p.ID, Scope: scopeSubmit, IdemKey: key,
			BodyHash: hash, CreatedAt: now}
	}
	prior, err := s.repo.Submit(ctx, rec)
	if err != nil {
		return nil, err
	}
	if prior != nil {
		return replay(prior, hash)
	}
	if req.FlaggedForReview {
		s.log.InfoContext(ctx, "request flagged for moderation", "request_id", req.ID, "reason", req.FlagReason)
	}
	out := &SubmitResult{Request: req}
	if rec.Idem != nil {
		out.Status, out.Body = rec.Idem.Status, rec.Idem.Response
	} else if out.Status, out.Body, err = render(req); err != nil {
		return nil, err
	}
	return out, nil
}

// check runs the content check: risky refuses the text; otherwise flag is ""
// to pass, or why the item waits for a cadre's moderation.
func (s *Requests) check(ctx context.Context, res *model.Resident, text string) (flag string, risky bool) {
	openID := ""
	if res.OpenID != nil {
		openID = *res.OpenID
	}
	verdict, err := s.checker.CheckText(ctx, openID, text)
	if err != nil {
		s.log.WarnContext(ctx, "content check unavailable; accepting and flagging", "err", err)
		return model.FlagUnavailable, false
	}
	switch verdict {
	case model.VerdictPass:
		return "", false
	case model.VerdictRisky:
		return "", true
	}
	return model.FlagReview, false
}

func validateImages(ids []int64) error {
	if len(ids) > model.MaxImages {
		return model.Invalid("最多上传 %d 张图片", model.MaxImages)
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if id <= 0 || seen[id] {
			return model.Invalid("image_ids 含有无效或重复的图片")
		}
		seen[id] = true
	}
	return nil
}

// communityAndTown loads an active community and its town (the handling org).
func (s *Requests) communityAndTown(ctx context.Context, id int64) (*model.Org, *model.Org, error) {
	bad := model.Invalid("所选社区不存在或已停用")
	c, err := s.orgs.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, nil, bad
		}
		return nil, nil, err
	}
	if c.Kind != model.OrgCommunity || !c.Active || c.ParentID == nil {
		return nil, nil, bad
	}
	town, err := s.orgs.Get(ctx, *c.ParentID)
	if err != nil {
		return nil, nil, err
	}
	if !town.Active {
		return nil, nil, model.E(model.CodeConflict, "该社区所属镇街已停用，请联系管理员")
	}
	return c, town, nil
}

// RequestDetail is a request with the timeline and photos the caller may see.
type RequestDetail struct {
	*model.Request
	Timeline []model.RequestEvent
	ImageIDs []int64
	Images   []RequestImage // ImageIDs with the stage each was attached at (submit, result)
}

// errRequestNotFound is what a resident gets for anybody else's request.
var errRequestNotFound = model.E(model.CodeNotFound, "诉求不存在")

// own loads a request of the calling resident.
func (s *Requests) own(ctx context.Context, p *model.Principal, id int64) (*model.Request, error) {
	r, err := s.repo.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, errRequestNotFound
		}
		return nil, err
	}
	if p.Kind != model.SubjectResident || !r.OwnedBy(p.ID) {
		return nil, errRequestNotFound
	}
	return r, nil
}

// Mine returns one of the caller's requests with its public timeline.
func (s *Requests) Mine(ctx context.Context, p *model.Principal, id int64) (*RequestDetail, error) {
	r, err := s.own(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, r)
}

func (s *Requests) detail(ctx context.Context, r *model.Request) (*RequestDetail, error) {
	events, err := s.repo.Events(ctx, r.ID, true)
	if err != nil {
		return nil, err
	}
	images, err := s.repo.Images(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(images))
	for i, im := range images {
		ids[i] = im.ID
	}
	return &RequestDetail{Request: r, Timeline: events, ImageIDs: ids, Images: images}, nil
}

// ListMine lists the caller's requests, newest first.
func (s *Requests) ListMine(ctx context.Context, p *model.Principal, status model.RequestStatus, cursor string, size int) (model.Page[model.Request], error) {
	if p.Kind != model.SubjectResident {
		return model.Page[model.Request]{}, model.ErrForbidden
	}
	if status != "" && !status.Valid() {
		return model.Page[model.Request]{}, model.Invalid("未知的状态：%s", status)
	}
	return s.repo.ListByResident(ctx, model.RequestFilter{ResidentID: p.ID, Status: status, Cursor: cursor, Size: size})
}

// Withdraw takes back one of the caller's requests while it is still submitted.
func (s *Requests) Withdraw(ctx context.Context, p *model.Principal, actor model.Actor, id int64, reason string) (*RequestDetail, error) {
	if _, err := s.own(ctx, p, id); err != nil {
		return nil, err
	}
	now := s.now()
	r, err := s.repo.Change(ctx, id, func(r *model.Request) ([]*model.RequestEvent, error) {
		if !r.OwnedBy(p.ID) {
			return nil, errRequestNotFound
		}
		e, err := r.Withdraw(actor, reason, now)
		return []*model.RequestEvent{e}, err
	})
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, r)
}

// RatingInput is a resident's rating of a closed request.
type RatingInput struct {
	Score   int
	Comment string
	Redo    bool
}

// Rate records the caller's rating of the current closure; with Redo it also
// reopens the request (within the window, at most model.MaxRedos times) with a
// new close deadline from the category's limit.
func (s *Requests) Rate(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in RatingInput) (*RequestDetail, error) {
	cur, err := s.own(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var resolveDue time.Time
	if in.Redo {
		cat, err := s.categories.Get(ctx, cur.CategoryID)
		if err != nil {
			return nil, err
		}
		if resolveDue, err = s.calendar.ResolveDue(ctx, cat, now); err != nil {
			return nil, err
		}
	}
	r, err := s.repo.Apply(ctx, id, func(r *model.Request) (*RequestEffects, error) {
		if !r.OwnedBy(p.ID) {
			return nil, errRequestNotFound
		}
		rated, err := r.Rate(actor, in.Score, in.Comment, now)
		if err != nil {
			return nil, err
		}
		if !in.Redo {
			return &RequestEffects{Events: []*model.RequestEvent{rated}}, nil
		}
		redo, err := r.Redo(actor, "", resolveDue, now)
		return &RequestEffects{Events: []*model.RequestEvent{rated, redo},
			Notify: func(r *model.Request) []*model.OutboxMessage { return one(noticeRedo(r, now)) }}, err
	})
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, r)
}

// CanView implements RequestGuard: the resident who submitted the request, or
// staff whose jurisdiction contains its handling org.
func (s *Requests) CanView(ctx context.Context, p *model.Principal, requestID int64) (bool, error) {
	r, err := s.repo.Get(ctx, requestID)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return false, nil
		}
		return false, err
	}
	if p.IsStaff() {
		return p.Reaches(r.OrgPath), nil
	}
	return p.Kind == model.SubjectResident && r.OwnedBy(p.ID), nil
}

var _ RequestGuard = (*Requests)(nil)
