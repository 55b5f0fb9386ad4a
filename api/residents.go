package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

type wechatLoginReq struct {
	Code string `json:"code" binding:"required,max=128" clean:"-"` // checked whole by the WeChat adapter
}

// residentDTO is the resident as they see themselves after sign-in.
func residentDTO(r *model.Resident) gin.H {
	return gin.H{"id": r.ID, "name": r.Name, "community_id": r.CommunityID, "residency": r.Residency,
		"elder_mode": r.ElderMode, "profile_complete": r.CommunityID != nil && r.Residency != nil && r.Name != ""}
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
	ok(c, http.StatusOK, gin.H{"token": tok.Token, "expires_at": rfc3339(tok.ExpiresAt), "resident": residentDTO(r)})
}
