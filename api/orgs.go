package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// publicOrgs serves the community picker: the active children of parent_id
// (the city when absent), or with tree=1 the whole active tree below it.
func (s *Server) publicOrgs(c *gin.Context) {
	parent, err := queryInt(c, "parent_id")
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if c.Query("tree") == "1" || c.Query("tree") == "true" {
		tree, err := s.d.Orgs.PublicTree(ctx, parent)
		if err != nil {
			fail(c, err)
			return
		}
		ok(c, http.StatusOK, pageOf(tree, "", newOrgNodeDTO))
		return
	}
	kids, err := s.d.Orgs.PublicChildren(ctx, parent)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(kids, "", newOrgDTO))
}

func (s *Server) listOrgs(c *gin.Context) {
	ctx, p := c.Request.Context(), principal(c)
	id, err := queryInt(c, "parent_id")
	if err != nil {
		fail(c, err)
		return
	}
	if c.Query("tree") == "1" || c.Query("tree") == "true" {
		tree, err := s.d.Orgs.Tree(ctx, p, id)
		if err != nil {
			fail(c, err)
			return
		}
		ok(c, http.StatusOK, pageOf(tree, "", newOrgNodeDTO))
		return
	}
	kids, err := s.d.Orgs.Children(ctx, p, id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(kids, "", newOrgDTO))
}

type createOrgReq struct {
	Name     string  `json:"name" binding:"required,max=64"`
	Kind     string  `json:"kind" binding:"required,oneof=city district town community department"`
	ParentID int64   `json:"parent_id" binding:"required,min=1"`
	Code     *string `json:"code" binding:"omitempty,max=32"`
}

func (s *Server) createOrg(c *gin.Context) {
	var in createOrgReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	o, err := s.d.Orgs.Create(c.Request.Context(), principal(c), actor(c), in.ParentID, model.OrgKind(in.Kind), in.Name, in.Code)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, newOrgDTO(*o))
}

func (s *Server) getOrg(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	o, err := s.d.Orgs.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, newOrgDTO(*o))
}

type renameOrgReq struct {
	Name string `json:"name" binding:"required,max=64"`
}

func (s *Server) renameOrg(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in renameOrgReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	o, err := s.d.Orgs.Rename(c.Request.Context(), principal(c), actor(c), id, in.Name)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, newOrgDTO(*o))
}

func (s *Server) deactivateOrg(c *gin.Context) { s.setOrgActive(c, false) }
func (s *Server) activateOrg(c *gin.Context)   { s.setOrgActive(c, true) }

func (s *Server) setOrgActive(c *gin.Context, active bool) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	o, err := s.d.Orgs.SetActive(c.Request.Context(), principal(c), actor(c), id, active)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, newOrgDTO(*o))
}

func (s *Server) deleteOrg(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.d.Orgs.Delete(c.Request.Context(), principal(c), actor(c), id); err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, gin.H{"id": id, "deleted": true})
}

// orgRoutes registers the public org tree and the admins' org routes.
func (s *Server) orgRoutes(g routeGroups) {
	g.v1.GET("/orgs", s.publicOrgs)
	admin := g.admin
	admin.GET("/orgs", s.listOrgs)
	admin.POST("/orgs", s.createOrg)
	admin.GET("/orgs/:id", s.getOrg)
	admin.PATCH("/orgs/:id", s.renameOrg)
	admin.PUT("/orgs/:id", s.renameOrg)
	admin.POST("/orgs/:id/deactivate", s.deactivateOrg)
	admin.POST("/orgs/:id/activate", s.activateOrg)
	admin.DELETE("/orgs/:id", s.deleteOrg)
}
