package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// workRoutes adds the cadre side: the inbox, the state machine's actions,
// items recorded by staff, invitations (约请), and staff WeChat binding.
func (s *Server) workRoutes(g routeGroups) {
	signed, work := g.signed, g.work
	signed.POST("/auth/wechat/bind", requireStaff, s.bindStaffWechat)

	work.GET("/requests", s.workInbox)
	work.POST("/requests", s.recordItem)
	work.GET("/requests/:id", s.workDetail)
	for action, h := range map[string]func(c *gin.Context, p actCtx) (*service.WorkDetail, error){
		"accept": s.actAccept, "reject": s.actReject, "transfer": s.actTransfer, "assign": s.actAssign,
		"progress": s.actProgress, "invite": s.actInvite, "resolve": s.actResolve, "respond": s.actRespond,
		"park": s.actPark, "resume": s.actResume,
	} {
		work.POST("/requests/:id/"+action, s.act(h))
	}

	work.GET("/invitations", s.listInvitations)
	work.GET("/invitations/summary", s.invitationSummary)
	work.POST("/invitations/:id/accept", s.acceptInvitation)
	work.POST("/invitations/:id/decline", s.declineInvitation)
	work.POST("/invitations/:id/reply", s.replyInvitation)
}

// workEventDTO is a timeline entry as staff see it (internal ones included).
type workEventDTO struct {
	ID         int64               `json:"id"`
	Action     model.RequestAction `json:"action"`
	FromStatus model.RequestStatus `json:"from_status"`
	ToStatus   model.RequestStatus `json:"to_status"`
	Note       string              `json:"note"`
	Visibility model.Visibility    `json:"visibility"`
	ActorKind  model.SubjectKind   `json:"actor_kind"`
	ActorID    *int64              `json:"actor_id"`
	ActorName  string              `json:"actor_name"`
	Detail     string              `json:"detail"`
	At         string              `json:"at"`
}

// photoDTO is an image of a request; url is a short-lived signed link
// (blob.LinkTTL) that loads without a Bearer header.
type photoDTO struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Stage string `json:"stage,omitempty"`
}

type contactDTO struct {
	Name        string `json:"name"`
	Phone       string `json:"phone"`
	PhoneMasked bool   `json:"phone_masked"`
}

// workRequestDTO is a request as cadres see it.
type workRequestDTO struct {
	requestDTO
	AssigneeID  *int64          `json:"assignee_id"`
	DueAt       *string         `json:"due_at"`
	Overdue     bool            `json:"overdue"`
	DueSoon     bool            `json:"due_soon"`
	ReviewDate  *string         `json:"review_date"`
	DuplicateOf *int64          `json:"duplicate_of"`
	SessionID   *int64          `json:"session_id"`
	Timeline    []workEventDTO  `json:"timeline,omitempty"`
	Contact     *contactDTO     `json:"contact,omitempty"`
	Invitations []invitationDTO `json:"invitations,omitempty"`
	CanAct      *bool           `json:"can_act,omitempty"`
	// Actions the caller may take now (empty when can_act is false).
	Actions []model.RequestAction `json:"actions,omitempty"`
	// ActionItems are Actions with the label a button shows and whether the
	// action is destructive (styled apart, confirmed first).
	ActionItems []actionItemDTO `json:"action_items,omitempty"`
}

// actionItemDTO is one action a desk offers as a button.
type actionItemDTO struct {
	Action      model.RequestAction `json:"action"`
	Label       string              `json:"label"`
	Destructive bool                `json:"destructive"`
}

func toWorkRequest(r *model.Request, clk service.DueClock) workRequestDTO {
	d := workRequestDTO{requestDTO: toRequest(r), AssigneeID: r.AssigneeID, ReviewDate: r.ReviewDate,
		DuplicateOf: r.DuplicateOf, SessionID: r.SessionID, Overdue: r.Overdue(clk.Now), DueSoon: r.DueSoon(clk.Now, clk.SoonLimit)}
	if r.Status.Open() {
		due := rfc3339(r.Due())
		d.DueAt = &due
	}
	return d
}

