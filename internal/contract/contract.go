// Package contract checks HTTP traffic against the OpenAPI document: every
// request and response that passes through Checker.Wrap is validated with
// kin-openapi's openapi3filter, and every operation × status pair seen is
// counted. Tests wrap their servers with it; a server started with
// ZL_CONTRACT_CHECK=1 (test runs only) does the same.
package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// maxCheckedBody is the largest request body that is validated; a larger one
// (an oversized-upload test) is passed on unchecked.
const maxCheckedBody = 4 << 20

// Violation is one exchange the document does not allow.
type Violation struct {
	Method, Path string
	Status       int
	Err          string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s → %d: %s", v.Method, v.Path, v.Status, v.Err)
}

// Checker validates exchanges against one OpenAPI document.
type Checker struct {
	doc    *openapi3.T
	router routers.Router
	// OnViolation is called (from the serving goroutine) for each exchange the
	// document does not allow; it may replace the response by returning a
	// non-nil body, written with status 500.
	onViolation func(Violation) []byte
	cov         *Coverage
}

// Coverage counts operation × status pairs; one Coverage may be shared by
// many Checkers (one per test server) of one test binary.
type Coverage struct {
	mu    sync.Mutex
	ops   []string // every operation in the document, "METHOD /path"
	pairs map[string]map[int]int
}

// NewCoverage lists the document's operations, none exercised yet.
func NewCoverage(spec []byte) (*Coverage, error) {
	doc, err := load(spec)
	if err != nil {
		return nil, err
	}
	c := &Coverage{pairs: map[string]map[int]int{}}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			c.ops = append(c.ops, method+" "+path)
		}
	}
	sort.Strings(c.ops)
	return c, nil
}

func (c *Coverage) add(op string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.pairs[op]
	if m == nil {
		m = map[int]int{}
		c.pairs[op] = m
	}
	m[status]++
}

// Report is the summary: distinct pairs, operations reached, and the
// operations no request reached.
func (c *Coverage) Report() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	pairs := 0
	for _, m := range c.pairs {
		pairs += len(m)
	}
	var missing []string
	for _, op := range c.ops {
		if c.pairs[op] == nil {
			missing = append(missing, op)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "contract: %d distinct operation × status pairs exercised; %d of %d operations reached\n",
		pairs, len(c.ops)-len(missing), len(c.ops))
	keys := make([]string, 0, len(c.pairs))
	for op := range c.pairs {
		keys = append(keys, op)
	}
	sort.Strings(keys)
	for _, op := range keys {
		st := make([]int, 0, len(c.pairs[op]))
		for s := range c.pairs[op] {
			st = append(st, s)
		}
		sort.Ints(st)
		parts := make([]string, len(st))
		for i, s := range st {
			parts[i] = strconv.Itoa(s)
		}
		fmt.Fprintf(&b, "  %s: %s\n", op, strings.Join(parts, " "))
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "contract: operations no request reached (%d):\n", len(missing))
		for _, op := range missing {
			fmt.Fprintf(&b, "  %s\n", op)
		}
	}
	return b.String()
}

func load(spec []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("load OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("invalid OpenAPI document: %w", err)
	}
	return doc, nil
}

// New builds a Checker for spec. onViolation receives every exchange the
// document does not allow; cov (may be nil) counts the pairs seen.
func New(spec []byte, cov *Coverage, onViolation func(Violation) []byte) (*Checker, error) {
	doc, err := load(spec)
	if err != nil {
		return nil, err
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract router: %w", err)
	}
	return &Checker{doc: doc, router: r, onViolation: onViolation, cov: cov}, nil
}

// WithViolations returns a Checker sharing k's loaded document and router
// (read-only, safe to share) that reports to onViolation instead: loading
// and validating the document once serves many test servers.
func (k *Checker) WithViolations(onViolation func(Violation) []byte) *Checker {
	c := *k
	c.onViolation = onViolation
	return &c
}

