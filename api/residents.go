package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

type wechatLoginReq struct {
	Code string `json:"code" binding:"required,max=128" clean:"-"` // checked whole by the WeChat adapter
}

// signedInResidentDTO is the resident as they see themselves after sign-in.
type signedInResidentDTO struct {
	ID              int64            `json:"id"`
	Name            string           `json:"name"`
	CommunityID     *int64           `json:"community_id"`
	Residency       *model.Residency `json:"residency"`
	ElderMode       bool             `json:"elder_mode"`
	ProfileComplete bool             `json:"profile_complete"`
}

func residentDTO(r *model.Resident) signedInResidentDTO {
	return signedInResidentDTO{ID: r.ID, Name: r.Name, CommunityID: r.CommunityID, Residency: r.Residency,
		ElderMode: r.ElderMode, ProfileComplete: r.CommunityID != nil && r.Residency != nil && r.Name != ""}
}

// residentSignInDTO is the answer to a resident's WeChat sign-in.
type residentSignInDTO struct {
	Token     string              `json:"token"`
	ExpiresAt string              `json:"expires_at"`
	Resident  signedInResidentDTO `json:"resident"`
}

// wechatLogin signs a resident in with a wx.login code.
func (s *Server) wechatLogin(c *gin.Context) {
	var in wechatLoginReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	tok, r, err := s.d.Residents.Login(c.Request.Context(), in.Code, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, residentSignInDTO{Token: tok.Token, ExpiresAt: rfc3339(tok.ExpiresAt), Resident: residentDTO(r)})
}
