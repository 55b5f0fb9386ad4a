package telemetry

import (
	"context"
	"fmt"
	"net/url"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"
	"gorm.io/plugin/opentelemetry/tracing"
)

// NewOTLP builds a tracer provider that batches spans to the OTLP/HTTP
// collector at endpoint (ZL_OTEL_ENDPOINT, e.g. http://otel-collector:4318;
// /v1/traces is added when the URL has no path). Shutdown flushes it.
func NewOTLP(ctx context.Context, endpoint string, b Build) (*sdktrace.TracerProvider, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("ZL_OTEL_ENDPOINT: %w", err)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/traces"
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(u.String()))
	if err != nil {
		return nil, fmt.Errorf("otlp exporter: %w", err)
	}
	res := resource.NewSchemaless(attribute.String("service.name", "zhilian"),
		attribute.String("service.version", b.Version), attribute.String("vcs.revision", b.Commit))
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res)), nil
}

// TraceSQL makes every GORM query a span (the statement without its
// values: they may be personal data).
func TraceSQL(db *gorm.DB, tp trace.TracerProvider) error {
	return db.Use(tracing.NewPlugin(tracing.WithTracerProvider(tp), tracing.WithoutMetrics(),
		tracing.WithoutQueryVariables()))
}

// TraceRedis makes every Redis command a span (without its arguments: keys
// and values may hold tokens).
func TraceRedis(rdb redis.UniversalClient, tp trace.TracerProvider) error {
	return redisotel.InstrumentTracing(rdb, redisotel.WithTracerProvider(tp), redisotel.WithDBStatement(false))
}
