package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/service"
)

// shareRoutes adds sharing a request (the owner makes a link) and the public
// view behind a link (anybody, no sign-in).
func (s *Server) shareRoutes(g routeGroups) {
	g.my.POST("/requests/:id/share", s.shareRequest)
	g.v1.GET("/public/requests/:token", s.sharedRequest)
}

// shareDTO is a request's share link: the token and the mini-program path
// that opens it.
type shareDTO struct {
	RequestID int64  `json:"request_id"`
	Token     string `json:"token"`
	Path      string `json:"path"`
	CreatedAt string `json:"created_at"`
}

// sharedRequestDTO is a shared request as anybody sees it: the public item
// without its id and without the caller's following, the names of its
// category and community, and its status steps.
type sharedRequestDTO struct {
	Number        string    `json:"number"`
	CategoryID    int64     `json:"category_id"`
	CategoryName  string    `json:"category_name"`
	CommunityID   int64     `json:"community_id"`
	CommunityName string    `json:"community_name"`
	Status        string    `json:"status"`
	StatusLabel   string    `json:"status_label"`
	Excerpt       string    `json:"excerpt"`
	CreatedAt     string    `json:"created_at"`
	AgeDays       int       `json:"age_days"`
	Followers     int       `json:"followers"`
	Result        *string   `json:"result,omitempty"`
	ClosedAt      *string   `json:"closed_at,omitempty"`
	Steps         []stepDTO `json:"steps"`
}

// shareRequest serves POST /my/requests/{id}/share: 201 with a new link, 200
// with the one made before.
func (s *Server) shareRequest(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	sh, created, err := s.d.Shares.Share(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	ok(c, status, shareDTO{RequestID: sh.RequestID, Token: sh.Token, Path: service.SharePage + "?token=" + sh.Token,
		CreatedAt: rfc3339(sh.CreatedAt)})
}

// sharedRequest serves GET /public/requests/{token}.
func (s *Server) sharedRequest(c *gin.Context) {
	it, err := s.d.Shares.Shared(c.Request.Context(), c.ClientIP(), c.Param("token"))
	if err != nil {
		fail(c, err)
		return
	}
	p := toPublicItem(it.PublicItem)
	d := sharedRequestDTO{Number: p.Number, CategoryID: p.CategoryID, CategoryName: it.CategoryName,
		CommunityID: p.CommunityID, CommunityName: it.CommunityName, Status: string(p.Status), StatusLabel: p.StatusLabel,
		Excerpt: p.Excerpt, CreatedAt: p.CreatedAt, AgeDays: p.AgeDays, Followers: p.Followers, Result: p.Result,
		ClosedAt: p.ClosedAt, Steps: []stepDTO{}}
	for _, e := range it.Steps {
		d.Steps = append(d.Steps, stepDTO{Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus, At: rfc3339(e.At)})
	}
	c.Header("Cache-Control", "no-store")
	ok(c, http.StatusOK, d)
}
