package api_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
)

// o311Resp is a raw Open311 answer (JSON arrays do not fit the envelope helpers).
type o311Resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// o311Call sends a GET (form nil) or a form POST to an Open311 path.
func o311Call(t *testing.T, e *testutil.Env, method, path string, form url.Values) o311Resp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.Server.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := e.Server.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return o311Resp{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// json decodes a JSON answer after checking its status and content type.
func (r o311Resp) json(t *testing.T, status int, v any) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q", ct)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// xml decodes an XML answer after checking its status, content type, the
// UTF-8 declaration and the root element's name.
func (r o311Resp) xml(t *testing.T, status int, root string, v any) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Fatalf("content type %q", ct)
	}
	if !bytes.HasPrefix(r.Body, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Fatalf("no XML declaration: %s", r.Body)
	}
	dec := xml.NewDecoder(bytes.NewReader(r.Body))
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("no root element in %s: %v", r.Body, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != root {
				t.Fatalf("root element <%s>, want <%s>: %s", se.Name.Local, root, r.Body)
			}
			break
		}
	}
	if err := xml.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("parse XML %s: %v", r.Body, err)
	}
}

type o311Err struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type xErrors struct {
	XMLName xml.Name
	Items   []o311Err `xml:"error"`
}

// mustO311Err checks an error answer in both formats' shape: one error with
// the HTTP status as its code and a readable description.
func (r o311Resp) mustErr(t *testing.T, status int) string {
	t.Helper()
	var list []o311Err
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") {
		var x xErrors
		r.xml(t, status, "errors", &x)
		list = x.Items
	} else {
		r.json(t, status, &list)
	}
	if len(list) != 1 || list[0].Code != status || list[0].Description == "" {
		t.Fatalf("errors = %+v (%s)", list, r.Body)
	}
	return list[0].Description
}

type o311Service struct {
	ServiceCode string `json:"service_code" xml:"service_code"`
	ServiceName string `json:"service_name" xml:"service_name"`
	Description string `json:"description" xml:"description"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
	Keywords    string `json:"keywords" xml:"keywords"`
	Group       string `json:"group" xml:"group"`
}

type xServices struct {
	XMLName xml.Name
	Items   []o311Service `xml:"service"`
}

type o311Value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

type o311Attr struct {
	Variable            bool        `json:"variable" xml:"variable"`
	Code                string      `json:"code" xml:"code"`
	Datatype            string      `json:"datatype" xml:"datatype"`
	Required            bool        `json:"required" xml:"required"`
	DatatypeDescription string      `json:"datatype_description" xml:"datatype_description"`
	Order               int         `json:"order" xml:"order"`
	Description         string      `json:"description" xml:"description"`
	Values              []o311Value `json:"values" xml:"values>value"`
}

type o311Definition struct {
	XMLName     xml.Name   `json:"-"`
	ServiceCode string     `json:"service_code" xml:"service_code"`
	Attributes  []o311Attr `json:"attributes" xml:"attributes>attribute"`
}

type o311Receipt struct {
	ServiceRequestID string  `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string  `json:"service_notice" xml:"service_notice"`
	AccountID        *string `json:"account_id" xml:"account_id"`
}

type xReceipts struct {
	XMLName xml.Name
	Items   []o311Receipt `xml:"request"`
}