// Wrap validates every exchange with next that the document describes;
// paths outside it (the console, unknown routes) pass unchecked.
func (k *Checker) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, err := k.router.FindRoute(r)
		if err != nil || strings.HasSuffix(r.URL.Path, "/") && !strings.HasSuffix(route.Path, "/") && r.URL.Path != "/" {
			// Not described (the router also matches "/console/" to "/console").
			next.ServeHTTP(w, r)
			return
		}
		var reqBody []byte
		checkReq := true
		if r.Body != nil && r.Body != http.NoBody {
			reqBody, _ = io.ReadAll(io.LimitReader(r.Body, maxCheckedBody+1))
			if len(reqBody) > maxCheckedBody {
				checkReq = false
				r.Body = readCloser{io.MultiReader(bytes.NewReader(reqBody), r.Body), r.Body}
			} else {
				r.Body = readCloser{bytes.NewReader(reqBody), r.Body}
			}
		}
		rec := &recorder{header: http.Header{}}
		next.ServeHTTP(rec, r)
		status := rec.statusCode()
		op := r.Method + " " + route.Path
		if k.cov != nil {
			k.cov.add(op, status)
		}
		if msg := k.check(r, route, params, reqBody, checkReq, rec, status); msg != "" {
			v := Violation{Method: r.Method, Path: r.URL.RequestURI(), Status: status, Err: msg}
			if body := k.onViolation(v); body != nil {
				h := w.Header()
				h.Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write(body)
				return
			}
		}
		for key, vals := range rec.header {
			w.Header()[key] = vals
		}
		w.WriteHeader(status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

// check returns why the exchange breaks the document, or "".
func (k *Checker) check(r *http.Request, route *routers.Route, params map[string]string,
	reqBody []byte, checkReq bool, rec *recorder, status int) string {
	ctx := context.Background()
	opts := &openapi3filter.Options{
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus:   true,
		MultiError:              true,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{inFormats},
	}
	if checkReq && status < 400 {
		// A request the document does not allow must be refused; one the
		// server accepted must be one the document allows.
		rr := r.Clone(ctx)
		rr.Body = io.NopCloser(bytes.NewReader(reqBody))
		in := &openapi3filter.RequestValidationInput{Request: rr, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return "request the document does not allow was accepted: " + oneLine(err)
		}
	}
	respOpts := *opts
	respOpts.SchemaValidationOptions = []openapi3.SchemaValidationOption{outFormats}
	ct, _, _ := mime.ParseMediaType(rec.header.Get("Content-Type"))
	if ct != "application/json" {
		respOpts.ExcludeResponseBody = true // images, CSV, XML, YAML: status and type only
	}
	rr := r.Clone(ctx)
	rr.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: rr, PathParams: params, Route: route, Options: &respOpts},
		Status:                 status,
		Header:                 rec.header,
		Body:                   io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		Options:                &respOpts,
	}
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		body := rec.body.String()
		if len(body) > 600 {
			body = body[:600] + "…"
		}
		return oneLine(err) + " — body: " + body
	}
	return ""
}

// outFormats are the string formats as the server writes them: a
// date-time is RFC 3339 in Asia/Shanghai (+08:00), never UTC "Z"; a date is
// YYYY-MM-DD.
var outFormats = openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
	"date-time": openapi3.NewCallbackValidator(func(s string) error {
		if err := rfc3339(s); err != nil {
			return err
		}
		if !strings.HasSuffix(s, "+08:00") {
			return fmt.Errorf("not in +08:00: %q", s)
		}
		return nil
	}),
	"date": openapi3.NewCallbackValidator(date),
})

// inFormats are what clients may send: any RFC 3339 offset.
var inFormats = openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
	"date-time": openapi3.NewCallbackValidator(rfc3339),
	"date":      openapi3.NewCallbackValidator(date),
})

func rfc3339(s string) error {
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		return fmt.Errorf("not RFC 3339: %q", s)
	}
	return nil
}

func date(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("not a YYYY-MM-DD date: %q", s)
	}
	return nil
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 1500 {
		s = s[:1500] + "…"
	}
	return s
}

type readCloser struct {
	io.Reader
	io.Closer
}

// recorder buffers a response so it can be checked before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// Flush is a no-op: the response is sent once it has been checked.
func (r *recorder) Flush() {}

func (r *recorder) statusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}
