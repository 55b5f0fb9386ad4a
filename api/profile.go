package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// profileOut is a resident's own profile (schema Profile). phone is masked
// as everywhere; phone_full is the number itself, shown only to its owner.
type profileOut struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	Phone           string  `json:"phone"`
	PhoneFull       string  `json:"phone_full"`
	CommunityID     *int64  `json:"community_id"`
	Residency       *string `json:"residency"`
	Address         string  `json:"address"`
	ElderMode       bool    `json:"elder_mode"`
	Status          string  `json:"status"`
	ProfileComplete bool    `json:"profile_complete"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
}

func profileDTO(p *service.Profile) profileOut {
	var res *string
	if p.Residency != nil {
		r := string(*p.Residency)
		res = &r
	}
	return profileOut{ID: p.ID, Name: p.Name, Phone: model.MaskPhone(p.Phone), PhoneFull: p.Phone,
		CommunityID: p.CommunityID, Residency: res, Address: p.Address, ElderMode: p.ElderMode,
		Status: string(p.Status), ProfileComplete: p.CommunityID != nil && p.Residency != nil && p.Name != "",
		CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt)}
}

func (s *Server) getProfile(c *gin.Context) {
	p, err := s.d.Profiles.Get(c.Request.Context(), principal(c))
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, profileDTO(p))
}

type profileReq struct {
	Name        *string `json:"name" binding:"omitempty,max=64"`
	Phone       *string `json:"phone" binding:"omitempty,max=20"`
	CommunityID *int64  `json:"community_id" binding:"omitempty,min=1"`
	Residency   *string `json:"residency" binding:"omitempty,oneof=hukou non_hukou"`
	Address     *string `json:"address" binding:"omitempty,max=800"`
	ElderMode   *bool   `json:"elder_mode"`
}

func (s *Server) updateProfile(c *gin.Context) {
	var in profileReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	patch := service.ProfileInput{Name: in.Name, Phone: in.Phone, CommunityID: in.CommunityID, Address: in.Address,
		ElderMode: in.ElderMode}
	if in.Residency != nil {
		r := model.Residency(*in.Residency)
		patch.Residency = &r
	}
	p, err := s.d.Profiles.Update(c.Request.Context(), principal(c), patch)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, profileDTO(p))
}

type phoneCodeReq struct {
	Code string `json:"code" binding:"required,max=128" clean:"-"` // checked whole by the WeChat adapter
}

// profilePhone sets the phone from WeChat's getPhoneNumber button.
func (s *Server) profilePhone(c *gin.Context) {
	var in phoneCodeReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	p, err := s.d.Profiles.PhoneFromWechat(c.Request.Context(), principal(c), in.Code)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, profileDTO(p))
}

// deleteAccount erases the caller's personal data and signs them out everywhere.
func (s *Server) deleteAccount(c *gin.Context) {
	if err := s.d.Profiles.DeleteAccount(c.Request.Context(), principal(c)); err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, accountDeletedDTO{Deleted: true})
}

// profileRoutes registers the resident's profile and account deletion.
func (s *Server) profileRoutes(g routeGroups) {
	my := g.my
	my.GET("/profile", s.getProfile)
	my.PUT("/profile", s.updateProfile)
	my.PATCH("/profile", s.updateProfile)
	my.POST("/profile/phone", s.profilePhone)
	my.DELETE("/account", s.deleteAccount)
}

// accountDeletedDTO is the answer to deleting one's account.
type accountDeletedDTO struct {
	Deleted bool `json:"deleted"`
}