func toWorkDetail(w *service.WorkDetail, link imageLinker) workRequestDTO {
	d := toWorkRequest(w.Request, w.Clock)
	d.Timeline = make([]workEventDTO, len(w.Timeline))
	for i, e := range w.Timeline {
		d.Timeline[i] = workEventDTO{ID: e.ID, Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus, Note: e.Note,
			Visibility: e.Visibility, ActorKind: e.ActorKind, ActorID: e.ActorID, ActorName: e.ActorName, Detail: e.Detail,
			At: rfc3339(e.At)}
	}
	d.Photos = make([]photoDTO, len(w.Images))
	for i, im := range w.Images {
		d.Photos[i] = photoDTO{ID: im.ID, URL: link(im.ID), Stage: im.Stage}
		d.ImageIDs = append(d.ImageIDs, im.ID)
	}
	d.Contact = &contactDTO{Name: w.Contact.Name, Phone: w.Contact.Phone, PhoneMasked: w.Contact.PhoneMasked}
	d.Invitations = make([]invitationDTO, len(w.Invitations))
	for i := range w.Invitations {
		d.Invitations[i] = toInvitation(&w.Invitations[i], w.Clock.Now)
	}
	canAct := w.CanAct
	d.CanAct = &canAct
	d.Actions = []model.RequestAction{}
	if canAct {
		d.Actions = w.StaffActions(w.Clock.Now)
	}
	d.ActionItems = make([]actionItemDTO, len(d.Actions))
	for i, a := range d.Actions {
		d.ActionItems[i] = actionItemDTO{Action: a, Label: a.Label(), Destructive: a.Destructive()}
	}
	return d
}

// queryFlag reads an optional 0/1 (or true/false) query parameter.
func queryFlag(c *gin.Context, name string) (bool, error) {
	switch c.Query(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, model.Invalid("查询参数 %s 须为 1 或 0", name)
}

func (s *Server) workInbox(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	q := service.InboxQuery{Status: model.RequestStatus(c.Query("status")), Assignee: c.Query("assignee"),
		Source: model.RequestSource(c.Query("source")), Q: c.Query("q"), Cursor: cur, Size: size}
	for name, dst := range map[string]*int64{"category_id": &q.CategoryID, "community_id": &q.CommunityID} {
		if *dst, err = queryInt(c, name); err != nil {
			fail(c, err)
			return
		}
	}
	for name, dst := range map[string]*bool{"overdue": &q.Overdue, "due_soon": &q.DueSoon} {
		if *dst, err = queryFlag(c, name); err != nil {
			fail(c, err)
			return
		}
	}
	page, clk, err := s.d.Work.Inbox(c.Request.Context(), principal(c), q)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]workRequestDTO, len(page.Items))
	for i := range page.Items {
		items[i] = toWorkRequest(&page.Items[i], clk)
	}
	ok(c, http.StatusOK, gin.H{"items": items, "next_cursor": page.NextCursor})
}

func (s *Server) workDetail(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	d, err := s.d.Work.Detail(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toWorkDetail(d, s.imageURL))
}

// actCtx is what every action handler gets.
type actCtx struct {
	ctx   contextT
	p     *model.Principal
	actor model.Actor
	id    int64
}

// act wraps an action: path id, then the handler, then the request as the caller sees it.
func (s *Server) act(h func(c *gin.Context, a actCtx) (*service.WorkDetail, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id")
		if err != nil {
			fail(c, err)
			return
		}
		d, err := h(c, actCtx{ctx: c.Request.Context(), p: principal(c), actor: actor(c), id: id})
		if err != nil {
			fail(c, err)
			return
		}
		ok(c, http.StatusOK, toWorkDetail(d, s.imageURL))
	}
}

type noteReq struct {
	Note string `json:"note" binding:"max=8000"`
}

func (s *Server) actAccept(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in noteReq
	if err := bindOptionalJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Accept(a.ctx, a.p, a.actor, a.id, in.Note)
}

type rejectReq struct {
	Reason      string `json:"reason" binding:"required,max=8000"`
	DuplicateOf *int64 `json:"duplicate_of" binding:"omitempty,min=1"`
}

func (s *Server) actReject(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in rejectReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Reject(a.ctx, a.p, a.actor, a.id, in.Reason, in.DuplicateOf)
}

