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
	Shares      *service.Shares

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
	MaxBody        int64     // JSON bodies; 0 means 1 MiB
	MaxUpload      int64     // upload bodies; 0 means 6 MiB (a 5 MB image plus multipart framing)
	Admission      Admission // bounds the API requests handled at once; zero: unbounded
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

	r.GET("/healthz", func(c *gin.Context) { ok(c, http.StatusOK, livenessDTO{Status: "alive"}) })
	r.GET("/readyz", s.readyz)
	r.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml; charset=utf-8", s.openapi) })

	gate := admit(d.Admission)
	v1 := r.Group("/api/v1", gate, limitBody(d.MaxBody))
	signed := v1.Group("", s.authn)
	admin := signed.Group("/admin", requireAdmin)
	g := routeGroups{v1: v1, signed: signed, admin: admin,
		my: signed.Group("/my", requireResident), work: signed.Group("/work", requireStaff),
		upload: r.Group("/api/v1", gate, limitBody(s.d.MaxUpload), s.authn)}
	// One registration function per resource, next to its handlers.
	s.authRoutes(g)
	s.accountRoutes(g)
	s.orgRoutes(g)
	s.auditRoutes(g)
	s.outboxRoutes(g)
	s.calendarRoutes(g)
	s.categoryRoutes(g)
	s.uploadRoutes(g)
	s.profileRoutes(g)
	s.requestRoutes(g)
	s.pointRoutes(g)
	s.scheduleRoutes(g)
	s.bookingRoutes(g)
	s.deskRoutes(g)
	s.workRoutes(g)
	s.statsRoutes(g)
	s.similarRoutes(g)
	s.integratorRoutes(g)
	s.open311Routes(r)
	s.pointCalendarRoutes(g)
	s.workTargetsRoutes(g)
	s.mpConfigRoutes(g)
	s.publicFiguresRoutes(g)
	s.shareRoutes(g)
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
	out := map[string]string{}
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
		c.JSON(http.StatusServiceUnavailable, notReadyBody{Code: model.CodeUnavailable, Msg: "依赖服务不可用", Data: out})
		return
	}
	ok(c, http.StatusOK, out)
}

// livenessDTO is the answer of GET /healthz.
type livenessDTO struct {
	Status string `json:"status"`
}

// notReadyBody is the 503 of GET /readyz: each dependency's state (ok or down).
type notReadyBody struct {
	Code model.Code        `json:"code"`
	Msg  string            `json:"msg"`
	Data map[string]string `json:"data"`
}
