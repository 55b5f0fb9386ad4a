package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"zhilian/model"
)

// bindJSON decodes and validates a JSON body, turning every failure into a
// readable 4xx error: a body that is not declared application/json is 415,
// a field the request type does not know is 400 naming it.
func bindJSON(c *gin.Context, dst any) error {
	if c.Request.Body == nil || c.Request.ContentLength == 0 && c.Request.Body == http.NoBody {
		return model.Invalid("请求体不能为空")
	}
	if err := requireJSON(c.Request); err != nil {
		return err
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return model.Invalid("请求体只能包含一个 JSON 对象")
	}
	cleanStrings(dst) // controls and bidi overrides never get past the edge
	if err := binding.Validator.ValidateStruct(dst); err != nil {
		return validationError(err)
	}
	return nil
}

// requireJSON refuses a body whose Content-Type is not application/json
// (parameters such as charset=utf-8 are allowed).
func requireJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		if ct == "" {
			ct = "（未声明）"
		}
		return model.E(model.CodeUnsupportedMedia, "请求体须为 application/json，收到 "+ct)
	}
	return nil
}

func jsonError(err error) error {
	var maxErr *http.MaxBytesError
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return model.E(model.CodeTooLarge, "请求体过大")
	case errors.Is(err, io.EOF):
		return model.Invalid("请求体不能为空")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return model.Invalid("请求体不是合法的 JSON")
	case errors.As(err, &typeErr):
		return model.Invalid("字段 %s 的类型不正确（应为 %s）", typeErr.Field, typeErr.Type.String())
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return model.Invalid("未知字段 %s", strings.Trim(f, `"`))
	}
	return model.Invalid("请求体无法解析：%s", strings.TrimPrefix(err.Error(), "json: "))
}

func validationError(err error) error {
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) || len(ves) == 0 {
		return model.Invalid("请求参数不合法")
	}
	fe := ves[0]
	field := jsonName(fe)
	switch fe.Tag() {
	case "required":
		return model.Invalid("缺少字段 %s", field)
	case "min", "gte":
		return model.Invalid("字段 %s 过短或过小（最小 %s）", field, fe.Param())
	case "max", "lte":
		return model.Invalid("字段 %s 过长或过大（最大 %s）", field, fe.Param())
	case "oneof":
		return model.Invalid("字段 %s 须为以下之一：%s", field, fe.Param())
	}
	return model.Invalid("字段 %s 不合法（%s）", field, fe.Tag())
}

// jsonName is the snake_case field name as the client sent it.
func jsonName(fe validator.FieldError) string {
	ns := fe.Namespace()
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		ns = ns[i+1:]
	}
	return toSnake(ns)
}

func toSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && s[i-1] != '.' {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.ReplaceAll(b.String(), "_i_d", "_id")
}

// pathID reads a positive integer path parameter.
func pathID(c *gin.Context, name string) (int64, error) {
	v, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, model.Invalid("路径参数 %s 须为正整数", name)
	}
	return v, nil
}

// queryInt reads an optional integer query parameter.
func queryInt(c *gin.Context, name string) (int64, error) {
	s := c.Query(name)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, model.Invalid("查询参数 %s 须为非负整数", name)
	}
	return v, nil
}

// pageParams reads cursor and page_size.
func pageParams(c *gin.Context) (string, int, error) {
	size, err := queryInt(c, "page_size")
	if err != nil {
		return "", 0, err
	}
	if size > 50 {
		return "", 0, model.Invalid("page_size 不能超过 50")
	}
	cur := c.Query("cursor")
	if len(cur) > 512 {
		return "", 0, model.Invalid("cursor 无效")
	}
	return cur, int(size), nil
}
