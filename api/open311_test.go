package api_test

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
	"zhilian/service"
)

// roadsDefinition is a service definition with every datatype.
var roadsDefinition = map[string]any{"attributes": []map[string]any{
	{"code": "kind", "datatype": "singlevaluelist", "required": true, "description": "损坏类型",
		"values": []map[string]string{{"key": "pothole", "name": "坑洼"}, {"key": "crack", "name": "裂缝"}}},
	{"code": "lanes", "datatype": "multivaluelist", "description": "涉及车道",
		"values": []map[string]string{{"key": "l1", "name": "一车道"}, {"key": "l2", "name": "二车道"}}},
	{"code": "width", "datatype": "number", "description": "宽度（米）", "datatype_description": "十进制数"},
	{"code": "seen", "datatype": "datetime", "description": "发现时间"},
	{"code": "note", "datatype": "text", "description": "补充说明"},
	{"code": "info", "datatype": "string", "variable": false, "description": "紧急险情请拨 110"},
}}

func TestOpen311DiscoveryAndServicesInBothFormats(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)

	type endpoint struct {
		Specification string   `json:"specification" xml:"specification"`
		URL           string   `json:"url" xml:"url"`
		Type          string   `json:"type" xml:"type"`
		Formats       []string `json:"formats" xml:"formats>format"`
	}
	type discovery struct {
		XMLName    xml.Name   `json:"-"`
		Changeset  string     `json:"changeset" xml:"changeset"`
		Contact    string     `json:"contact" xml:"contact"`
		KeyService string     `json:"key_service" xml:"key_service"`
		Endpoints  []endpoint `json:"endpoints" xml:"endpoints>endpoint"`
	}
	var dj, dx discovery
	o311Call(t, e, "GET", "/open311/v2/discovery.json", nil).json(t, 200, &dj)
	o311Call(t, e, "GET", "/open311/v2/discovery.xml", nil).xml(t, 200, "discovery", &dx)
	for _, d := range []discovery{dj, dx} {
		if _, err := time.Parse(time.RFC3339, d.Changeset); err != nil || d.Contact == "" || d.KeyService == "" ||
			len(d.Endpoints) != 1 || d.Endpoints[0].URL != e.Server.URL+"/open311/v2" || d.Endpoints[0].Type != "test" ||
			!strings.Contains(d.Endpoints[0].Specification, "GeoReport_v2") ||
			strings.Join(d.Endpoints[0].Formats, ",") != "text/xml,application/json" {
			t.Fatalf("discovery = %+v", d)
		}
	}

	services := func() ([]o311Service, []o311Service) {
		var j []o311Service
		var x xServices
		o311Call(t, e, "GET", "/open311/v2/services.json", nil).json(t, 200, &j)
		o311Call(t, e, "GET", "/open311/v2/services.xml", nil).xml(t, 200, "services", &x)
		if len(j) != 15 || len(x.Items) != 15 {
			t.Fatalf("%d JSON and %d XML services, want the 15 seeded categories", len(j), len(x.Items))
		}
		return j, x.Items
	}
	sj, sx := services()
	for i := range sj {
		if sj[i] != sx[i] {
			t.Fatalf("JSON %+v and XML %+v differ", sj[i], sx[i])
		}
	}
	if s := sj[0]; s.ServiceCode != "reserved_land" || s.ServiceName != "历史留用地" || s.Group != "重点问题" ||
		s.Type != "realtime" || s.Metadata || !strings.Contains(s.Description, "办结时限 60 个工作日") || !strings.Contains(s.Keywords, "reserved_land") {
		t.Fatalf("first service %+v", s)
	}
	for _, s := range sj {
		if s.ServiceCode == "roads" && (s.Group != "一般诉求" || s.Metadata) {
			t.Fatalf("roads %+v", s)
		}
	}

	// No definition yet: 404 in the format asked for.
	o311Call(t, e, "GET", "/open311/v2/services/roads.json", nil).mustErr(t, 404)
	o311Call(t, e, "GET", "/open311/v2/services/roads.xml", nil).mustErr(t, 404)
	e.Do("PUT", fmt.Sprintf("/api/v1/admin/categories/%d/attributes", w.categoryID), w.admin, roadsDefinition).Must(t, 200)

	sj, _ = services()
	for _, s := range sj {
		if (s.ServiceCode == "roads") != s.Metadata {
			t.Fatalf("metadata of %s = %v", s.ServiceCode, s.Metadata)
		}
	}
	var defJ, defX o311Definition
	o311Call(t, e, "GET", "/open311/v2/services/roads.json", nil).json(t, 200, &defJ)
	o311Call(t, e, "GET", "/open311/v2/services/roads.xml", nil).xml(t, 200, "service_definition", &defX)
	for _, d := range []o311Definition{defJ, defX} {
		if d.ServiceCode != "roads" || len(d.Attributes) != 6 {
			t.Fatalf("definition %+v", d)
		}
		k := d.Attributes[0]
		if k.Code != "kind" || k.Datatype != "singlevaluelist" || !k.Required || !k.Variable || k.Order != 1 ||
			len(k.Values) != 2 || k.Values[0] != (o311Value{"pothole", "坑洼"}) {
			t.Fatalf("first attribute %+v", k)
		}
		if a := d.Attributes[2]; a.Datatype != "number" || a.DatatypeDescription != "十进制数" || a.Order != 3 || len(a.Values) != 0 {
			t.Fatalf("number attribute %+v", a)
		}
		if a := d.Attributes[5]; a.Variable || a.Required {
			t.Fatalf("informational attribute %+v", a)
		}
	}
	// Unknown service, unknown format, unknown path: errors, never 500.
	o311Call(t, e, "GET", "/open311/v2/services/nope.json", nil).mustErr(t, 404)
	o311Call(t, e, "GET", "/open311/v2/services/roads.csv", nil).mustErr(t, 404)
	o311Call(t, e, "GET", "/open311/v2/tokens/abc.json", nil).mustErr(t, 404)
	o311Call(t, e, "GET", "/open311/v2/services.json?jurisdiction_id=440600", nil).json(t, 200, &sj)
	o311Call(t, e, "GET", "/open311/v2/services.xml?jurisdiction_id=110000", nil).mustErr(t, 400)
}

