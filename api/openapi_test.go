package api_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"zhilian/api"
	"zhilian/internal/testutil"
)

// TestOpenAPIDocumentsEveryRoute loads the served document, validates it as
// OpenAPI 3 and checks that every Gin route is in it (and nothing else).
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	r := e.Do("GET", "/openapi.yaml", "", nil).Must(t, 200)
	doc, err := openapi3.NewLoader().LoadFromData(r.Raw)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	param := regexp.MustCompile(`[:*]([A-Za-z_]+)`)
	seen := map[string]bool{}
	for _, rt := range e.App.Handler.Routes() {
		path := param.ReplaceAllString(rt.Path, "{$1}")
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("route %s %s is not in the OpenAPI document", rt.Method, path)
		}
		seen[rt.Method+" "+path] = true
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !seen[method+" "+path] {
				t.Errorf("OpenAPI documents %s %s, which the server does not serve", method, path)
			}
		}
	}
}

func TestOpenAPIMergeIsStable(t *testing.T) {
	t.Parallel()
	a, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := api.OpenAPI()
	if string(a) != string(b) {
		t.Fatal("merged document differs between calls")
	}
}
