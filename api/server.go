package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"zhilian/model"
	"zhilian/service"
)

// Checker is a readiness probe of one dependency.
type Checker func(ctx context.Context) error

// Deps is everything the HTTP layer calls.
type Deps struct {
	Auth      *service.Auth
	Accounts  *service.Accounts
	Orgs      *service.Orgs
	Audit     *service.Audit
	Calendar  *service.Calendar
	Residents *service.Residents
	Outbox    *service.Outbox

	Categories *service.Categories
	Profiles   *service.Profiles
	Uploads    *service.Uploads
	Requests   *service.Requests
	Points     *service.Points
	Schedules  *service.Schedules
	// WorkTargets lists the choices of an item's assign, transfer and invite actions.
	WorkTargets *service.WorkTargets
	// PointCalendar lists a point's sessions for the console's calendar.
	PointCalendar *service.PointCalendar
	Bookings      *service.Bookings
	Desk          *service.Desk

	Work        *service.Work
	StaffWechat *service.StaffWechat
	Stats       *service.Stats
	Similar     *service.Similar

	Open311     *service.Open311
	Integrators *service.Integrators
	// SubscribeTemplates maps a notification event to its subscribe-message
	// template id (ZL_WECHAT_TEMPLATES), served to the mini-program.
	SubscribeTemplates map[string]string

	Open311Contact string // discovery's contact
	Production     bool   // discovery's endpoint type: production, else test

	// Web serves /console/ and /docs; nil leaves them out.
	Web WebUI

	Ready          map[string]Checker
	Registry       *prometheus.Registry // the HTTP metrics register here; served on the metrics listener, not by this router
	Tracer         trace.TracerProvider // nil: no tracing
	Log            *slog.Logger
	TrustedProxies []string
	MaxBody        int64 // JSON bodies; 0 means 1 MiB
	MaxUpload      int64 // upload bodies; 0 means 6 MiB (a 5 MB image plus multipart framing)
}

// Server holds the handlers' dependencies.
type Server struct {
	d       Deps
	metrics *Metrics
	openapi []byte
}

// NewRouter builds the Gin engine with every route.
func NewRouter(d Deps) (*gin.Engine, error) {
	if d.MaxBody == 0 {
		d.MaxBody = 1 << 20
	}
	if d.MaxUpload == 0 {
		d.MaxUpload = 6 << 20
	}
	doc, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	s := &Server{d: d, metrics: NewMetrics(d.Registry), openapi: doc}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	if d.Tracer != nil {
		r.Use(otelgin.Middleware("zhilian", otelgin.WithTracerProvider(d.Tracer),
			otelgin.WithPropagators(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})),
			otelgin.WithGinFilter(func(c *gin.Context) bool { return c.FullPath() != "/healthz" && c.FullPath() != "/metrics" })))
	}
	r.Use(requestID(d.Log), s.metrics.middleware, accessLog, recovery)
	r.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, o311Base+"/") {
			o311NotFound(c)
			return
		}
		fail(c, model.E(model.CodeNotFound, "接口不存在"))
	})
	r.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{Code: "method_not_allowed", Msg: "不支持该请求方法"})
	})

	r.GET("/healthz", func(c *gin.Context) { ok(c, http.StatusOK, gin.H{"status": "alive"}) })
	r.GET("/readyz", s.readyz)
	r.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml; charset=utf-8", s.openapi) })

	v1 := r.Group("/api/v1", limitBody(d.MaxBody))
	v1.POST("/auth/staff", s.staffLogin)
	v1.POST("/auth/wechat", s.wechatLogin)
	v1.GET("/orgs", s.publicOrgs)
	v1.GET("/config", s.mpConfig)
	v1.GET("/public/figures", s.publicFigures)

	signed := v1.Group("", s.authn)
	signed.POST("/auth/logout", s.logout)
	signed.GET("/auth/me", s.me)
	signed.POST("/auth/password", requireStaff, s.changePassword)

	admin := signed.Group("/admin", requireAdmin)
	admin.GET("/accounts", s.listAccounts)
	admin.POST("/accounts", s.createAccount)
	admin.GET("/accounts/:id", s.getAccount)
	admin.PATCH("/accounts/:id", s.updateAccount)
	admin.PUT("/accounts/:id", s.updateAccount)
	admin.POST("/accounts/:id/disable", s.disableAccount)
	admin.POST("/accounts/:id/enable", s.enableAccount)
	admin.POST("/accounts/:id/reset-password", s.resetPassword)

	admin.GET("/orgs", s.listOrgs)
	admin.POST("/orgs", s.createOrg)
	admin.GET("/orgs/:id", s.getOrg)
	admin.PATCH("/orgs/:id", s.renameOrg)
	admin.PUT("/orgs/:id", s.renameOrg)
	admin.POST("/orgs/:id/deactivate", s.deactivateOrg)
	admin.POST("/orgs/:id/activate", s.activateOrg)
	admin.DELETE("/orgs/:id", s.deleteOrg)

	admin.GET("/audit-logs", s.listAuditLogs)

	admin.GET("/outbox", s.listOutbox)
	admin.POST("/outbox/:id/retry", s.retryOutbox)

	admin.GET("/calendar", s.listCalendar)
	admin.PUT("/calendar/:date", s.putCalendar)
	admin.DELETE("/calendar/:date", s.deleteCalendar)

	g := routeGroups{v1: v1, signed: signed, admin: admin,
		my: signed.Group("/my", requireResident), work: signed.Group("/work", requireStaff),
		upload: r.Group("/api/v1", limitBody(s.d.MaxUpload), s.authn)}
	s.residentRoutes(g)
	s.sessionRoutes(g)
	s.workRoutes(g)
	s.statsRoutes(g)
	s.similarRoutes(g)
	s.integratorRoutes(g)
	s.open311Routes(r)
	s.pointCalendarRoutes(g)
	s.workTargetsRoutes(g)
	s.consoleRoutes(r)
	return r, nil
}

// routeGroups are the groups every feature adds its routes to: public v1,
// signed in, residents (/my), staff (/work), admins (/admin), and uploads
// (signed in, with the larger body limit).
type routeGroups struct {
	v1, signed, my, work, admin, upload *gin.RouterGroup
}

// readyz answers 200 when MySQL and Redis answer, 503 naming what does not.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	out := gin.H{}
	ready := true
	for name, check := range s.d.Ready {
		if err := check(ctx); err != nil {
			out[name] = "down"
			ready = false
			logger(c).WarnContext(ctx, "not ready", "dependency", name, "err", err)
		} else {
			out[name] = "ok"
		}
	}
	if !ready {
		c.JSON(http.StatusServiceUnavailable, gin.H{"code": string(model.CodeUnavailable), "msg": "依赖服务不可用", "data": out})
		return
	}
	ok(c, http.StatusOK, out)
}