func TestOpen311PostAndGetInBothFormats(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = o311Clock() })
	w := newO311World(t, e)
	e.Do("PUT", fmt.Sprintf("/api/v1/admin/categories/%d/attributes", w.categoryID), w.admin, roadsDefinition).Must(t, 200)

	// JSON: every field, attributes included.
	f := w.form("升平路人行道有一处坑洼，雨天积水")
	f.Set("media_url", "https://img.example.org/r/1.jpg")
	f.Set("first_name", "伟")
	f.Set("last_name", "张")
	f.Set("phone", "+86 138-0013-8000")
	f.Set("email", "zhang@example.org")
	f.Set("jurisdiction_id", "440600")
	f.Set("attribute[kind]", "pothole")
	f["attribute[lanes][]"] = []string{"l1", "l2"}
	f.Set("attribute[width]", "1.5")
	f.Set("attribute[seen]", "2026-03-02T08:30:00+08:00")
	var rj []o311Receipt
	o311Call(t, e, "POST", "/open311/v2/requests.json", f).json(t, 201, &rj)
	if len(rj) != 1 || !strings.HasPrefix(rj[0].ServiceRequestID, "ZL20260302-") || rj[0].AccountID != nil ||
		rj[0].ServiceNotice != "受理时限 1 个工作日，办结时限 10 个工作日" {
		t.Fatalf("receipt %+v", rj)
	}
	id := rj[0].ServiceRequestID

	// XML: the same call answered as <service_requests><request>.
	var rx xReceipts
	fx := w.form("升平路路灯不亮，夜间行人摔倒")
	fx.Set("attribute[kind]", "crack")
	o311Call(t, e, "POST", "/open311/v2/requests.xml", fx).xml(t, 201, "service_requests", &rx)
	if len(rx.Items) != 1 || rx.Items[0].ServiceRequestID == "" || rx.Items[0].ServiceRequestID == id || rx.Items[0].ServiceNotice == "" {
		t.Fatalf("XML receipt %+v", rx)
	}
	idX := rx.Items[0].ServiceRequestID

	// The cadre sees the item with the attribute answers, the contact and its source.
	v := workItem(t, e, w.cadre, id)
	if v == nil || v.Source != "open311" || v.HandlingOrgID != w.town || v.Status != "submitted" {
		t.Fatalf("inbox item %+v", v)
	}
	var d struct {
		Content     string `json:"content"`
		CommunityID int64  `json:"community_id"`
		Contact     struct {
			Name  string `json:"name"`
			Phone string `json:"phone"`
		} `json:"contact"`
		Timeline []struct {
			ActorKind string `json:"actor_kind"`
			ActorName string `json:"actor_name"`
		} `json:"timeline"`
	}
	e.Do("GET", fmt.Sprintf("/api/v1/work/requests/%d", v.ID), w.cadre, nil).Must(t, 200).Decode(t, &d)
	for _, want := range []string{"升平路人行道有一处坑洼", "【附加信息】", "损坏类型：坑洼", "涉及车道：一车道、二车道", "宽度（米）：1.5", "发现时间：2026-03-02 08:30"} {
		if !strings.Contains(d.Content, want) {
			t.Errorf("content %q lacks %q", d.Content, want)
		}
	}
	if d.CommunityID != w.comm || d.Contact.Name != "张伟" || d.Contact.Phone != "13800138000" ||
		len(d.Timeline) == 0 || d.Timeline[0].ActorKind != "integrator" || !strings.Contains(d.Timeline[0].ActorName, "12345 热线") {
		t.Fatalf("detail %+v", d)
	}

	// GET one request in both formats.
	got := w.get(t, id)
	var gx xRequests
	o311Call(t, e, "GET", "/open311/v2/requests/"+id+".xml", nil).xml(t, 200, "service_requests", &gx)
	if len(gx.Items) != 1 {
		t.Fatalf("XML GET %+v", gx)
	}
	for _, r := range []o311Request{got, gx.Items[0]} {
		if r.Status != "open" || r.StatusNotes != "待受理" || r.ServiceCode != "roads" || r.ServiceName != "道路设施" ||
			!strings.Contains(r.Description, "坑洼") || r.AgencyResponsible != "祖庙街道" || r.Address != "升平路 3 号门前" ||
			r.Lat == nil || *r.Lat != 23.0275 || r.Long == nil || *r.Long != 113.122 || r.MediaURL != "https://img.example.org/r/1.jpg" ||
			r.ExpectedDatetime == nil || r.RequestedDatetime != "2026-03-02T10:00:00+08:00" || r.UpdatedDatetime == "" ||
			r.ServiceNotice == "" {
			t.Fatalf("GET %+v", r)
		}
		if exp, err := time.Parse(time.RFC3339, *r.ExpectedDatetime); err != nil || !exp.After(time.Date(2026, 3, 2, 10, 0, 0, 0, model.Shanghai)) {
			t.Fatalf("expected_datetime %v", *r.ExpectedDatetime)
		}
	}
	// Nothing personal in any answer.
	for _, path := range []string{"/open311/v2/requests/" + id + ".json", "/open311/v2/requests/" + id + ".xml",
		"/open311/v2/requests.json", "/open311/v2/requests.xml"} {
		body := string(o311Call(t, e, "GET", path, nil).Body)
		for _, secret := range []string{"13800138000", "138****8000", "张伟", "zhang@example.org"} {
			if strings.Contains(body, secret) {
				t.Fatalf("%s shows %q: %s", path, secret, body)
			}
		}
	}

	// GET requests lists both, newest first, in both formats.
	var lj []o311Request
	var lx xRequests
	o311Call(t, e, "GET", "/open311/v2/requests.json", nil).json(t, 200, &lj)
	o311Call(t, e, "GET", "/open311/v2/requests.xml", nil).xml(t, 200, "service_requests", &lx)
	if len(lj) != 2 || len(lx.Items) != 2 || lj[0].ServiceRequestID != idX || lx.Items[1].ServiceRequestID != id {
		t.Fatalf("lists %+v / %+v", lj, lx.Items)
	}
	o311Call(t, e, "GET", "/open311/v2/requests.json?service_request_id="+id+","+idX+",ZL19990101-000001", nil).json(t, 200, &lj)
	if len(lj) != 2 {
		t.Fatalf("by ids %+v", lj)
	}
	o311Call(t, e, "GET", "/open311/v2/requests.json?service_code=sanitation", nil).json(t, 200, &lj)
	if len(lj) != 0 {
		t.Fatalf("by another code %+v", lj)
	}
	o311Call(t, e, "GET", "/open311/v2/requests.json?service_code=sanitation,roads&status=open", nil).json(t, 200, &lj)
	if len(lj) != 2 {
		t.Fatalf("by codes and open %+v", lj)
	}
	var none xRequests
	o311Call(t, e, "GET", "/open311/v2/requests.xml?status=closed", nil).xml(t, 200, "service_requests", &none)
	if len(none.Items) != 0 {
		t.Fatalf("closed %+v", none.Items)
	}
	o311Call(t, e, "GET", "/open311/v2/requests/ZL19990101-000001.xml", nil).mustErr(t, 404)

	// A required attribute missing, a value not offered: 400.
	bad := w.form("升平路人行道有一处坑洼")
	o311Call(t, e, "POST", "/open311/v2/requests.json", bad).mustErr(t, 400)
	bad.Set("attribute[kind]", "sinkhole")
	o311Call(t, e, "POST", "/open311/v2/requests.xml", bad).mustErr(t, 400)
}

