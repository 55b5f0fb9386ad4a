package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// WebUI serves the built browser pages: the staff console and the API
// reference (internal/webui).
type WebUI interface {
	Console() http.Handler
	Docs() http.Handler
}

// consoleRoutes adds the staff console under /console/ and the browsable
// contract under /docs (both read /api/v1 and /openapi.yaml of this origin).
func (s *Server) consoleRoutes(r *gin.Engine) {
	if s.d.Web == nil {
		return
	}
	r.GET("/console", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/console/") })
	r.GET("/console/*path", gin.WrapH(s.d.Web.Console()))
	r.GET("/docs", gin.WrapH(s.d.Web.Docs()))
	r.GET("/docs/*path", gin.WrapH(s.d.Web.Docs()))
}