type transferReq struct {
	OrgID int64  `json:"org_id" binding:"required,min=1"`
	Note  string `json:"note" binding:"required,max=8000"`
}

func (s *Server) actTransfer(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in transferReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Transfer(a.ctx, a.p, a.actor, a.id, in.OrgID, in.Note)
}

type assignReq struct {
	AccountID int64 `json:"account_id" binding:"required,min=1"`
}

func (s *Server) actAssign(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in assignReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Assign(a.ctx, a.p, a.actor, a.id, in.AccountID)
}

type progressReq struct {
	Note   string `json:"note" binding:"required,max=8000"`
	Public bool   `json:"public"`
}

func (s *Server) actProgress(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in progressReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Progress(a.ctx, a.p, a.actor, a.id, in.Note, in.Public)
}

type inviteReq struct {
	DepartmentID int64  `json:"department_id" binding:"required,min=1"`
	Message      string `json:"message" binding:"required,max=8000"`
	DueDate      string `json:"due_date" binding:"required,max=10"`
}

func (s *Server) actInvite(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in inviteReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Invite(a.ctx, a.p, a.actor, a.id, in.DepartmentID, in.Message, in.DueDate)
}

type resultReq struct {
	Result   string  `json:"result" binding:"required,max=8000"`
	ImageIDs []int64 `json:"image_ids" binding:"max=9"`
}

func (s *Server) actResolve(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in resultReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Resolve(a.ctx, a.p, a.actor, a.id, service.CloseInput{Result: in.Result, ImageIDs: in.ImageIDs})
}

func (s *Server) actRespond(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in resultReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Respond(a.ctx, a.p, a.actor, a.id, service.CloseInput{Result: in.Result, ImageIDs: in.ImageIDs})
}

type parkReq struct {
	Plan       string `json:"plan" binding:"required,max=8000"`
	ReviewDate string `json:"review_date" binding:"required,max=10"`
}

func (s *Server) actPark(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in parkReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Park(a.ctx, a.p, a.actor, a.id, in.Plan, in.ReviewDate)
}

func (s *Server) actResume(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in noteReq
	if err := bindOptionalJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Work.Resume(a.ctx, a.p, a.actor, a.id, in.Note)
}

type recordReq struct {
	CategoryID  int64            `json:"category_id" binding:"required,min=1"`
	Content     string           `json:"content" binding:"required,max=8000"`
	CommunityID int64            `json:"community_id" binding:"required,min=1"`
	Source      string           `json:"source" binding:"omitempty,oneof=staff walk_in"`
	Name        string           `json:"name" binding:"max=128"`
	Phone       string           `json:"phone" binding:"max=32"`
	Residency   *model.Residency `json:"residency" binding:"omitempty,oneof=hukou non_hukou"`
	Address     string           `json:"address" binding:"max=800"`
}

// recordItem records an item on a resident's behalf.
func (s *Server) recordItem(c *gin.Context) {
	var in recordReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	d, err := s.d.Work.Record(c.Request.Context(), principal(c), actor(c), service.StaffItemInput{
		CategoryID: in.CategoryID, Content: in.Content, CommunityID: in.CommunityID, Source: model.RequestSource(in.Source),
		Name: in.Name, Phone: in.Phone, Residency: in.Residency, Address: in.Address})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, toWorkDetail(d, s.imageURL))
}

