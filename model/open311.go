package model

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Open311 GeoReport v2 rules: the window of a request search, the size of an
// answer, what a media URL may be, and how far a point may be from a report.
const (
	Open311Window     = 90 * 24 * time.Hour // GET requests: at most this between start_date and end_date
	Open311MaxResults = 1000                // GET requests: at most this many per answer
	MaxMediaURL       = 1024                // characters
	MaxAddressID      = 64                  // characters
	MaxAttributes     = 50                  // attributes of a service definition
	MaxAttrValues     = 100                 // choices of a list attribute
	MaxAttrText       = 500                 // characters of one attribute's answer
	// Open311Radius is how far (metres) the nearest liaison point may be from a
	// report's coordinates for the report to go to the point's community.
	Open311Radius = 2000
)

// Open311State is a request's status as GeoReport v2 has it: open or closed.
func Open311State(s RequestStatus) string {
	if s.Open() {
		return "open"
	}
	return "closed"
}

// Open311Statuses are the statuses a GeoReport v2 status filter stands for:
// open = submitted, accepted, long_term; closed = resolved, responded,
// rejected, withdrawn.
func Open311Statuses(state string) ([]RequestStatus, error) {
	var out []RequestStatus
	for _, s := range RequestStatuses {
		if Open311State(s) == state {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, Invalid("status 须为 open 或 closed")
	}
	return out, nil
}

// Open311Public reports whether an item's own words and place (description,
// address, coordinates, media URL, result) may be shown to anyone through
// Open311: items an integrator filed through the public API, unless a cadre's
// moderation is pending or the item was anonymised. Items residents filed in
// the mini-program or cadres recorded are listed with category, status, dates,
// handling org and community only: their authors never agreed to publication.
func Open311Public(r *Request) bool {
	return r.Source == SourceOpen311 && !r.FlaggedForReview && r.AnonymizedAt == nil
}

// ServiceNotice is a category's time limits in words (GeoReport's service_notice).
func ServiceNotice(c *Category) string {
	return fmt.Sprintf("受理时限 %d 个工作日，办结时限 %d 个工作日", c.AcceptDays, c.ResolveDays)
}

// ValidateMediaURL checks a media URL given by an integrator: absolute http or
// https with a host, at most MaxMediaURL characters.
func ValidateMediaURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) > MaxMediaURL {
		return "", Invalid("media_url 不能超过 %d 个字符", MaxMediaURL)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", Invalid("media_url 须为 http 或 https 的完整地址")
	}
	return s, nil
}

// Open311Link is what an item filed through Open311 carries beyond the
// request: the integrator and key that filed it, its media URL and address id.
type Open311Link struct {
	RequestID    int64 `gorm:"primaryKey"`
	IntegratorID int64
	APIKeyID     int64 `gorm:"column:api_key_id"`
	MediaURL     *string
	AddressID    string
	CreatedAt    time.Time
}

// TableName is open311_requests.
func (Open311Link) TableName() string { return "open311_requests" }

// Open311Item is a request as GeoReport v2 lists it, with the names it shows.
type Open311Item struct {
	Request
	ServiceCode   string
	ServiceName   string
	AcceptDays    int
	ResolveDays   int
	AgencyName    string // the handling org
	CommunityName string
	MediaURL      *string
	AddressID     string
}

// Open311Filter narrows GET requests: either ids (numbers), or a window of
// submission times with optional service codes and statuses.
type Open311Filter struct {
	Numbers  []string
	Codes    []string
	Statuses []RequestStatus
	From, To time.Time // [From, To]
	Limit    int
}

// AttrType is the datatype of a service attribute.
type AttrType string

// Attribute datatypes of GeoReport v2.
const (
	AttrString     AttrType = "string"
	AttrNumber     AttrType = "number"
	AttrDatetime   AttrType = "datetime"
	AttrText       AttrType = "text"
	AttrSingleList AttrType = "singlevaluelist"
	AttrMultiList  AttrType = "multivaluelist"
)

// List reports whether the datatype offers choices.
func (t AttrType) List() bool { return t == AttrSingleList || t == AttrMultiList }

func (t AttrType) valid() bool {
	switch t {
	case AttrString, AttrNumber, AttrDatetime, AttrText, AttrSingleList, AttrMultiList:
		return true
	}
	return false
}

// AttrValue is one choice of a list attribute.
type AttrValue struct {
	Key  string
	Name string
}

// ServiceAttribute is one extra field of a category's service definition.
// Variable attributes take an answer; the others only inform.
type ServiceAttribute struct {
	CategoryID          int64  `gorm:"primaryKey"`
	Code                string `gorm:"primaryKey"`
	Position            int    // the definition's order, from 1
	Variable            bool
	Datatype            AttrType
	Required            bool
	Description         string
	DatatypeDescription string
	Values              []AttrValue `gorm:"-"`
}

