package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// bookingDTO is a booking as its resident sees it, code and QR payload
// included (schema Booking).
type bookingDTO struct {
	ID           int64   `json:"id"`
	Code         string  `json:"code"`
	QR           string  `json:"qr"`
	Status       string  `json:"status"`
	SlotID       int64   `json:"slot_id"`
	SessionID    int64   `json:"session_id"`
	PointID      int64   `json:"point_id"`
	PointName    string  `json:"point_name"`
	PointAddress string  `json:"point_address"`
	Date         string  `json:"date"`
	StartAt      string  `json:"start_at"`
	EndAt        string  `json:"end_at"`
	CancelBefore string  `json:"cancel_before"`
	Topic        string  `json:"topic"`
	RequestID    *int64  `json:"request_id"`
	CreatedAt    string  `json:"created_at"`
	CancelledAt  *string `json:"cancelled_at,omitempty"`
	CancelReason string  `json:"cancel_reason,omitempty"`
	CheckedInAt  *string `json:"checked_in_at,omitempty"`
}

func toBooking(b *model.Booking) bookingDTO {
	return bookingDTO{ID: b.ID, Code: b.Code, QR: b.QRPayload(), Status: string(b.Status), SlotID: b.SlotID,
		SessionID: b.SessionID, PointID: b.PointID, PointName: b.PointName, PointAddress: b.PointAddress, Date: b.Date,
		StartAt: rfc3339(b.StartsAt), EndAt: rfc3339(b.EndsAt), CancelBefore: rfc3339(b.ClosesAt), Topic: b.Topic,
		RequestID: b.RequestID, CreatedAt: rfc3339(b.CreatedAt), CancelledAt: timePtr(b.CancelledAt),
		CancelReason: b.CancelReason, CheckedInAt: timePtr(b.CheckedInAt)}
}

type bookReq struct {
	SlotID    int64  `json:"slot_id" binding:"required,min=1"`
	Topic     string `json:"topic" binding:"max=200"`
	RequestID *int64 `json:"request_id" binding:"omitempty,min=1"`
}

// book takes a seat; the same Idempotency-Key gets the same booking back.
func (s *Server) book(c *gin.Context) {
	var in bookReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	b, replayed, err := s.d.Bookings.Book(c.Request.Context(), principal(c), service.BookInput{
		SlotID: in.SlotID, Topic: in.Topic, RequestID: in.RequestID, IdempotencyKey: c.GetHeader("Idempotency-Key")})
	if err != nil {
		fail(c, err)
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	ok(c, http.StatusCreated, toBooking(b))
}

func (s *Server) listBookings(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Bookings.List(c.Request.Context(), principal(c), model.BookingStatus(c.Query("status")), cur, size)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(page.Items, page.NextCursor, func(b model.Booking) bookingDTO { return toBooking(&b) }))
}

func (s *Server) getBooking(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	b, err := s.d.Bookings.Get(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toBooking(b))
}

func (s *Server) cancelBooking(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	b, err := s.d.Bookings.Cancel(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toBooking(b))
}

// bookingRoutes registers the resident's bookings.
func (s *Server) bookingRoutes(g routeGroups) {
	my := g.my
	my.POST("/bookings", s.book)
	my.GET("/bookings", s.listBookings)
	my.GET("/bookings/:id", s.getBooking)
	my.POST("/bookings/:id/cancel", s.cancelBooking)
}
