package api_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"zhilian/api"
	"zhilian/internal/testutil"
)

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestOpenAPICoversEveryRoute loads the merged document, validates it and
// checks that every Gin route (method and path) is documented.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	raw, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	e := testutil.New(t)
	for _, r := range e.App.Handler.Routes() {
		path := ginParam.ReplaceAllString(r.Path, "{$1}")
		item := doc.Paths.Find(path)
		if item == nil {
			t.Errorf("%s %s is not documented", r.Method, path)
			continue
		}
		if item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s: method not documented", r.Method, path)
		}
	}
}
