package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// publicCategories serves the category picker (active categories).
func (s *Server) publicCategories(c *gin.Context) {
	cats, err := s.d.Categories.Public(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(cats, "", newCategoryDTO))
}

func (s *Server) listCategories(c *gin.Context) {
	cats, err := s.d.Categories.All(c.Request.Context(), principal(c))
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(cats, "", newCategoryDTO))
}

func (s *Server) getCategory(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	cat, err := s.d.Categories.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, newCategoryDTO(*cat))
}

type categoryReq struct {
	Name        *string `json:"name" binding:"omitempty,max=32"`
	Code        *string `json:"code" binding:"omitempty,max=32"`
	AcceptDays  *int    `json:"accept_days" binding:"omitempty,min=1,max=30"`
	ResolveDays *int    `json:"resolve_days" binding:"omitempty,min=1,max=365"`
	Priority    *bool   `json:"priority"`
	Active      *bool   `json:"active"`
	Sort        *int    `json:"sort" binding:"omitempty,min=0,max=100000"`
}

func (in categoryReq) change() model.CategoryChange {
	return model.CategoryChange{Name: in.Name, Code: in.Code, AcceptDays: in.AcceptDays, ResolveDays: in.ResolveDays,
		Priority: in.Priority, Active: in.Active, Sort: in.Sort}
}

func (s *Server) createCategory(c *gin.Context) {
	var in categoryReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	cat, err := s.d.Categories.Create(c.Request.Context(), principal(c), actor(c), in.change())
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, newCategoryDTO(*cat))
}

func (s *Server) updateCategory(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in categoryReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	cat, err := s.d.Categories.Update(c.Request.Context(), principal(c), actor(c), id, in.change())
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, newCategoryDTO(*cat))
}

func (s *Server) deleteCategory(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.d.Categories.Delete(c.Request.Context(), principal(c), actor(c), id); err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, gin.H{"id": id, "deleted": true})
}

// categoryRoutes registers the public category list and the admins' category routes.
func (s *Server) categoryRoutes(g routeGroups) {
	g.v1.GET("/categories", s.publicCategories)
	admin := g.admin
	admin.GET("/categories", s.listCategories)
	admin.POST("/categories", s.createCategory)
	admin.GET("/categories/:id", s.getCategory)
	admin.PATCH("/categories/:id", s.updateCategory)
	admin.PUT("/categories/:id", s.updateCategory)
	admin.DELETE("/categories/:id", s.deleteCategory)
}