func TestOpen311KeyCheck(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	f := w.form("升平路人行道有一处坑洼")

	noKey := w.form("升平路人行道有一处坑洼")
	noKey.Del("api_key")
	o311Call(t, e, "POST", "/open311/v2/requests.json", noKey).mustErr(t, 403)
	o311Call(t, e, "POST", "/open311/v2/requests.xml", noKey).mustErr(t, 403)
	wrong := w.form("升平路人行道有一处坑洼")
	wrong.Set("api_key", w.key+"x")
	o311Call(t, e, "POST", "/open311/v2/requests.json", wrong).mustErr(t, 403)
	w.post(t, f)

	// Listed with its last use; the key itself never again.
	r := e.Do("GET", fmt.Sprintf("/api/v1/admin/integrators/%d/keys", w.integratorID), w.admin, nil).Must(t, 200)
	if strings.Contains(string(r.Raw), w.key) || strings.Contains(string(r.Raw), service.HashToken(w.key)) {
		t.Fatalf("key list shows the key or its hash: %s", r.Raw)
	}
	var keys struct {
		Items []struct {
			ID         int64   `json:"id"`
			Status     string  `json:"status"`
			LastUsedAt *string `json:"last_used_at"`
			OrgID      int64   `json:"org_id"`
			Rate       int     `json:"rate_per_minute"`
		} `json:"items"`
	}
	r.Decode(t, &keys)
	if len(keys.Items) != 1 || keys.Items[0].Status != "active" || keys.Items[0].LastUsedAt == nil ||
		keys.Items[0].OrgID != e.RootOrgID() || keys.Items[0].Rate != model.DefaultKeyRate {
		t.Fatalf("keys %+v", keys.Items)
	}

	// Revoked: 403 at once, on POST and on a GET that names it.
	e.Do("POST", fmt.Sprintf("/api/v1/admin/integrators/%d/keys/%d/revoke", w.integratorID, w.keyID), w.admin, nil).Must(t, 200)
	o311Call(t, e, "POST", "/open311/v2/requests.json", f).mustErr(t, 403)
	o311Call(t, e, "POST", "/open311/v2/requests.xml", f).mustErr(t, 403)
	o311Call(t, e, "GET", "/open311/v2/requests.json?api_key="+url.QueryEscape(w.key), nil).mustErr(t, 403)
	o311Call(t, e, "GET", "/open311/v2/requests.json", nil).json(t, 200, &[]o311Request{})
	e.Do("POST", fmt.Sprintf("/api/v1/admin/integrators/%d/keys/%d/revoke", w.integratorID, w.keyID), w.admin, nil).
		MustErr(t, 409, "invalid_transition")

	// Every POST is audited with the integrator.
	var audit struct {
		Items []struct {
			ActorName string `json:"actor_name"`
			TargetID  int64  `json:"target_id"`
			Detail    string `json:"detail"`
		} `json:"items"`
	}
	e.Do("GET", "/api/v1/admin/audit-logs?action=open311.request.create", w.admin, nil).Must(t, 200).Decode(t, &audit)
	if len(audit.Items) != 1 || !strings.Contains(audit.Items[0].ActorName, "12345 热线") ||
		!strings.Contains(audit.Items[0].Detail, fmt.Sprintf("integrator_id=%d", w.integratorID)) || audit.Items[0].TargetID == 0 {
		t.Fatalf("audit %+v", audit.Items)
	}
}

