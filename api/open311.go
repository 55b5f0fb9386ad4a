package api

import (
	"errors"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"zhilian/internal/logx"
	"zhilian/model"
	"zhilian/service"
)

// o311Base is where Open311 GeoReport v2 is served.
const o311Base = "/open311/v2"

// open311Routes adds Open311 GeoReport v2 in both formats: discovery,
// services, service definitions, POST and GET requests, GET one request.
// Errors are GeoReport's error lists, in the format asked for.
func (s *Server) open311Routes(r *gin.Engine) {
	g := r.Group(o311Base)
	for _, f := range []o311Format{o311JSON, o311XML} {
		ext := "." + string(f)
		g.GET("/discovery"+ext, s.o311(f, s.o311Discovery))
		g.GET("/services"+ext, s.o311(f, s.o311Services))
		g.GET("/requests"+ext, s.o311(f, s.o311Requests))
		g.POST("/requests"+ext, s.o311(f, s.o311Submit))
	}
	g.GET("/services/:service", s.o311File("service", s.o311Definition))
	g.GET("/requests/:request", s.o311File("request", s.o311Request))
}

type o311Handler func(c *gin.Context, f o311Format) error

// o311 runs h for format f and writes its error as GeoReport's error list.
func (s *Server) o311(f o311Format, h o311Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c, f); err != nil {
			o311Fail(c, f, err)
		}
	}
}

// o311File serves a path parameter "<id>.json" or "<id>.xml": the id is
// left in the parameter for h; any other ending is not found (in XML, the
// format GeoReport requires).
func (s *Server) o311File(param string, h o311Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		v := c.Param(param)
		for _, f := range []o311Format{o311JSON, o311XML} {
			if id, found := strings.CutSuffix(v, "."+string(f)); found && id != "" {
				for i := range c.Params {
					if c.Params[i].Key == param {
						c.Params[i].Value = id
					}
				}
				if err := h(c, f); err != nil {
					o311Fail(c, f, err)
				}
				return
			}
		}
		o311Fail(c, o311XML, model.E(model.CodeNotFound, "路径须以 .json 或 .xml 结尾"))
	}
}

// o311NotFound answers unknown paths under /open311/ with an error list.
func o311NotFound(c *gin.Context) {
	f := o311XML
	if strings.HasSuffix(c.Request.URL.Path, ".json") {
		f = o311JSON
	}
	o311Fail(c, f, model.E(model.CodeNotFound, "接口不存在"))
}

// o311Public checks what every GET checks: the caller's rate (by key when
// one is given, else by IP) and the jurisdiction.
func (s *Server) o311Public(c *gin.Context) error {
	if err := s.d.Open311.Throttle(c.Request.Context(), c.Query("api_key"), c.ClientIP()); err != nil {
		return err
	}
	return s.d.Open311.Jurisdiction(c.Request.Context(), c.Query("jurisdiction_id"))
}

func (s *Server) o311Discovery(c *gin.Context, f o311Format) error {
	if err := s.d.Open311.Throttle(c.Request.Context(), c.Query("api_key"), c.ClientIP()); err != nil {
		return err
	}
	scheme := "http"
	if c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	kind := "test"
	if s.d.Production {
		kind = "production"
	}
	d := o311Discovery{Changeset: o311Changeset, Contact: s.d.Open311Contact,
		KeyService: "API 密钥由市级管理员为每个对接方签发（" + s.d.Open311Contact + "）",
		Endpoints: []o311Endpoint{{Specification: o311Spec, URL: scheme + "://" + c.Request.Host + o311Base,
			Changeset: o311Changeset, Type: kind, Formats: []string{"text/xml", "application/json"}}}}
	o311Write(c, f, http.StatusOK, d, d)
	return nil
}

func (s *Server) o311Services(c *gin.Context, f o311Format) error {
	if err := s.o311Public(c); err != nil {
		return err
	}
	list, err := s.d.Open311.Services(c.Request.Context())
	if err != nil {
		return err
	}
	items := make([]o311Service, len(list))
	for i := range list {
		items[i] = toO311Service(list[i])
	}
	o311Write(c, f, http.StatusOK, items, o311Services{Items: items})
	return nil
}

func (s *Server) o311Definition(c *gin.Context, f o311Format) error {
	if err := s.o311Public(c); err != nil {
		return err
	}
	cat, attrs, err := s.d.Open311.Definition(c.Request.Context(), c.Param("service"))
	if err != nil {
		return err
	}
	d := o311Definition{ServiceCode: cat.Code, Attributes: toO311Attributes(attrs)}
	o311Write(c, f, http.StatusOK, d, d)
	return nil
}

