package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// mpConfigDTO is the mini-program's public configuration.
type mpConfigDTO struct {
	// Subscribe maps a prompt (model.SubscribeGroups) to the template ids it
	// asks for: those configured in ZL_WECHAT_TEMPLATES, at most three.
	Subscribe map[string][]string `json:"subscribe"`
	// ReferenceVersion changes whenever the active categories or the public
	// org tree change, so a client refetches them only then.
	ReferenceVersion string `json:"reference_version"`
}

// subscribeTemplates groups the configured template ids by prompt; a group
// whose events have no template is an empty list (nothing is asked).
func subscribeTemplates(tpl map[string]string) map[string][]string {
	out := map[string][]string{}
	for _, g := range model.SubscribeGroups() {
		ids := []string{}
		seen := map[string]bool{}
		for _, ev := range g.Events {
			if id := tpl[ev]; id != "" && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		out[g.Name] = ids
	}
	return out
}

// mpConfig serves GET /api/v1/config: the subscribe-message templates of each
// prompt and the version of the reference data (categories, org tree).
func (s *Server) mpConfig(c *gin.Context) {
	ctx := c.Request.Context()
	cats, err := s.d.Categories.Public(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	tree, err := s.d.Orgs.PublicTree(ctx, 0)
	if err != nil {
		fail(c, err)
		return
	}
	raw, err := json.Marshal([]any{cats, tree})
	if err != nil {
		fail(c, err)
		return
	}
	sum := sha256.Sum256(raw)
	c.Header("Cache-Control", "public, max-age=60")
	ok(c, http.StatusOK, mpConfigDTO{Subscribe: subscribeTemplates(s.d.SubscribeTemplates), ReferenceVersion: hex.EncodeToString(sum[:8])})
}

// mpConfigRoutes registers the mini-program's public configuration.
func (s *Server) mpConfigRoutes(g routeGroups) {
	g.v1.GET("/config", s.mpConfig)
}
