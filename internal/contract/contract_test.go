package contract_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"zhilian/internal/contract"
)

const spec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
      - {name: since, in: query, schema: {type: string, format: date-time}}
    get:
      responses:
        "200":
          description: a thing
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [id]
                properties: {id: {type: integer}, at: {type: string, format: date-time}}
        "404": {description: none}
`

func TestCheckerFlagsWhatTheDocumentDoesNotAllow(t *testing.T) {
	var answer struct {
		status int
		body   string
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(answer.status)
		_, _ = io.WriteString(w, answer.body)
	})
	cov, err := contract.NewCoverage([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	var got []contract.Violation
	k, err := contract.New([]byte(spec), cov, func(v contract.Violation) []byte {
		got = append(got, v)
		return []byte(`{"code":"contract_violation"}`)
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(k.Wrap(h))
	defer srv.Close()
	cases := []struct {
		path, body string
		status     int
		bad        bool
	}{
		{"/things/1", `{"id":1}`, 200, false},
		{"/things/1", `{"id":1,"at":"2026-03-01T09:30:00+08:00"}`, 200, false},
		{"/things/1", `{"id":1,"at":"2026-03-01T01:30:00.000Z"}`, 200, true}, // UTC, not +08:00
		{"/things/1", `{"id":1,"extra":true}`, 200, true},                    // field the document does not list
		{"/things/1", `{"id":"1"}`, 200, true},                               // wrong type
		{"/things/1", `{}`, 200, true},                                       // required field missing
		{"/things/1", ``, 404, false},
		{"/things/1?since=2026-03-01T01:30:00Z", `{"id":1}`, 200, false}, // a client may send any offset
		{"/things/1?since=yesterday", `{"id":1}`, 200, true},             // but not a non-time
		{"/things/1", `{}`, 409, true},                                   // status not declared
		{"/things/0", `{"id":0}`, 200, true},                             // request outside the document accepted
		{"/things/0", `{}`, 404, false},                                  // … and refused: fine
		{"/elsewhere", `{}`, 200, false},                                 // not described: not checked
	}
	for _, c := range cases {
		got = nil
		answer.status, answer.body = c.status, c.body
		res, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if c.bad != (len(got) == 1) {
			t.Errorf("%s %d %s: violations %v", c.path, c.status, c.body, got)
		}
		if c.bad && (res.StatusCode != 500 || !strings.Contains(string(b), "contract_violation")) {
			t.Errorf("%s %d %s: answered %d %s", c.path, c.status, c.body, res.StatusCode, b)
		}
		if !c.bad && (res.StatusCode != c.status || string(b) != c.body) {
			t.Errorf("%s %d %s: passed through as %d %s", c.path, c.status, c.body, res.StatusCode, b)
		}
	}
	rep := cov.Report()
	if !strings.Contains(rep, "GET /things/{id}: 200 404 409") || !strings.Contains(rep, "1 of 1 operations reached") {
		t.Fatalf("report:\n%s", rep)
	}
}