var attrCodeRe = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// ValidateAttributes checks a whole service definition and numbers its order.
func ValidateAttributes(attrs []ServiceAttribute) error {
	if len(attrs) > MaxAttributes {
		return Invalid("每个类别最多 %d 个附加字段", MaxAttributes)
	}
	seen := map[string]bool{}
	for i := range attrs {
		a := &attrs[i]
		a.Position = i + 1
		if !attrCodeRe.MatchString(a.Code) {
			return Invalid("字段代码须为 1–32 位字母、数字、点、下划线或连字符")
		}
		if seen[a.Code] {
			return Invalid("字段代码 %s 重复", a.Code)
		}
		seen[a.Code] = true
		if !a.Datatype.valid() {
			return Invalid("字段 %s 的类型须为 string、number、datetime、text、singlevaluelist 或 multivaluelist", a.Code)
		}
		a.Description, a.DatatypeDescription = strings.TrimSpace(a.Description), strings.TrimSpace(a.DatatypeDescription)
		if n := utf8.RuneCountInString(a.Description); n < 1 || n > 200 {
			return Invalid("字段 %s 的说明须为 1–200 个字符", a.Code)
		}
		if utf8.RuneCountInString(a.DatatypeDescription) > 200 {
			return Invalid("字段 %s 的格式说明不能超过 200 个字符", a.Code)
		}
		if !a.Variable && a.Required {
			return Invalid("字段 %s 仅作说明（variable=false），不能为必填", a.Code)
		}
		if err := validateChoices(a); err != nil {
			return err
		}
	}
	return nil
}

func validateChoices(a *ServiceAttribute) error {
	if !a.Datatype.List() {
		if len(a.Values) > 0 {
			return Invalid("字段 %s 不是列表类型，不能有选项", a.Code)
		}
		return nil
	}
	if len(a.Values) == 0 || len(a.Values) > MaxAttrValues {
		return Invalid("列表字段 %s 须有 1–%d 个选项", a.Code, MaxAttrValues)
	}
	keys := map[string]bool{}
	for i, v := range a.Values {
		v.Key, v.Name = strings.TrimSpace(v.Key), strings.TrimSpace(v.Name)
		if n := utf8.RuneCountInString(v.Key); n < 1 || n > 32 || keys[v.Key] {
			return Invalid("字段 %s 的选项键须为 1–32 个字符且不重复", a.Code)
		}
		if n := utf8.RuneCountInString(v.Name); n < 1 || n > 64 {
			return Invalid("字段 %s 的选项名称须为 1–64 个字符", a.Code)
		}
		keys[v.Key] = true
		a.Values[i] = v
	}
	return nil
}

// AnswerAttributes checks an integrator's answers (code → values; several for
// a multivaluelist) against a definition and returns them as lines a cadre
// reads ("说明：答案"), in the definition's order. Required answers must be
// there; codes the definition does not have, or that take no answer, are refused.
func AnswerAttributes(defs []ServiceAttribute, given map[string][]string) ([]string, error) {
	byCode := map[string]*ServiceAttribute{}
	for i := range defs {
		byCode[defs[i].Code] = &defs[i]
	}
	codes := make([]string, 0, len(given))
	for code := range given {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		if d := byCode[code]; d == nil || !d.Variable {
			return nil, Invalid("attribute[%s] 不是该服务的附加字段", code)
		}
	}
	var lines []string
	for _, d := range defs {
		if !d.Variable {
			continue
		}
		vals := nonEmpty(given[d.Code])
		if len(vals) == 0 {
			if d.Required {
				return nil, Invalid("缺少必填字段 attribute[%s]（%s）", d.Code, d.Description)
			}
			continue
		}
		shown, err := answer(&d, vals)
		if err != nil {
			return nil, err
		}
		lines = append(lines, d.Description+"："+shown)
	}
	return lines, nil
}

func nonEmpty(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// answer checks one attribute's values and returns them as shown to cadres.
func answer(d *ServiceAttribute, vals []string) (string, error) {
	if d.Datatype != AttrMultiList && len(vals) > 1 {
		return "", Invalid("attribute[%s] 只能有一个值", d.Code)
	}
	v := vals[0]
	switch d.Datatype {
	case AttrString, AttrText:
		if utf8.RuneCountInString(v) > MaxAttrText {
			return "", Invalid("attribute[%s] 不能超过 %d 个字符", d.Code, MaxAttrText)
		}
		return v, nil
	case AttrNumber:
		if _, err := strconv.ParseFloat(v, 64); err != nil || len(v) > 32 {
			return "", Invalid("attribute[%s] 须为数字", d.Code)
		}
		return v, nil
	case AttrDatetime:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return "", Invalid("attribute[%s] 须为带时区的 ISO 8601 时间", d.Code)
		}
		return t.In(Shanghai).Format("2006-01-02 15:04"), nil
	}
	names := map[string]string{}
	for _, c := range d.Values {
		names[c.Key] = c.Name
	}
	shown := make([]string, 0, len(vals))
	seen := map[string]bool{}
	for _, k := range vals {
		name, found := names[k]
		if !found {
			return "", Invalid("attribute[%s] 的值 %s 不在可选项中", d.Code, k)
		}
		if !seen[k] {
			shown = append(shown, name)
			seen[k] = true
		}
	}
	return strings.Join(shown, "、"), nil
}
