package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// workTargetsRoutes adds the choices of an item's assign, transfer and invite actions.
func (s *Server) workTargetsRoutes(g routeGroups) {
	g.work.GET("/requests/:id/targets", s.workTargets)
}

type targetAccountDTO struct {
	ID       int64      `json:"id"`
	Username string     `json:"username"`
	Name     string     `json:"name"`
	Role     model.Role `json:"role"`
}

type targetOrgDTO struct {
	ID       int64         `json:"id"`
	Name     string        `json:"name"`
	Kind     model.OrgKind `json:"kind"`
	ParentID *int64        `json:"parent_id"`
}

// workTargetsDTO is the choices of an item's assign, transfer and invite actions.
type workTargetsDTO struct {
	Assignees   []targetAccountDTO `json:"assignees"`
	Transfer    []targetOrgDTO     `json:"transfer"`
	Departments []targetOrgDTO     `json:"departments"`
}

// workTargets lists whom an item may be assigned to, where it may be
// transferred and which departments may be invited on it.
func (s *Server) workTargets(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	t, err := s.d.WorkTargets.For(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	as := make([]targetAccountDTO, len(t.Assignees))
	for i, a := range t.Assignees {
		as[i] = targetAccountDTO{ID: a.ID, Username: a.Username, Name: a.Name, Role: a.Role}
	}
	orgs := func(list []model.Org) []targetOrgDTO {
		o := make([]targetOrgDTO, len(list))
		for i, g := range list {
			o[i] = targetOrgDTO{ID: g.ID, Name: g.Name, Kind: g.Kind, ParentID: g.ParentID}
		}
		return o
	}
	ok(c, http.StatusOK, workTargetsDTO{Assignees: as, Transfer: orgs(t.Transfer), Departments: orgs(t.Departments)})
}
