package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// pointCalendarRoutes adds the admin's calendar of a point's sessions.
func (s *Server) pointCalendarRoutes(g routeGroups) {
	g.admin.GET("/points/:id/sessions", s.listPointSessions)
}

// calendarSessionDTO is a session as the admin's calendar shows it: any
// status, with seat totals and, once closed, its ledger.
type calendarSessionDTO struct {
	sessionSlotsDTO
	Capacity     int     `json:"capacity"`
	Booked       int     `json:"booked"`
	CancelledAt  *string `json:"cancelled_at"`
	Summary      *string `json:"summary"`
	ClosedAt     *string `json:"closed_at"`
	Attendees    *int    `json:"attendees"`
	NoShows      *int    `json:"no_shows"`
	Collected    *int    `json:"collected"`
	SolvedOnSpot *int    `json:"solved_on_spot"`
}

func toCalendarSession(sess *model.LiaisonSession, now time.Time) calendarSessionDTO {
	out := calendarSessionDTO{sessionSlotsDTO: toSessionSlots(sess, now), CancelledAt: timePtr(sess.CancelledAt), Summary: sess.Summary,
		ClosedAt: timePtr(sess.ClosedAt), Attendees: sess.Attendees, NoShows: sess.NoShows, Collected: sess.Collected,
		SolvedOnSpot: sess.SolvedOnSpot}
	for _, sl := range sess.Slots {
		out.Capacity += sl.Capacity
		out.Booked += sl.Booked
	}
	return out
}

// pointCalendarDTO is a point's sessions between from and to (the day after
// the last), by date (schema PointCalendarResponse's data).
type pointCalendarDTO struct {
	Items []calendarSessionDTO `json:"items"`
	From  string               `json:"from"`
	To    string               `json:"to"`
}

// listPointSessions lists a point's sessions between from and to, any status.
func (s *Server) listPointSessions(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	list, from, to, err := s.d.PointCalendar.Sessions(c.Request.Context(), principal(c), id, c.Query("from"), c.Query("to"))
	if err != nil {
		fail(c, err)
		return
	}
	now := s.d.PointCalendar.Now()
	out := pointCalendarDTO{Items: make([]calendarSessionDTO, len(list)), From: from, To: to}
	for i := range list {
		out.Items[i] = toCalendarSession(&list[i], now)
	}
	ok(c, http.StatusOK, out)
}
