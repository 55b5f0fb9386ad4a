package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

type createAccountReq struct {
	Username string `json:"username" binding:"required,max=32"`
	Password string `json:"password" binding:"required,max=72" clean:"-"`
	Name     string `json:"name" binding:"required,max=64"`
	Role     string `json:"role" binding:"required,oneof=cadre admin"`
	OrgID    int64  `json:"org_id" binding:"required,min=1"`
	Phone    string `json:"phone" binding:"max=20"`
}

func (s *Server) createAccount(c *gin.Context) {
	var in createAccountReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	a, err := s.d.Accounts.Create(c.Request.Context(), principal(c), actor(c), service.NewAccountInput{
		Username: in.Username, Password: in.Password, Name: in.Name, Phone: in.Phone,
		Role: model.Role(in.Role), OrgID: in.OrgID})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, toAccount(a))
}

func (s *Server) getAccount(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	a, err := s.d.Accounts.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toAccount(a))
}

func (s *Server) listAccounts(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	orgID, err := queryInt(c, "org_id")
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Accounts.List(c.Request.Context(), principal(c), service.AccountQuery{
		OrgID: orgID, Role: model.Role(c.Query("role")), Status: model.AccountStatus(c.Query("status")),
		Query: c.Query("q"), Cursor: cur, Size: size})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(page.Items, page.NextCursor, func(a model.Account) accountDTO { return toAccount(&a) }))
}

type updateAccountReq struct {
	Name  *string `json:"name" binding:"omitempty,max=64"`
	Phone *string `json:"phone" binding:"omitempty,max=20"`
	Role  *string `json:"role" binding:"omitempty,oneof=cadre admin"`
	OrgID *int64  `json:"org_id" binding:"omitempty,min=1"`
}

func (s *Server) updateAccount(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in updateAccountReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	patch := service.AccountPatch{Name: in.Name, Phone: in.Phone, OrgID: in.OrgID}
	if in.Role != nil {
		r := model.Role(*in.Role)
		patch.Role = &r
	}
	a, err := s.d.Accounts.Update(c.Request.Context(), principal(c), actor(c), id, patch)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toAccount(a))
}

func (s *Server) disableAccount(c *gin.Context) { s.accountAction(c, s.d.Accounts.Disable) }
func (s *Server) enableAccount(c *gin.Context)  { s.accountAction(c, s.d.Accounts.Enable) }

func (s *Server) accountAction(c *gin.Context, fn func(ctx contextT, p *model.Principal, a model.Actor, id int64) (*model.Account, error)) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	a, err := fn(c.Request.Context(), principal(c), actor(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toAccount(a))
}

type resetPasswordReq struct {
	Password string `json:"password" binding:"required,max=72" clean:"-"`
}

func (s *Server) resetPassword(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in resetPasswordReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	a, err := s.d.Accounts.ResetPassword(c.Request.Context(), principal(c), actor(c), id, in.Password)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toAccount(a))
}

// accountRoutes registers the admins' staff account routes.
func (s *Server) accountRoutes(g routeGroups) {
	admin := g.admin
	admin.GET("/accounts", s.listAccounts)
	admin.POST("/accounts", s.createAccount)
	admin.GET("/accounts/:id", s.getAccount)
	admin.PATCH("/accounts/:id", s.updateAccount)
	admin.PUT("/accounts/:id", s.updateAccount)
	admin.POST("/accounts/:id/disable", s.disableAccount)
	admin.POST("/accounts/:id/enable", s.enableAccount)
	admin.POST("/accounts/:id/reset-password", s.resetPassword)
}
