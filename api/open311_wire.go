package api

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"zhilian/internal/logx"
	"zhilian/model"
	"zhilian/service"
)

// Open311 GeoReport v2 documents, in JSON (a bare value or array) and XML
// (the root elements the specification names).

// o311Format is the response format a path asked for.
type o311Format string

const (
	o311JSON o311Format = "json"
	o311XML  o311Format = "xml"
)

// o311Spec is the specification every endpoint follows; o311Changeset is
// when this server's endpoint list last changed.
const (
	o311Spec      = "http://wiki.open311.org/GeoReport_v2"
	o311Changeset = "2026-12-01T00:00:00+08:00"
)

// o311Write writes v as JSON (jsonV) or XML (xmlV, with the UTF-8 declaration).
func o311Write(c *gin.Context, f o311Format, status int, jsonV, xmlV any) {
	if f == o311JSON {
		b, err := json.Marshal(jsonV)
		if err != nil {
			o311Fail(c, f, err)
			return
		}
		c.Data(status, "application/json; charset=utf-8", b)
		return
	}
	b, err := xml.Marshal(xmlV)
	if err != nil {
		o311Fail(c, f, err)
		return
	}
	c.Data(status, "text/xml; charset=utf-8", append([]byte(xml.Header), b...))
}

type o311Error struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

type o311Errors struct {
	XMLName xml.Name    `xml:"errors"`
	Items   []o311Error `xml:"error"`
}

// o311Fail writes err as GeoReport's error list, with the HTTP status of the
// domain code (api/errors.go). Unknown errors are logged and shown as a
// generic 500, as everywhere else.
func o311Fail(c *gin.Context, f o311Format, err error) {
	ctx := c.Request.Context()
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		err = model.E(model.CodeTooLarge, "请求体过大")
	}
	e, ok := model.AsError(err)
	status := http.StatusInternalServerError
	if ok {
		if s, known := statusOf[e.Code]; known {
			status = s
		}
	}
	if !ok || status >= 500 {
		logger(c).ErrorContext(ctx, "request failed", "err", err, "status", status, "request_id", logx.RequestID(ctx))
		if !ok || e.Code == model.CodeInternal {
			e = model.E(model.CodeInternal, "服务器内部错误，请稍后重试")
		}
	}
	if e.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
	}
	list := []o311Error{{Code: status, Description: e.Msg}}
	o311Write(c, f, status, list, o311Errors{Items: list})
	c.Abort()
}

type o311Endpoint struct {
	Specification string   `json:"specification" xml:"specification"`
	URL           string   `json:"url" xml:"url"`
	Changeset     string   `json:"changeset" xml:"changeset"`
	Type          string   `json:"type" xml:"type"`
	Formats       []string `json:"formats" xml:"formats>format"`
}

