package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// eventDTO is a timeline entry as residents see it.
type eventDTO struct {
	Action     model.RequestAction `json:"action"`
	FromStatus model.RequestStatus `json:"from_status"`
	ToStatus   model.RequestStatus `json:"to_status"`
	Note       string              `json:"note"`
	ActorKind  model.SubjectKind   `json:"actor_kind"`
	At         string              `json:"at"`
}

// requestDTO is a request as its resident sees it.
type requestDTO struct {
	ID               int64               `json:"id"`
	Number           string              `json:"number"`
	Status           model.RequestStatus `json:"status"`
	StatusLabel      string              `json:"status_label"`
	Source           model.RequestSource `json:"source"`
	CategoryID       int64               `json:"category_id"`
	Content          string              `json:"content"`
	CommunityID      int64               `json:"community_id"`
	HandlingOrgID    int64               `json:"handling_org_id"`
	Residency        *model.Residency    `json:"residency"`
	Address          string              `json:"address"`
	Lat              *float64            `json:"lat"`
	Lng              *float64            `json:"lng"`
	ImageIDs         []int64             `json:"image_ids,omitempty"`
	Photos           []photoDTO          `json:"photos,omitempty"`
	AcceptDueAt      string              `json:"accept_due_at"`
	ResolveDueAt     string              `json:"resolve_due_at"`
	AcceptedAt       *string             `json:"accepted_at"`
	ClosedAt         *string             `json:"closed_at"`
	Result           *string             `json:"result"`
	Rating           *int                `json:"rating"`
	RatingComment    string              `json:"rating_comment"`
	RedoCount        int                 `json:"redo_count"`
	CanWithdraw      bool                `json:"can_withdraw"`
	CanRate          bool                `json:"can_rate"`
	CanShare         *bool               `json:"can_share,omitempty"` // the resident's detail: it may be shared now
	FlaggedForReview bool                `json:"flagged_for_review"`
	DuplicateOf      *int64              `json:"duplicate_of"` // merged (or rejected) as a duplicate of this item
	CreatedAt        string              `json:"created_at"`
	UpdatedAt        string              `json:"updated_at"`
	Timeline         []eventDTO          `json:"timeline,omitempty"`
}

func timePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

func toRequest(r *model.Request) requestDTO {
	d := requestDTO{ID: r.ID, Number: r.Number, Status: r.Status, StatusLabel: r.Status.Label(), Source: r.Source,
		CategoryID: r.CategoryID, Content: r.Content, CommunityID: r.CommunityID, HandlingOrgID: r.HandlingOrgID,
		Residency: r.Residency, Address: r.Address, Lat: r.Lat, Lng: r.Lng, AcceptDueAt: rfc3339(r.AcceptDueAt),
		ResolveDueAt: rfc3339(r.ResolveDueAt), AcceptedAt: timePtr(r.AcceptedAt), ClosedAt: timePtr(r.ClosedAt),
		Rating: r.Rating, RatingComment: r.RatingComment, RedoCount: r.RedoCount,
		CanWithdraw: r.CanWithdraw(), CanRate: r.CanRate(), FlaggedForReview: r.FlaggedForReview,
		DuplicateOf: r.DuplicateOf,
		CreatedAt:   rfc3339(r.CreatedAt), UpdatedAt: rfc3339(r.UpdatedAt)}
	if r.Result != "" {
		res := r.Result
		d.Result = &res
	}
	return d
}

func toRequestDetail(d *service.RequestDetail, link imageLinker) requestDTO {
	out := toRequest(d.Request)
	share := d.Request.Shown() == nil
	out.CanShare = &share
	out.ImageIDs = d.ImageIDs
	out.Photos = make([]photoDTO, len(d.Images))
	for i, im := range d.Images {
		out.Photos[i] = photoDTO{ID: im.ID, URL: link(im.ID), Stage: im.Stage}
	}
	out.Timeline = make([]eventDTO, len(d.Timeline))
	for i, e := range d.Timeline {
		out.Timeline[i] = eventDTO{Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus, Note: e.Note,
			ActorKind: e.ActorKind, At: rfc3339(e.At)}
	}
	return out
}

type submitReq struct {
	CategoryID  int64    `json:"category_id" binding:"required,min=1"`
	Content     string   `json:"content" binding:"required,max=8000"`
	CommunityID int64    `json:"community_id" binding:"required,min=1"`
	Address     string   `json:"address" binding:"max=800"`
	ImageIDs    []int64  `json:"image_ids" binding:"max=9"`
	Lat         *float64 `json:"lat"`
	Lng         *float64 `json:"lng"`
}

// submitRequest records a resident's request; with an Idempotency-Key a retry
// gets the first response (status and body) again.
func (s *Server) submitRequest(c *gin.Context) {
	var in submitReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	render := func(r *model.Request) (int, []byte, error) {
		b, err := json.Marshal(gin.H{"code": "ok", "data": toRequest(r)})
		return http.StatusCreated, b, err
	}
	res, err := s.d.Requests.Submit(c.Request.Context(), principal(c), actor(c), service.SubmitInput{
		CategoryID: in.CategoryID, Content: in.Content, CommunityID: in.CommunityID, Address: in.Address,
		ImageIDs: in.ImageIDs, Lat: in.Lat, Lng: in.Lng}, c.GetHeader("Idempotency-Key"), render)
	if err != nil {
		fail(c, err)
		return
	}
	if res.Request == nil {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Data(res.Status, "application/json; charset=utf-8", res.Body)
}

func (s *Server) listMyRequests(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Requests.ListMine(c.Request.Context(), principal(c), model.RequestStatus(c.Query("status")), cur, size)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]requestDTO, len(page.Items))
	for i := range page.Items {
		items[i] = toRequest(&page.Items[i])
	}
	ok(c, http.StatusOK, gin.H{"items": items, "next_cursor": page.NextCursor})
}

func (s *Server) getMyRequest(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	d, err := s.d.Requests.Mine(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toRequestDetail(d, s.imageURL))
}

type withdrawReq struct {
	Reason string `json:"reason" binding:"max=8000"`
}

func (s *Server) withdrawRequest(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in withdrawReq
	if err := bindOptionalJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	d, err := s.d.Requests.Withdraw(c.Request.Context(), principal(c), actor(c), id, in.Reason)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toRequestDetail(d, s.imageURL))
}

type ratingReq struct {
	Score   int    `json:"score" binding:"required,min=1,max=5"`
	Comment string `json:"comment" binding:"max=2000"`
	Redo    bool   `json:"redo"`
}

func (s *Server) rateRequest(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in ratingReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	d, err := s.d.Requests.Rate(c.Request.Context(), principal(c), actor(c), id,
		service.RatingInput{Score: in.Score, Comment: in.Comment, Redo: in.Redo})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toRequestDetail(d, s.imageURL))
}

// bindOptionalJSON is bindJSON for bodies that may be left out entirely.
func bindOptionalJSON(c *gin.Context, dst any) error {
	if c.Request.ContentLength == 0 {
		return nil
	}
	return bindJSON(c, dst)
}

// requestRoutes registers the resident's own requests.
func (s *Server) requestRoutes(g routeGroups) {
	my := g.my
	my.POST("/requests", s.submitRequest)
	my.GET("/requests", s.listMyRequests)
	my.GET("/requests/:id", s.getMyRequest)
	my.POST("/requests/:id/withdraw", s.withdrawRequest)
	my.POST("/requests/:id/rating", s.rateRequest)
}
