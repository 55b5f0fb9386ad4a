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
	ok(c, http.StatusOK, pageOf(page.Items, page.NextCursor, toAuditLog))
}

// auditLogDTO is one audit row as admins read it.
type auditLogDTO struct {
	ID         int64  `json:"id"`
	ActorID    int64  `json:"actor_id"`
	ActorName  string `json:"actor_name"`
	Action     string `json:"action"`
	TargetType string `json:"target_type"`
	TargetID   int64  `json:"target_id"`
	Detail     string `json:"detail"`
	IP         string `json:"ip"`
	RequestID  string `json:"request_id"`
	CreatedAt  string `json:"created_at"`
}

func toAuditLog(a model.AuditLog) auditLogDTO {
	return auditLogDTO{ID: a.ID, ActorID: a.ActorID, ActorName: a.ActorName, Action: a.Action, TargetType: a.TargetType,
		TargetID: a.TargetID, Detail: a.Detail, IP: a.IP, RequestID: a.RequestID, CreatedAt: rfc3339(a.CreatedAt)}
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
