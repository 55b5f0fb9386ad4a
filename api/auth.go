package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

type staffLoginReq struct {
	Username string `json:"username" binding:"required,max=32"`
	Password string `json:"password" binding:"required,max=72" clean:"-"`
}

// accountDTO is an account as the API shows it (never the password hash).
type accountDTO struct {
	ID                 int64               `json:"id"`
	Username           string              `json:"username"`
	Name               string              `json:"name"`
	Phone              string              `json:"phone"`
	Role               model.Role          `json:"role"`
	OrgID              int64               `json:"org_id"`
	OrgKind            model.OrgKind       `json:"org_kind,omitempty"`
	Status             model.AccountStatus `json:"status"`
	MustChangePassword bool                `json:"must_change_password"`
	WechatBound        bool                `json:"wechat_bound"`
	CreatedAt          string              `json:"created_at"`
	UpdatedAt          string              `json:"updated_at"`
}

func toAccount(a *model.Account) accountDTO {
	return accountDTO{ID: a.ID, Username: a.Username, Name: a.Name, Phone: a.Phone, Role: a.Role, OrgID: a.OrgID,
		OrgKind: a.OrgKind, Status: a.Status, MustChangePassword: a.MustChangePassword, WechatBound: a.WechatOpenID != nil,
		CreatedAt: rfc3339(a.CreatedAt), UpdatedAt: rfc3339(a.UpdatedAt)}
}

func (s *Server) staffLogin(c *gin.Context) {
	var in staffLoginReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	tok, acc, err := s.d.Auth.StaffLogin(c.Request.Context(), in.Username, in.Password, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, staffSignInDTO{Token: tok.Token, ExpiresAt: rfc3339(tok.ExpiresAt), Account: toAccount(acc)})
}

// staffSignInDTO is the answer to a staff sign-in.
type staffSignInDTO struct {
	Token     string     `json:"token"`
	ExpiresAt string     `json:"expires_at"`
	Account   accountDTO `json:"account"`
}

// signedOutDTO is the (empty) answer to signing out.
type signedOutDTO struct{}

// meDTO is the caller: a staff account, or a resident's id and name.
type meDTO struct {
	Kind      model.SubjectKind `json:"kind"`
	Account   *accountDTO       `json:"account,omitempty"`
	Resident  *meResidentDTO    `json:"resident,omitempty"`
	ExpiresAt string            `json:"expires_at"`
}

// meResidentDTO is a signed-in resident as GET /auth/me names them.
type meResidentDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (s *Server) logout(c *gin.Context) {
	if err := s.d.Auth.Logout(c.Request.Context(), principal(c)); err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, signedOutDTO{})
}

// me returns the caller: the staff account, or the resident's principal.
func (s *Server) me(c *gin.Context) {
	p := principal(c)
	if p.IsStaff() {
		acc, err := s.d.Accounts.Self(c.Request.Context(), p)
		if err != nil {
			fail(c, err)
			return
		}
		a := toAccount(acc)
		ok(c, http.StatusOK, meDTO{Kind: p.Kind, Account: &a, ExpiresAt: rfc3339(p.ExpiresAt)})
		return
	}
	ok(c, http.StatusOK, meDTO{Kind: p.Kind, Resident: &meResidentDTO{ID: p.ID, Name: p.Name}, ExpiresAt: rfc3339(p.ExpiresAt)})
}

type changePasswordReq struct {
	OldPassword string `json:"old_password" binding:"required,max=72" clean:"-"`
	NewPassword string `json:"new_password" binding:"required,max=72" clean:"-"`
}

func (s *Server) changePassword(c *gin.Context) {
	var in changePasswordReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	acc, err := s.d.Auth.ChangePassword(c.Request.Context(), principal(c), in.OldPassword, in.NewPassword)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toAccount(acc))
}

// authRoutes registers signing in (staff, and residents through WeChat),
// signing out, the signed-in account and its password.
func (s *Server) authRoutes(g routeGroups) {
	g.v1.POST("/auth/staff", s.staffLogin)
	g.v1.POST("/auth/wechat", s.wechatLogin)
	g.signed.POST("/auth/logout", s.logout)
	g.signed.GET("/auth/me", s.me)
	g.signed.POST("/auth/password", requireStaff, s.changePassword)
}