type o311Discovery struct {
	XMLName    xml.Name       `json:"-" xml:"discovery"`
	Changeset  string         `json:"changeset" xml:"changeset"`
	Contact    string         `json:"contact" xml:"contact"`
	KeyService string         `json:"key_service" xml:"key_service"`
	Endpoints  []o311Endpoint `json:"endpoints" xml:"endpoints>endpoint"`
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

type o311Services struct {
	XMLName xml.Name      `xml:"services"`
	Items   []o311Service `xml:"service"`
}

// o311Group is a category's group: the city's six priority issues, or the rest.
func o311Group(c *model.Category) string {
	if c.Priority {
		return "重点问题"
	}
	return "一般诉求"
}

func toO311Service(sv service.Open311Service) o311Service {
	c := &sv.Category
	return o311Service{ServiceCode: c.Code, ServiceName: c.Name, Description: c.Name + "。" + model.ServiceNotice(c),
		Metadata: sv.Metadata, Type: "realtime", Keywords: c.Code + "," + c.Name, Group: o311Group(c)}
}

type o311Value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

type o311Attribute struct {
	Variable            bool        `json:"variable" xml:"variable"`
	Code                string      `json:"code" xml:"code"`
	Datatype            string      `json:"datatype" xml:"datatype"`
	Required            bool        `json:"required" xml:"required"`
	DatatypeDescription string      `json:"datatype_description" xml:"datatype_description"`
	Order               int         `json:"order" xml:"order"`
	Description         string      `json:"description" xml:"description"`
	Values              []o311Value `json:"values,omitempty" xml:"values>value,omitempty"`
}

type o311Definition struct {
	XMLName     xml.Name        `json:"-" xml:"service_definition"`
	ServiceCode string          `json:"service_code" xml:"service_code"`
	Attributes  []o311Attribute `json:"attributes" xml:"attributes>attribute"`
}

func toO311Attributes(attrs []model.ServiceAttribute) []o311Attribute {
	out := make([]o311Attribute, len(attrs))
	for i, a := range attrs {
		out[i] = o311Attribute{Variable: a.Variable, Code: a.Code, Datatype: string(a.Datatype), Required: a.Required,
			DatatypeDescription: a.DatatypeDescription, Order: a.Position, Description: a.Description}
		for _, v := range a.Values {
			out[i].Values = append(out[i].Values, o311Value{Key: v.Key, Name: v.Name})
		}
	}
	return out
}

// o311Receipt is the answer to POST requests. account_id is empty: accounts
// of the people integrators file for are theirs, not ours.
type o311Receipt struct {
	ServiceRequestID string  `json:"service_request_id" xml:"service_request_id"`
	ServiceNotice    string  `json:"service_notice" xml:"service_notice"`
	AccountID        *string `json:"account_id" xml:"-"`
	AccountIDXML     string  `json:"-" xml:"account_id"`
}

type o311Receipts struct {
	XMLName xml.Name      `xml:"service_requests"`
	Items   []o311Receipt `xml:"request"`
}

// o311Request is a service request as GET requests shows it.
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
	ExpectedDatetime  *string  `json:"expected_datetime" xml:"expected_datetime,omitempty"`
	Address           string   `json:"address" xml:"address"`
	AddressID         string   `json:"address_id" xml:"address_id"`
	Zipcode           string   `json:"zipcode" xml:"zipcode"`
	Lat               *float64 `json:"lat" xml:"lat,omitempty"`
	Long              *float64 `json:"long" xml:"long,omitempty"`
	MediaURL          string   `json:"media_url" xml:"media_url"`
}

type o311Requests struct {
	XMLName xml.Name      `xml:"service_requests"`
	Items   []o311Request `xml:"request"`
}

// toO311Request shows an item. Public items (model.Open311Public) show their
// own words and place; the others only category, status, dates, the handling
// org and the community's name as the address. Nothing personal either way.
func toO311Request(it *model.Open311Item) o311Request {
	cat := &model.Category{AcceptDays: it.AcceptDays, ResolveDays: it.ResolveDays}
	d := o311Request{ServiceRequestID: it.Number, Status: model.Open311State(it.Status), StatusNotes: it.Status.Label(),
		ServiceName: it.ServiceName, ServiceCode: it.ServiceCode, AgencyResponsible: it.AgencyName,
		ServiceNotice: model.ServiceNotice(cat), RequestedDatetime: rfc3339(it.CreatedAt), UpdatedDatetime: rfc3339(it.UpdatedAt),
		Address: it.CommunityName}
	if it.Status.Open() {
		due := rfc3339(it.Due())
		d.ExpectedDatetime = &due
	}
	if !model.Open311Public(&it.Request) {
		return d
	}
	if it.Result != "" {
		d.StatusNotes = it.Result
	}
	d.Description, d.Address, d.AddressID, d.Lat, d.Long = it.Content, it.Address, it.AddressID, it.Lat, it.Lng
	if it.MediaURL != nil {
		d.MediaURL = *it.MediaURL
	}
	return d
}
