package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// rosterEntryDTO is a booking on a cadre's roster: the resident's name, the
// topic and the check-in state; the check-in code stays with the resident
// (schema RosterEntry).
type rosterEntryDTO struct {
	ID           int64   `json:"id"`
	SlotID       int64   `json:"slot_id"`
	StartAt      string  `json:"start_at"`
	ResidentID   int64   `json:"resident_id"`
	ResidentName string  `json:"resident_name"`
	Topic        string  `json:"topic"`
	RequestID    *int64  `json:"request_id"`
	Status       string  `json:"status"`
	CheckedIn    bool    `json:"checked_in"`
	CheckedInAt  *string `json:"checked_in_at,omitempty"`
}

func toRosterEntry(b *model.Booking) rosterEntryDTO {
	return rosterEntryDTO{ID: b.ID, SlotID: b.SlotID, StartAt: rfc3339(b.StartsAt), ResidentID: b.ResidentID,
		ResidentName: b.ResidentName, Topic: b.Topic, RequestID: b.RequestID, Status: string(b.Status),
		CheckedIn: b.Status == model.BookingCheckedIn, CheckedInAt: timePtr(b.CheckedInAt)}
}

// ledgerDTO is the session's closing figures, null until it is closed
// (schema SessionLedger).
type ledgerDTO struct {
	Attendees    *int    `json:"attendees"`
	NoShows      *int    `json:"no_shows"`
	Collected    *int    `json:"collected"`
	SolvedOnSpot *int    `json:"solved_on_spot"`
	Summary      *string `json:"summary"`
	ClosedAt     *string `json:"closed_at"`
}

func toLedger(s *model.LiaisonSession) ledgerDTO {
	return ledgerDTO{Attendees: s.Attendees, NoShows: s.NoShows, Collected: s.Collected, SolvedOnSpot: s.SolvedOnSpot,
		Summary: s.Summary, ClosedAt: timePtr(s.ClosedAt)}
}

// rosterDTO is a session's roster: the session with its slots, its bookings,
// how many are checked in, and the ledger once closed (schema SessionRoster).
type rosterDTO struct {
	Session   sessionSlotsDTO  `json:"session"`
	Bookings  []rosterEntryDTO `json:"bookings"`
	CheckedIn int              `json:"checked_in"`
	Ledger    ledgerDTO        `json:"ledger"`
}

// sessionClosedDTO is a session just closed with its ledger (schema
// SessionClosed).
type sessionClosedDTO struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	Date   string `json:"date"`
	ledgerDTO
}

func (s *Server) workSessions(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Desk.List(c.Request.Context(), principal(c), cur, size)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(page.Items, page.NextCursor, func(sess model.LiaisonSession) sessionDTO { return toSession(&sess) }))
}

func (s *Server) workSession(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	r, err := s.d.Desk.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	entries := make([]rosterEntryDTO, len(r.Bookings))
	checkedIn := 0
	for i := range r.Bookings {
		entries[i] = toRosterEntry(&r.Bookings[i])
		if entries[i].CheckedIn {
			checkedIn++
		}
	}
	ok(c, http.StatusOK, rosterDTO{Session: toSessionSlots(r.Session, time.Time{}), Bookings: entries,
		CheckedIn: checkedIn, Ledger: toLedger(r.Session)})
}

type checkinReq struct {
	Code string `json:"code" binding:"required,max=64"`
}

func (s *Server) checkin(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in checkinReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	b, err := s.d.Desk.CheckIn(c.Request.Context(), principal(c), id, in.Code)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toRosterEntry(b))
}

type closeReq struct {
	Summary string `json:"summary" binding:"max=2000"`
}

func (s *Server) closeSession(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in closeReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	sess, err := s.d.Desk.Close(c.Request.Context(), principal(c), actor(c), id, in.Summary)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, sessionClosedDTO{ID: sess.ID, Status: string(sess.Status), Date: sess.Date, ledgerDTO: toLedger(sess)})
}

type walkInReq struct {
	CategoryID  int64            `json:"category_id" binding:"required,min=1"`
	Content     string           `json:"content" binding:"required,max=8000"`
	CommunityID int64            `json:"community_id" binding:"omitempty,min=1"`
	BookingCode string           `json:"booking_code" binding:"max=64"`
	Name        string           `json:"name" binding:"max=128"`
	Phone       string           `json:"phone" binding:"max=32"`
	Residency   *model.Residency `json:"residency" binding:"omitempty,oneof=hukou non_hukou"`
	Address     string           `json:"address" binding:"max=800"`
}

// walkIn records an item raised at the session (source session).
func (s *Server) walkIn(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in walkInReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	d, err := s.d.Desk.WalkIn(c.Request.Context(), principal(c), actor(c), id, service.WalkInInput{
		CategoryID: in.CategoryID, Content: in.Content, CommunityID: in.CommunityID, BookingCode: in.BookingCode,
		Name: in.Name, Phone: in.Phone, Residency: in.Residency, Address: in.Address})
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusCreated, toWorkDetail(d, s.imageURL))
}

// deskRoutes registers the cadre's session desk: sessions, check-in, walk-ins, closing.
func (s *Server) deskRoutes(g routeGroups) {
	work := g.work
	work.GET("/sessions", s.workSessions)
	work.GET("/sessions/:id", s.workSession)
	work.POST("/sessions/:id/checkin", s.checkin)
	work.POST("/sessions/:id/walk-ins", s.walkIn)
	work.POST("/sessions/:id/close", s.closeSession)
}