// o311MaxForm bounds a POST body: GeoReport fields are short.
const o311MaxForm = 64 << 10

var o311AttrRe = regexp.MustCompile(`^attribute\[([^\[\]]+)\](\[\])?$`)

func (s *Server) o311Submit(c *gin.Context, f o311Format) error {
	if err := o311ParseForm(c); err != nil {
		return err
	}
	form := c.Request.Form
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	in := service.Open311Submission{APIKey: get("api_key"), JurisdictionID: get("jurisdiction_id"),
		ServiceCode: get("service_code"), AddressString: get("address_string"), AddressID: get("address_id"),
		Description: form.Get("description"), MediaURL: get("media_url"), FirstName: get("first_name"),
		LastName: get("last_name"), Phone: get("phone"), Email: get("email"), Attributes: map[string][]string{},
		IP: c.ClientIP(), RequestID: logx.RequestID(c.Request.Context())}
	var err error
	if in.Lat, err = o311Float(get("lat"), "lat"); err != nil {
		return err
	}
	if in.Long, err = o311Float(get("long"), "long"); err != nil {
		return err
	}
	for k, vals := range form {
		if m := o311AttrRe.FindStringSubmatch(k); m != nil {
			in.Attributes[m[1]] = append(in.Attributes[m[1]], vals...)
		}
	}
	rec, err := s.d.Open311.Submit(c.Request.Context(), in)
	if err != nil {
		return err
	}
	list := []o311Receipt{{ServiceRequestID: rec.Request.Number, ServiceNotice: rec.ServiceNotice}}
	o311Write(c, f, http.StatusCreated, list, o311Receipts{Items: list})
	return nil
}

// o311ParseForm reads a form body (application/x-www-form-urlencoded, or
// multipart/form-data) of at most o311MaxForm bytes; query parameters count too.
func o311ParseForm(c *gin.Context) error {
	if c.Request.ContentLength > o311MaxForm {
		return model.E(model.CodeTooLarge, "请求体过大（上限 64 KB）")
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, o311MaxForm)
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var err error
	switch ct {
	case "application/x-www-form-urlencoded":
		err = c.Request.ParseForm()
	case "multipart/form-data":
		err = c.Request.ParseMultipartForm(o311MaxForm)
	default:
		return model.Invalid("请求体须为 application/x-www-form-urlencoded")
	}
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return err
		}
		if strings.Contains(err.Error(), "too large") {
			return model.E(model.CodeTooLarge, "请求体过大（上限 64 KB）")
		}
		return model.Invalid("请求体无法解析")
	}
	return nil
}

// o311Float reads an optional decimal parameter.
func o311Float(s, name string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, model.Invalid("%s 须为十进制数", name)
	}
	return &v, nil
}

// o311List splits a comma-delimited parameter.
func o311List(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// o311Time reads an optional ISO 8601 date-time with its offset.
func o311Time(s, name string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, model.Invalid("%s 须为带时区的 ISO 8601 时间，例如 2026-11-05T08:15:30+08:00", name)
	}
	return &t, nil
}

func (s *Server) o311Requests(c *gin.Context, f o311Format) error {
	if err := s.o311Public(c); err != nil {
		return err
	}
	q := service.Open311Query{IDs: o311List(c.Query("service_request_id")), Codes: o311List(c.Query("service_code")),
		Statuses: o311List(c.Query("status"))}
	var err error
	if q.Start, err = o311Time(c.Query("start_date"), "start_date"); err != nil {
		return err
	}
	if q.End, err = o311Time(c.Query("end_date"), "end_date"); err != nil {
		return err
	}
	items, err := s.d.Open311.Requests(c.Request.Context(), q)
	if err != nil {
		return err
	}
	o311WriteRequests(c, f, items)
	return nil
}

func (s *Server) o311Request(c *gin.Context, f o311Format) error {
	if err := s.o311Public(c); err != nil {
		return err
	}
	it, err := s.d.Open311.Request(c.Request.Context(), c.Param("request"))
	if err != nil {
		return err
	}
	o311WriteRequests(c, f, []model.Open311Item{*it})
	return nil
}

func o311WriteRequests(c *gin.Context, f o311Format, items []model.Open311Item) {
	list := make([]o311Request, len(items))
	for i := range items {
		list[i] = toO311Request(&items[i])
	}
	o311Write(c, f, http.StatusOK, list, o311Requests{Items: list})
}
