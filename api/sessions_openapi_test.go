package api_test

import (
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"zhilian/api"
	"zhilian/internal/testutil"
)

// Every route of this feature is in the OpenAPI document, with its method.
func TestSessionsRoutesDocumented(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	raw, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	n := 0
	for _, r := range e.App.Handler.Routes() {
		if !strings.Contains(r.Path, "/points") && !strings.Contains(r.Path, "/sessions") && !strings.Contains(r.Path, "/bookings") {
			continue
		}
		n++
		p := param.ReplaceAllString(r.Path, "{$1}")
		if _, ok := doc.Paths[p][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, p)
		}
	}
	if n < 20 {
		t.Fatalf("only %d routes checked", n)
	}
}
