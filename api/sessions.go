package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// windowDTO is a time window "HH:MM"–"HH:MM".
type windowDTO struct {
	Start string `json:"start" binding:"required,max=5"`
	End   string `json:"end" binding:"required,max=5"`
}

func windowPairs(ws []windowDTO) [][2]string {
	out := make([][2]string, len(ws))
	for i, w := range ws {
		out[i] = [2]string{w.Start, w.End}
	}
	return out
}

func toWindows(ws model.Windows) []windowDTO {
	out := make([]windowDTO, len(ws))
	for i, w := range ws {
		out[i] = windowDTO{Start: w.StartClock(), End: w.EndClock()}
	}
	return out
}

// slotDTO is a slot with the seats left (schema Slot).
type slotDTO struct {
	ID       int64  `json:"id"`
	StartAt  string `json:"start_at"`
	EndAt    string `json:"end_at"`
	ClosesAt string `json:"closes_at"`
	Capacity int    `json:"capacity"`
	Booked   int    `json:"booked"`
	// Remaining is the seats left; Bookable says whether booking is still open.
	Remaining int  `json:"remaining"`
	Bookable  bool `json:"bookable"`
}

// sessionDTO is a liaison session (schema Session). The point's name and
// address are there when the answer joined them.
type sessionDTO struct {
	ID           int64  `json:"id"`
	PointID      int64  `json:"point_id"`
	PointName    string `json:"point_name,omitempty"`
	PointAddress string `json:"point_address,omitempty"`
	Date         string `json:"date"`
	Kind         string `json:"kind"`
	Status       string `json:"status"`
	StartsAt     string `json:"starts_at"`
	EndsAt       string `json:"ends_at"`
	Reason       string `json:"reason,omitempty"`
	CancelReason string `json:"cancel_reason,omitempty"`
}

// sessionSlotsDTO is a session with its slots and the seats left (schema
// SessionWithSlots).
type sessionSlotsDTO struct {
	sessionDTO
	Slots []slotDTO `json:"slots"`
}

func toSession(s *model.LiaisonSession) sessionDTO {
	return sessionDTO{ID: s.ID, PointID: s.PointID, PointName: s.PointName, PointAddress: s.PointAddress, Date: s.Date,
		Kind: string(s.Kind), Status: string(s.Status), StartsAt: rfc3339(s.StartsAt), EndsAt: rfc3339(s.EndsAt),
		Reason: s.Reason, CancelReason: s.CancelReason}
}

// toSessionSlots is the session with its slots; a slot is bookable at now
// while its session is open, seats are left and its cut-off has not passed.
func toSessionSlots(s *model.LiaisonSession, now time.Time) sessionSlotsDTO {
	d := sessionSlotsDTO{sessionDTO: toSession(s), Slots: make([]slotDTO, 0, len(s.Slots))}
	for i := range s.Slots {
		sl := &s.Slots[i]
		remaining := sl.Remaining()
		if s.Status != model.SessionOpen {
			remaining = 0
		}
		d.Slots = append(d.Slots, slotDTO{ID: sl.ID, StartAt: rfc3339(sl.StartAt), EndAt: rfc3339(sl.EndAt),
			ClosesAt: rfc3339(sl.ClosesAt), Capacity: sl.Capacity, Booked: sl.Booked, Remaining: remaining,
			Bookable: s.Status == model.SessionOpen && remaining > 0 && sl.Bookable(now)})
	}
	return d
}

// pointSessions lists a point's upcoming sessions with slots and seats left.
func (s *Server) pointSessions(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	list, now, err := s.d.Bookings.PointSessions(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(list, "", func(sess model.LiaisonSession) sessionSlotsDTO { return toSessionSlots(&sess, now) }))
}

type scheduleReq struct {
	Weekday       int         `json:"weekday" binding:"omitempty,min=1,max=7"`
	Windows       []windowDTO `json:"windows" binding:"required,min=1,max=4,dive"`
	SlotMinutes   *int        `json:"slot_minutes"`
	SlotCapacity  *int        `json:"slot_capacity"`
	OpenDaysAhead *int        `json:"open_days_ahead"`
	CutoffHours   *int        `json:"cutoff_hours"`
}

// scheduleDTO is a point's weekly rule (schema Schedule).
type scheduleDTO struct {
	PointID       int64       `json:"point_id"`
	Weekday       int         `json:"weekday"`
	Windows       []windowDTO `json:"windows"`
	SlotMinutes   int         `json:"slot_minutes"`
	SlotCapacity  int         `json:"slot_capacity"`
	OpenDaysAhead int         `json:"open_days_ahead"`
	CutoffHours   int         `json:"cutoff_hours"`
	UpdatedAt     string      `json:"updated_at"`
}

// scheduleSetDTO is the rule just set with the sessions it generated and the
// dates of the upcoming ones (schema ScheduleSet).
type scheduleSetDTO struct {
	scheduleDTO
	SessionsGenerated int      `json:"sessions_generated"`
	UpcomingDates     []string `json:"upcoming_dates"`
}

func toSchedule(sch *model.Schedule) scheduleDTO {
	return scheduleDTO{PointID: sch.PointID, Weekday: sch.Weekday, Windows: toWindows(sch.Windows()),
		SlotMinutes: sch.SlotMinutes, SlotCapacity: sch.SlotCapacity, OpenDaysAhead: sch.OpenDaysAhead,
		CutoffHours: sch.CutoffHours, UpdatedAt: rfc3339(sch.UpdatedAt)}
}

func (s *Server) putSchedule(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in scheduleReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	res, err := s.d.Schedules.Put(c.Request.Context(), principal(c), actor(c), id, service.ScheduleInput{
		Weekday: in.Weekday, Windows: windowPairs(in.Windows), SlotMinutes: in.SlotMinutes, SlotCapacity: in.SlotCapacity,
		OpenDaysAhead: in.OpenDaysAhead, CutoffHours: in.CutoffHours})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, scheduleSetDTO{scheduleDTO: toSchedule(res.Schedule), SessionsGenerated: res.Generated,
		UpcomingDates: res.Upcoming})
}

func (s *Server) getSchedule(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	sch, err := s.d.Schedules.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toSchedule(sch))
}

type addSessionReq struct {
	Date    string      `json:"date" binding:"required,max=10"`
	Windows []windowDTO `json:"windows" binding:"omitempty,max=4,dive"`
	Reason  string      `json:"reason" binding:"max=200"`
}

func (s *Server) addSession(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in addSessionReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	sess, err := s.d.Schedules.AddSession(c.Request.Context(), principal(c), actor(c), id, service.ExtraInput{
		Date: in.Date, Windows: windowPairs(in.Windows), Reason: in.Reason})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, toSession(sess))
}

type reasonReq struct {
	Reason string `json:"reason" binding:"required,max=200"`
}

func (s *Server) cancelSession(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in reasonReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	sess, err := s.d.Schedules.CancelSession(c.Request.Context(), principal(c), actor(c), id, in.Reason)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toSession(sess))
}

// scheduleRoutes registers a point's sessions (public, with seats left) and
// the admins' schedules, added sessions and cancellations.
func (s *Server) scheduleRoutes(g routeGroups) {
	g.v1.GET("/points/:id/sessions", s.pointSessions)
	admin := g.admin
	admin.GET("/points/:id/schedule", s.getSchedule)
	admin.PUT("/points/:id/schedule", s.putSchedule)
	admin.POST("/points/:id/sessions", s.addSession)
	admin.POST("/sessions/:id/cancel", s.cancelSession)
}
