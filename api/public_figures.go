package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// publicFiguresDTO is one org's headline figures (阳光公开).
type publicFiguresDTO struct {
	Org             statsOrgDTO `json:"org"`
	Collected       int64       `json:"collected"`
	Closed          int64       `json:"closed"`
	Rate            float64     `json:"rate"`
	RatePct         string      `json:"rate_pct"`
	CloseMedianDays float64     `json:"close_median_days"`
	NonHukouShare   float64     `json:"non_hukou_share"`
}

func toPublicFigures(f service.PublicFigures) publicFiguresDTO {
	return publicFiguresDTO{Org: toStatsOrg(f.Org), Collected: f.Collected, Closed: f.Closed, Rate: f.Rate, RatePct: f.RatePct,
		CloseMedianDays: f.CloseMedianDays, NonHukouShare: f.NonHukouShare}
}

// publicFigures serves GET /api/v1/public/figures: a town's and the city's
// headline figures for a period, to anybody; aggregates only, cached.
func (s *Server) publicFigures(c *gin.Context) {
	orgID, err := queryInt(c, "org_id")
	if err != nil {
		fail(c, err)
		return
	}
	if orgID <= 0 {
		fail(c, model.Invalid("请指定 org_id（街道或全市）"))
		return
	}
	r, err := s.d.Stats.Public(c.Request.Context(), orgID, c.Query("from"), c.Query("to"))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	ok(c, http.StatusOK, gin.H{"from": r.From, "to": r.To, "town": toPublicFigures(r.Town), "city": toPublicFigures(r.City)})
}

// publicFiguresRoutes registers the public headline figures (阳光公开).
func (s *Server) publicFiguresRoutes(g routeGroups) {
	g.v1.GET("/public/figures", s.publicFigures)
}
