package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// outboxMessageDTO is a queued notification as admins see it (no openids, no fields).
type outboxMessageDTO struct {
	ID            int64             `json:"id"`
	Event         string            `json:"event"`
	RecipientKind model.SubjectKind `json:"recipient_kind"`
	RecipientID   int64             `json:"recipient_id"`
	Page          string            `json:"page"`
	State         model.OutboxState `json:"state"`
	Attempts      int               `json:"attempts"`
	NextAttemptAt string            `json:"next_attempt_at"`
	LastError     string            `json:"last_error"`
	CreatedAt     string            `json:"created_at"`
	SentAt        *string           `json:"sent_at"`
}

func outboxDTO(m *model.OutboxMessage) outboxMessageDTO {
	return outboxMessageDTO{ID: m.ID, Event: m.Event, RecipientKind: m.RecipientKind, RecipientID: m.RecipientID,
		Page: m.Page, State: m.State, Attempts: m.Attempts, NextAttemptAt: rfc3339(m.NextAttemptAt),
		LastError: m.LastError, CreatedAt: rfc3339(m.CreatedAt), SentAt: timePtr(m.SentAt)}
}

func (s *Server) listOutbox(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Outbox.List(c.Request.Context(), principal(c), model.OutboxState(c.Query("state")), cur, size)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, pageOf(page.Items, page.NextCursor, func(m model.OutboxMessage) outboxMessageDTO { return outboxDTO(&m) }))
}

func (s *Server) retryOutbox(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	m, err := s.d.Outbox.Retry(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, outboxDTO(m))
}

// outboxRoutes registers the admins' view of the notification outbox.
func (s *Server) outboxRoutes(g routeGroups) {
	g.admin.GET("/outbox", s.listOutbox)
	g.admin.POST("/outbox/:id/retry", s.retryOutbox)
}