func TestOpen311KeyRateLimit(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	key, _ := w.issue(t, map[string]any{"rate_per_minute": 2, "note": "试运行"})
	f := w.form("升平路人行道有一处坑洼")
	f.Set("api_key", key)
	w.post(t, f)
	w.post(t, f)
	r := o311Call(t, e, "POST", "/open311/v2/requests.xml", f)
	r.mustErr(t, 429)
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// Another key of the same integrator has its own budget.
	w.post(t, w.form("升平路人行道有一处坑洼"))
}

func TestOpen311RoundTripThroughTheInbox(t *testing.T) {
	t.Parallel()
	e := testutil.New(t, func(s *testutil.Setup) { s.Clock = o311Clock() })
	w := newO311World(t, e)
	id := w.post(t, w.form("升平路人行道有一处坑洼，雨天积水"))

	v := workItem(t, e, w.cadre, id)
	if v == nil {
		t.Fatal("the Open311 item is not in the town cadre's inbox")
	}
	e.Do("POST", path("/api/v1/work/requests/%d/accept", v.ID), w.cadre, map[string]any{}).Must(t, 200)
	if g := w.get(t, id); g.Status != "open" || g.StatusNotes != "办理中" || g.ExpectedDatetime == nil {
		t.Fatalf("after accept %+v", g)
	}
	e.Clock.Advance(time.Hour)
	e.Do("POST", path("/api/v1/work/requests/%d/resolve", v.ID), w.cadre, map[string]any{"result": "已修补坑洼并清理积水"}).Must(t, 200)

	for _, r := range func() []o311Request {
		var x xRequests
		o311Call(t, e, "GET", "/open311/v2/requests/"+id+".xml", nil).xml(t, 200, "service_requests", &x)
		return append(x.Items, w.get(t, id))
	}() {
		if r.Status != "closed" || r.StatusNotes != "已修补坑洼并清理积水" || r.ExpectedDatetime != nil ||
			r.UpdatedDatetime != "2026-03-02T11:00:00+08:00" {
			t.Fatalf("after resolve %+v", r)
		}
	}
	var closed []o311Request
	o311Call(t, e, "GET", "/open311/v2/requests.json?status=closed", nil).json(t, 200, &closed)
	if len(closed) != 1 || closed[0].ServiceRequestID != id {
		t.Fatalf("closed list %+v", closed)
	}

	// A rejection shows its reason.
	id2 := w.post(t, w.form("升平路人行道又有一处坑洼"))
	v2 := workItem(t, e, w.cadre, id2)
	e.Do("POST", path("/api/v1/work/requests/%d/reject", v2.ID), w.cadre, map[string]any{"reason": "与已办结事项重复"}).Must(t, 200)
	if g := w.get(t, id2); g.Status != "closed" || g.StatusNotes != "与已办结事项重复" {
		t.Fatalf("after reject %+v", g)
	}

	// The statistics count them in the source split.
	var stats struct {
		BySource map[string]struct {
			Collected int `json:"collected"`
			Resolved  int `json:"resolved"`
			Rejected  int `json:"rejected"`
		} `json:"by_source"`
	}
	e.Do("GET", "/api/v1/admin/stats?from=2026-03-01&to=2026-04-01", w.admin, nil).Must(t, 200).Decode(t, &stats)
	if s := stats.BySource["open311"]; s.Collected != 2 || s.Resolved != 1 || s.Rejected != 1 {
		t.Fatalf("by_source = %+v", stats.BySource)
	}
	e.Do("GET", "/api/v1/admin/stats?from=2026-01-01&to=2027-01-01", w.admin, nil).Must(t, 200).Decode(t, &stats)
	if s := stats.BySource["open311"]; s.Collected != 2 || s.Resolved != 1 {
		t.Fatalf("by_source over the year (rollups) = %+v", stats.BySource)
	}
}

