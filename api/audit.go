package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/model"
)

func (s *Server) listAuditLogs(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := model.AuditFilter{Action: c.Query("action"), TargetType: c.Query("target_type"), Cursor: cur, Size: size}
	if f.ActorID, err = queryInt(c, "actor_id"); err != nil {
		fail(c, err)
		return
	}
	if f.TargetID, err = queryInt(c, "target_id"); err != nil {
		fail(c, err)
		return
	}
	if f.From, err = queryTime(c, "from"); err != nil {
		fail(c, err)
		return
	}
	if f.To, err = queryTime(c, "to"); err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Audit.List(c.Request.Context(), principal(c), f)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]gin.H, len(page.Items))
	for i, a := range page.Items {
		items[i] = gin.H{"id": a.ID, "actor_id": a.ActorID, "actor_name": a.ActorName, "action": a.Action,
			"target_type": a.TargetType, "target_id": a.TargetID, "detail": a.Detail, "ip": a.IP,
			"request_id": a.RequestID, "created_at": rfc3339(a.CreatedAt)}
	}
	ok(c, http.StatusOK, gin.H{"items": items, "next_cursor": page.NextCursor})
}

// queryTime reads an RFC 3339 time or a YYYY-MM-DD date (Asia/Shanghai midnight).
func queryTime(c *gin.Context, name string) (time.Time, error) {
	s := c.Query(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, shanghai); err == nil {
		return t, nil
	}
	return time.Time{}, model.Invalid("查询参数 %s 须为 RFC 3339 时间或 YYYY-MM-DD 日期", name)
}

// auditRoutes registers the admins' audit log.
func (s *Server) auditRoutes(g routeGroups) {
	g.admin.GET("/audit-logs", s.listAuditLogs)
}