// invitationDTO is an invitation (约请) as staff see it (schema Invitation).
type invitationDTO struct {
	ID             int64                  `json:"id"`
	RequestID      int64                  `json:"request_id"`
	RequestNumber  string                 `json:"request_number,omitempty"`
	DepartmentID   int64                  `json:"department_id"`
	DepartmentName string                 `json:"department_name,omitempty"`
	InviterID      int64                  `json:"inviter_id"`
	InviterOrgID   int64                  `json:"inviter_org_id"`
	Status         model.InvitationStatus `json:"status"`
	StatusLabel    string                 `json:"status_label"`
	Message        string                 `json:"message"`
	Reply          *string                `json:"reply"`
	DeclineReason  *string                `json:"decline_reason"`
	SessionID      *int64                 `json:"session_id"`
	DueDate        string                 `json:"due_date"`
	Overdue        bool                   `json:"overdue"`
	AnsweredAt     *string                `json:"answered_at"`
	CreatedAt      string                 `json:"created_at"`
	// Answers the invited department may give now (accept, decline, reply).
	Answers []string `json:"answers"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toInvitation(v *model.Invitation, now time.Time) invitationDTO {
	return invitationDTO{ID: v.ID, RequestID: v.RequestID, RequestNumber: v.RequestNumber, DepartmentID: v.DepartmentID,
		DepartmentName: v.DepartmentName, InviterID: v.InviterID, InviterOrgID: v.InviterOrgID, Status: v.Status,
		StatusLabel: v.Status.Label(), Message: v.Message, Reply: strPtr(v.ReplyText), DeclineReason: strPtr(v.DeclineReason),
		SessionID: v.SessionID, DueDate: v.DueDate, Overdue: v.Overdue(now), AnsweredAt: timePtr(v.AnsweredAt),
		CreatedAt: rfc3339(v.CreatedAt), Answers: v.Answers(now)}
}

func (s *Server) listInvitations(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Work.Invitations(c.Request.Context(), principal(c), service.InvitationQuery{Side: c.Query("side"),
		Status: model.InvitationStatus(c.Query("status")), Cursor: cur, Size: size})
	if err != nil {
		fail(c, err)
		return
	}
	now := s.d.Work.Now()
	ok(c, http.StatusOK, pageOf(page.Items, page.NextCursor, func(v model.Invitation) invitationDTO { return toInvitation(&v, now) }))
}

func (s *Server) invitationSummary(c *gin.Context) {
	counts, err := s.d.Work.InvitationSummary(c.Request.Context(), principal(c))
	if err != nil {
		fail(c, err)
		return
	}
	out := invitationSummaryDTO{Items: make([]invitationCountDTO, len(counts))}
	for i, n := range counts {
		out.Items[i] = newInvitationCountDTO(n)
		out.Open += n.Open
	}
	ok(c, http.StatusOK, out)
}

// answerInvitation wraps the department's answers.
func (s *Server) answerInvitation(c *gin.Context, h func(a actCtx) (*model.Invitation, error)) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	v, err := h(actCtx{ctx: c.Request.Context(), p: principal(c), actor: actor(c), id: id})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toInvitation(v, s.d.Work.Now()))
}

func (s *Server) acceptInvitation(c *gin.Context) {
	s.answerInvitation(c, func(a actCtx) (*model.Invitation, error) {
		var in struct{}
		if err := bindOptionalJSON(c, &in); err != nil {
			return nil, err
		}
		return s.d.Work.AcceptInvitation(a.ctx, a.p, a.actor, a.id)
	})
}

type declineReq struct {
	Reason string `json:"reason" binding:"required,max=8000"`
}

func (s *Server) declineInvitation(c *gin.Context) {
	s.answerInvitation(c, func(a actCtx) (*model.Invitation, error) {
		var in declineReq
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.d.Work.DeclineInvitation(a.ctx, a.p, a.actor, a.id, in.Reason)
	})
}

type replyReq struct {
	Message   string `json:"message" binding:"required,max=8000"`
	SessionID *int64 `json:"session_id" binding:"omitempty,min=1"`
}

func (s *Server) replyInvitation(c *gin.Context) {
	s.answerInvitation(c, func(a actCtx) (*model.Invitation, error) {
		var in replyReq
		if err := bindJSON(c, &in); err != nil {
			return nil, err
		}
		return s.d.Work.ReplyInvitation(a.ctx, a.p, a.actor, a.id, in.Message, in.SessionID)
	})
}

type bindWechatReq struct {
	Code string `json:"code" binding:"required,max=128" clean:"-"` // checked whole by the WeChat adapter
}

// bindStaffWechat links the signed-in staff member's WeChat (cadre mode).
func (s *Server) bindStaffWechat(c *gin.Context) {
	var in bindWechatReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	acc, err := s.d.StaffWechat.Bind(c.Request.Context(), principal(c), actor(c), in.Code)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toAccount(acc))
}
