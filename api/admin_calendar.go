package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// listCalendar lists a year's holidays, make-up days and overrides.
func (s *Server) listCalendar(c *gin.Context) {
	year := s.d.Calendar.ThisYear()
	if y := c.Query("year"); y != "" {
		v, err := strconv.Atoi(y)
		if err != nil {
			fail(c, model.Invalid("year 须为四位年份"))
			return
		}
		year = v
	}
	days, err := s.d.Calendar.Year(c.Request.Context(), year)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, calendarYearDTO{Year: year, page: pageOf(days, "", newCalendarDayDTO)})
}

type calendarReq struct {
	Workday *bool  `json:"workday" binding:"required"`
	Name    string `json:"name" binding:"max=64"`
}

// putCalendar overrides one day: a holiday (workday false) or a make-up working day.
func (s *Server) putCalendar(c *gin.Context) {
	var in calendarReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	o, err := s.d.Calendar.Override(c.Request.Context(), principal(c), actor(c), c.Param("date"), *in.Workday, in.Name)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, newCalendarOverrideDTO(o))
}

func (s *Server) deleteCalendar(c *gin.Context) {
	if err := s.d.Calendar.ClearOverride(c.Request.Context(), principal(c), actor(c), c.Param("date")); err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, gin.H{"date": c.Param("date"), "deleted": true})
}

// calendarRoutes registers the admins' working-day calendar.
func (s *Server) calendarRoutes(g routeGroups) {
	g.admin.GET("/calendar", s.listCalendar)
	g.admin.PUT("/calendar/:date", s.putCalendar)
	g.admin.DELETE("/calendar/:date", s.deleteCalendar)
}