type o311Request struct {
	ServiceRequestID  string   `json:"service_request_id" xml:"service_request_id"`
	Status            string   `json:"status" xml:"status"`
	StatusNotes       string   `json:"status_notes" xml:"status_notes"`
	ServiceName       string   `json:"service_name" xml:"service_name"`
	ServiceCode       string   `json:"service_code" xml:"service_code"`
	Description       string   `json:"description" xml:"description"`
	AgencyResponsible string   `json:"agency_responsible" xml:"agency_responsible"`
	ServiceNotice     string   `json:"service_notice" xml:"service_notice"`
	RequestedDatetime string   `json:"requested_datetime" xml:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime" xml:"updated_datetime"`
	ExpectedDatetime  *string  `json:"expected_datetime" xml:"expected_datetime"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Lat               *float64 `json:"lat" xml:"lat"`
	Long              *float64 `json:"long" xml:"long"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

type xRequests struct {
	XMLName xml.Name
	Items   []o311Request `xml:"request"`
}

// o311World is newCity plus a liaison point in the first community, a town
// cadre, an integrator and a city-wide key.
type o311World struct {
	city
	e            *testutil.Env
	cadre        string
	integratorID int64
	key          string
	keyID        int64
}

// Point of the first community (升平社区); o311Near is about 100 m from it.
const (
	o311PointLat, o311PointLng = 23.0268, 113.1214
	o311NearLat, o311NearLng   = "23.0275", "113.1220"
)

func newO311World(t *testing.T, e *testutil.Env) *o311World {
	t.Helper()
	w := &o311World{city: newCity(t, e), e: e}
	e.Do("POST", "/api/v1/admin/points", w.admin, map[string]any{"org_id": w.comm, "name": "升平社区党群服务中心",
		"address": "升平路 1 号", "lat": o311PointLat, "lng": o311PointLng}).Must(t, 201)
	_, w.cadre = e.Staff(w.admin, w.town, "cadre", "o311_cadre")
	w.integratorID = e.Do("POST", "/api/v1/admin/integrators", w.admin, map[string]any{"name": "12345 热线", "contact": "热线平台运维 0757-12345"}).Must(t, 201).ID(t)
	w.key, w.keyID = w.issue(t, map[string]any{})
	return w
}

// issue issues a key of the world's integrator and returns it and its id.
func (w *o311World) issue(t *testing.T, body map[string]any) (string, int64) {
	t.Helper()
	var out struct {
		ID     int64  `json:"id"`
		Key    string `json:"key"`
		Prefix string `json:"prefix"`
		Status string `json:"status"`
		Name   string `json:"integrator_name"`
	}
	w.e.Do("POST", fmt.Sprintf("/api/v1/admin/integrators/%d/keys", w.integratorID), w.admin, body).Must(t, 201).Decode(t, &out)
	if !strings.HasPrefix(out.Key, "zl311_") || len(out.Key) < 40 || !strings.HasPrefix(out.Key, out.Prefix) ||
		out.Status != "active" || out.Name != "12345 热线" {
		t.Fatalf("issued key %+v", out)
	}
	return out.Key, out.ID
}

// form is a valid POST near the first community's point.
func (w *o311World) form(desc string) url.Values {
	return url.Values{"api_key": {w.key}, "service_code": {"roads"}, "lat": {o311NearLat}, "long": {o311NearLng},
		"address_string": {"升平路 3 号门前"}, "description": {desc}}
}

// post files a request and returns its service_request_id.
func (w *o311World) post(t *testing.T, form url.Values) string {
	t.Helper()
	var out []o311Receipt
	o311Call(t, w.e, "POST", "/open311/v2/requests.json", form).json(t, 201, &out)
	if len(out) != 1 || out[0].ServiceRequestID == "" || out[0].AccountID != nil {
		t.Fatalf("receipt %+v", out)
	}
	return out[0].ServiceRequestID
}

// get reads one request in JSON.
func (w *o311World) get(t *testing.T, id string) o311Request {
	t.Helper()
	var out []o311Request
	o311Call(t, w.e, "GET", "/open311/v2/requests/"+id+".json", nil).json(t, 200, &out)
	if len(out) != 1 || out[0].ServiceRequestID != id {
		t.Fatalf("GET %s = %+v", id, out)
	}
	return out[0]
}

// workItem finds an item by number in a cadre's inbox (nil when absent).
func workItem(t *testing.T, e *testutil.Env, tok, number string) *workView {
	t.Helper()
	var page struct {
		Items []workView `json:"items"`
	}
	e.Do("GET", "/api/v1/work/requests?page_size=50&q="+url.QueryEscape(number), tok, nil).Must(t, 200).Decode(t, &page)
	for i := range page.Items {
		if page.Items[i].Number == number {
			return &page.Items[i]
		}
	}
	return nil
}

// o311Clock is a Monday morning in Foshan, away from holidays.
func o311Clock() *testutil.Clock {
	return testutil.NewClock(time.Date(2026, 3, 2, 10, 0, 0, 0, model.Shanghai))
}