func TestOpen311BadInputNever500(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	w := newO311World(t, e)
	long := strings.Repeat("坑", model.MaxContent+1)
	cases := map[string]func(f url.Values){
		"no location":        func(f url.Values) { f.Del("lat"); f.Del("long"); f.Del("address_string") },
		"lat without long":   func(f url.Values) { f.Del("long") },
		"lat not a number":   func(f url.Values) { f.Set("lat", "north") },
		"lat out of range":   func(f url.Values) { f.Set("lat", "123") },
		"lat NaN":            func(f url.Values) { f.Set("lat", "NaN") },
		"no service_code":    func(f url.Values) { f.Del("service_code") },
		"unknown service":    func(f url.Values) { f.Set("service_code", "nope") },
		"description long":   func(f url.Values) { f.Set("description", long) },
		"description short":  func(f url.Values) { f.Set("description", "坑") },
		"address long":       func(f url.Values) { f.Set("address_string", strings.Repeat("路", 201)) },
		"address_id long":    func(f url.Values) { f.Set("address_id", strings.Repeat("x", 65)) },
		"media_url ftp":      func(f url.Values) { f.Set("media_url", "ftp://example.org/a.jpg") },
		"media_url script":   func(f url.Values) { f.Set("media_url", "javascript:alert(1)") },
		"media_url relative": func(f url.Values) { f.Set("media_url", "/a.jpg") },
		"media_url long":     func(f url.Values) { f.Set("media_url", "https://example.org/"+strings.Repeat("a", 1010)) },
		"phone":              func(f url.Values) { f.Set("phone", "12345") },
		"email":              func(f url.Values) { f.Set("email", "not-an-email") },
		"name long":          func(f url.Values) { f.Set("first_name", strings.Repeat("名", 33)) },
		"unknown attribute":  func(f url.Values) { f.Set("attribute[colour]", "red") },
		"jurisdiction":       func(f url.Values) { f.Set("jurisdiction_id", "beijing") },
	}
	for name, mod := range cases {
		f := w.form("升平路人行道有一处坑洼")
		mod(f)
		desc := o311Call(t, e, "POST", "/open311/v2/requests.json", f).mustErr(t, 400)
		if desc == "" {
			t.Errorf("%s: no description", name)
		}
		o311Call(t, e, "POST", "/open311/v2/requests.xml", f).mustErr(t, 400)
	}
	// Not a form; too large.
	req := o311Call(t, e, "POST", "/open311/v2/requests.json", nil)
	req.mustErr(t, 400)
	big := w.form(strings.Repeat("a", 70<<10))
	o311Call(t, e, "POST", "/open311/v2/requests.xml", big).mustErr(t, 413)
	// Wrong method: 405 from the router, not a 500.
	if r := o311Call(t, e, "DELETE", "/open311/v2/requests.json", nil); r.Status != 405 {
		t.Fatalf("DELETE = %d", r.Status)
	}
	for _, p := range []string{"/open311/v2/requests/.json", "/open311/v2/requests/x.json?service_request_id=" + strings.Repeat("9", 30),
		"/open311/v2/requests.json?service_request_id=" + strings.Repeat("9", 30), "/open311/v2/requests.json?service_code=" + strings.Repeat("c", 40)} {
		if r := o311Call(t, e, "GET", p, nil); r.Status >= 500 || r.Status < 400 {
			t.Fatalf("GET %s = %d %s", p, r.Status, r.Body)
		}
	}
	if strings.Contains(e.LogText(), `"status":500`) {
		t.Fatal("a bad input was logged as a 500")
	}
}
