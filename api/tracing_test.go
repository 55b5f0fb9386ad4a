package api_test

import (
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"zhilian/internal/testutil"
)

func attr(s tracetest.SpanStub, key attribute.Key) string {
	for _, a := range s.Attributes {
		if a.Key == key {
			return a.Value.Emit()
		}
	}
	return ""
}

// TestOneTraceFromHTTPThroughSQLAndRedis: a staff sign-in is one trace — the
// server span (with the request id) and, under it, the SQL queries and the
// Redis commands it made.
func TestOneTraceFromHTTPThroughSQLAndRedis(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	e := testutil.New(t, func(s *testutil.Setup) { s.Options.Tracer = tp })
	exp.Reset() // start-up queries are not part of the request

	r := e.Call(testutil.Req{Method: "POST", Path: "/api/v1/auth/staff", Body: map[string]string{
		"username": e.Config.AdminUsername, "password": testutil.AdminPassword},
		Headers: map[string]string{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}).Must(t, 200)

	spans := exp.GetSpans()
	var server *tracetest.SpanStub
	for i := range spans {
		if spans[i].SpanKind == trace.SpanKindServer {
			server = &spans[i]
		}
	}
	if server == nil {
		t.Fatalf("no server span among %d spans", len(spans))
	}
	if server.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("the caller's trace was not continued: %s", server.SpanContext.TraceID())
	}
	if got := attr(*server, "request_id"); got == "" || got != r.Header.Get("X-Request-Id") {
		t.Fatalf("server span request_id %q, response X-Request-Id %q", got, r.Header.Get("X-Request-Id"))
	}
	if attr(*server, "http.route") != "/api/v1/auth/staff" {
		t.Fatalf("server span route %q", attr(*server, "http.route"))
	}
	var sql, redis int
	for _, s := range spans {
		if s.SpanContext.TraceID() != server.SpanContext.TraceID() {
			t.Errorf("span %q is in another trace", s.Name)
			continue
		}
		if s.SpanKind == trace.SpanKindServer {
			continue
		}
		if s.Parent.SpanID() != server.SpanContext.SpanID() {
			t.Errorf("span %q does not hang under the request", s.Name)
		}
		switch attr(s, "db.system") {
		case "mysql":
			sql++
			if st := attr(s, "db.statement"); strings.Contains(st, "'"+e.Config.AdminUsername+"'") {
				t.Errorf("SQL span carries the query's values: %q", st)
			}
		case "redis":
			redis++
		}
	}
	if sql == 0 || redis == 0 {
		t.Fatalf("spans under the request: %d SQL, %d Redis (want both)", sql, redis)
	}
}
