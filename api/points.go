package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// hostDTO is a member of a point's host team (schema PointHost).
type hostDTO struct {
	AccountID int64  `json:"account_id,omitempty"`
	Name      string `json:"name"`
}

// pointDTO is a liaison point (schema Point). Public views leave out host
// account ids.
type pointDTO struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	OrgName   string    `json:"org_name"`
	Name      string    `json:"name"`
	Address   string    `json:"address"`
	Lat       *float64  `json:"lat"`
	Lng       *float64  `json:"lng"`
	Notes     string    `json:"notes"`
	Active    bool      `json:"active"`
	DistanceM *int64    `json:"distance_m,omitempty"`
	Hosts     []hostDTO `json:"hosts"`
	CreatedAt string    `json:"created_at"`
	UpdatedAt string    `json:"updated_at"`
}

func toPoint(p *model.Point, public bool) pointDTO {
	hosts := make([]hostDTO, 0, len(p.Hosts))
	for _, h := range p.Hosts {
		d := hostDTO{AccountID: h.AccountID, Name: h.Name}
		if public {
			d.AccountID = 0
		}
		hosts = append(hosts, d)
	}
	return pointDTO{ID: p.ID, OrgID: p.OrgID, OrgName: p.OrgName, Name: p.Name, Address: p.Address, Lat: p.Lat, Lng: p.Lng,
		Notes: p.Notes, Active: p.Active, DistanceM: p.DistanceM, Hosts: hosts,
		CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt)}
}

// toPointPage maps a page of points to their DTOs.
func toPointPage(p model.Page[model.Point], public bool) page[pointDTO] {
	return pageOf(p.Items, p.NextCursor, func(pt model.Point) pointDTO { return toPoint(&pt, public) })
}

// pointDeletedDTO answers the deletion of a point (schema DeletedResponse).
type pointDeletedDTO struct {
	ID      int64 `json:"id"`
	Deleted bool  `json:"deleted"`
}

// pointQuery reads org_id, lat/lng (both or neither), cursor and page_size.
func pointQuery(c *gin.Context) (service.PointQuery, error) {
	var q service.PointQuery
	var err error
	if q.Cursor, q.Size, err = pageParams(c); err != nil {
		return q, err
	}
	if q.OrgID, err = queryInt(c, "org_id"); err != nil {
		return q, err
	}
	latS, lngS := c.Query("lat"), c.Query("lng")
	if latS == "" && lngS == "" {
		return q, nil
	}
	lat, err1 := strconv.ParseFloat(latS, 64)
	lng, err2 := strconv.ParseFloat(lngS, 64)
	if err1 != nil || err2 != nil {
		return q, model.Invalid("lat 与 lng 须同时提供，且为数字")
	}
	if err := model.ValidateLocation(&lat, &lng); err != nil {
		return q, err
	}
	q.Near = &model.LatLng{Lat: lat, Lng: lng}
	return q, nil
}

// publicPoints lists active liaison points, nearest first when lat/lng are given.
func (s *Server) publicPoints(c *gin.Context) {
	q, err := pointQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Points.PublicList(c.Request.Context(), q)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toPointPage(page, true))
}

func (s *Server) publicPoint(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	p, err := s.d.Points.PublicGet(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toPoint(p, true))
}

type pointReq struct {
	OrgID          int64    `json:"org_id" binding:"required,min=1"`
	Name           string   `json:"name" binding:"required,max=64"`
	Address        string   `json:"address" binding:"required,max=200"`
	Lat            *float64 `json:"lat"`
	Lng            *float64 `json:"lng"`
	Notes          string   `json:"notes" binding:"max=500"`
	Active         *bool    `json:"active"`
	HostAccountIDs *[]int64 `json:"host_account_ids"`
}

func (s *Server) createPoint(c *gin.Context) {
	var in pointReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	p, err := s.d.Points.Create(c.Request.Context(), principal(c), actor(c), service.PointInput{OrgID: in.OrgID,
		Fields: model.PointFields{Name: in.Name, Address: in.Address, Lat: in.Lat, Lng: in.Lng, Notes: in.Notes},
		Active: in.Active, HostIDs: in.HostAccountIDs})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, toPoint(p, false))
}

func (s *Server) listPoints(c *gin.Context) {
	q, err := pointQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Points.List(c.Request.Context(), principal(c), q)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toPointPage(page, false))
}

func (s *Server) getPoint(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	p, err := s.d.Points.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toPoint(p, false))
}

type updatePointReq struct {
	Name           *string  `json:"name" binding:"omitempty,max=64"`
	Address        *string  `json:"address" binding:"omitempty,max=200"`
	Lat            *float64 `json:"lat"`
	Lng            *float64 `json:"lng"`
	ClearLocation  bool     `json:"clear_location"`
	Notes          *string  `json:"notes" binding:"omitempty,max=500"`
	Active         *bool    `json:"active"`
	HostAccountIDs *[]int64 `json:"host_account_ids"`
}

func (s *Server) updatePoint(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in updatePointReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	p, err := s.d.Points.Update(c.Request.Context(), principal(c), actor(c), id, service.PointPatch{
		Name: in.Name, Address: in.Address, Notes: in.Notes, Lat: in.Lat, Lng: in.Lng, ClearLocation: in.ClearLocation,
		Active: in.Active, HostIDs: in.HostAccountIDs})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toPoint(p, false))
}

func (s *Server) deletePoint(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.d.Points.Delete(c.Request.Context(), principal(c), actor(c), id); err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pointDeletedDTO{ID: id, Deleted: true})
}

// pointCode serves the mini-program code (JPEG) to print and post at the point.
func (s *Server) pointCode(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	img, err := s.d.Points.WXACode(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="point-%d.jpg"`, id))
	c.Header("Cache-Control", "private, max-age=3600")
	c.Data(http.StatusOK, "image/jpeg", img)
}

// pointRoutes registers liaison points: public, and the admins' (with the
// point's mini-program code). Documented in openapi/40-sessions.yaml.
func (s *Server) pointRoutes(g routeGroups) {
	g.v1.GET("/points", s.publicPoints)
	g.v1.GET("/points/:id", s.publicPoint)
	admin := g.admin
	admin.GET("/points", s.listPoints)
	admin.POST("/points", s.createPoint)
	admin.GET("/points/:id", s.getPoint)
	admin.PATCH("/points/:id", s.updatePoint)
	admin.PUT("/points/:id", s.updatePoint)
	admin.DELETE("/points/:id", s.deletePoint)
	admin.GET("/points/:id/wxacode", s.pointCode)
}
