package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

// outboxDTO is a queued notification as admins see it (no openids).
func outboxDTO(m *model.OutboxMessage) gin.H {
	h := gin.H{"id": m.ID, "event": m.Event, "recipient_kind": m.RecipientKind, "recipient_id": m.RecipientID,
		"page": m.Page, "state": m.State, "attempts": m.Attempts, "next_attempt_at": rfc3339(m.NextAttemptAt),
		"last_error": m.LastError, "created_at": rfc3339(m.CreatedAt), "sent_at": nil}
	if m.SentAt != nil {
		h["sent_at"] = rfc3339(*m.SentAt)
	}
	return h
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
	items := make([]gin.H, len(page.Items))
	for i := range page.Items {
		items[i] = outboxDTO(&page.Items[i])
	}
	ok(c, http.StatusOK, gin.H{"items": items, "next_cursor": page.NextCursor})
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
