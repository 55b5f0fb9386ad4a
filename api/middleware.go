package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"zhilian/internal/logx"
	"zhilian/model"
)

const (
	keyLogger    = "zl.logger"
	keyPrincipal = "zl.principal"
)

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID takes a sane X-Request-Id or makes one, and puts it in the context,
// the response header, every log line and the request's trace span.
func requestID(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if !requestIDRe.MatchString(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Request = c.Request.WithContext(logx.WithRequestID(c.Request.Context(), id))
		trace.SpanFromContext(c.Request.Context()).SetAttributes(attribute.String("request_id", id)) // no-op untraced
		c.Header("X-Request-Id", id)
		c.Set(keyLogger, log)
		c.Next()
	}
}

func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(keyLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

// accessLog writes one line per request: route, status, latency. Query strings
// are left out (they may hold personal data).
func accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	if route == "/healthz" {
		return
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	logger(c).Log(c.Request.Context(), level, "http",
		"method", methodLabel(c.Request.Method), "route", route, "status", c.Writer.Status(),
		"ms", float64(time.Since(start).Microseconds())/1000, "bytes", c.Writer.Size(), "ip", c.ClientIP())
}

// recovery turns a panic into the generic 500 envelope, logged with the request id.
func recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			fail(c, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

// limitBody caps the request body at n bytes: 413 too_large beyond it.
func limitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			fail(c, model.E(model.CodeTooLarge, fmt.Sprintf("请求体过大（上限 %d KB）", n/1024)))
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// authn requires a valid bearer token.
func (s *Server) authn(c *gin.Context) {
	h := c.GetHeader("Authorization")
	tok, found := strings.CutPrefix(h, "Bearer ")
	if !found || tok == "" {
		fail(c, model.E(model.CodeUnauthorized, "请先登录"))
		return
	}
	p, err := s.d.Auth.Authenticate(c.Request.Context(), strings.TrimSpace(tok))
	if err != nil {
		fail(c, err)
		return
	}
	if p.MustChangePassword {
		switch c.FullPath() {
		case "/api/v1/auth/me", "/api/v1/auth/password", "/api/v1/auth/logout":
		default:
			fail(c, model.E(model.CodePasswordChange, "请先修改初始密码"))
			return
		}
	}
	c.Set(keyPrincipal, p)
	c.Next()
}

func principal(c *gin.Context) *model.Principal {
	p, _ := c.Get(keyPrincipal)
	pp, _ := p.(*model.Principal)
	return pp
}

// actor describes the caller for audit logs and timelines.
func actor(c *gin.Context) model.Actor {
	p := principal(c)
	a := model.Actor{IP: c.ClientIP(), RequestID: logx.RequestID(c.Request.Context())}
	if p != nil {
		a.ID, a.Name, a.Kind, a.OrgPath = p.ID, p.Name, p.Kind, p.OrgPath
	}
	return a
}

// requireStaff lets cadres and admins through.
func requireStaff(c *gin.Context) {
	if !principal(c).IsStaff() {
		fail(c, model.E(model.CodeForbidden, "仅限工作人员访问"))
		return
	}
	c.Next()
}

// requireAdmin lets admins through.
func requireAdmin(c *gin.Context) {
	if !principal(c).IsAdmin() {
		fail(c, model.E(model.CodeForbidden, "仅限管理员访问"))
		return
	}
	c.Next()
}

// requireResident lets residents through.
func requireResident(c *gin.Context) {
	p := principal(c)
	if p == nil || p.Kind != model.SubjectResident {
		fail(c, model.E(model.CodeForbidden, "仅限居民访问"))
		return
	}
	c.Next()
}
