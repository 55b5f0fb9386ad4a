package service

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"zhilian/model"
)

// Open311Submission is a POSTed service request as the wire gives it.
type Open311Submission struct {
	APIKey         string
	JurisdictionID string
	ServiceCode    string
	Lat, Long      *float64
	AddressString  string
	AddressID      string
	Description    string
	MediaURL       string
	FirstName      string
	LastName       string
	Phone          string
	Email          string
	Attributes     map[string][]string
	IP, RequestID  string
}

// Open311Receipt is the answer to a POST: the new item and its time limits.
type Open311Receipt struct {
	Request       *model.Request
	ServiceNotice string
}

// Submit files a service request with an integrator's key. The item goes to
// the community of the nearest liaison point (within model.Open311Radius) or
// the community the address names, inside the key's scope; otherwise to the
// key's scope org (the city's intake queue for a city-wide key) for a cadre
// to transfer. It is handled, notified and counted like any other item, with
// source open311; the integrator is recorded beside it and in the audit log.
func (s *Open311) Submit(ctx context.Context, in Open311Submission) (*Open311Receipt, error) {
	k, err := s.integrators.Authenticate(ctx, in.APIKey)
	if err != nil {
		return nil, err
	}
	if err := s.limiter.Limit(ctx, fmt.Sprintf("open311:key:%d", k.ID), k.RatePerMinute, time.Minute); err != nil {
		return nil, err
	}
	if err := s.Jurisdiction(ctx, in.JurisdictionID); err != nil {
		return nil, err
	}
	if in.ServiceCode == "" {
		return nil, model.Invalid("缺少 service_code")
	}
	cat, err := s.category(ctx, in.ServiceCode)
	if err != nil {
		return nil, model.Invalid("service_code %s 不存在或已停用", in.ServiceCode)
	}
	address, addressID, err := open311Place(in)
	if err != nil {
		return nil, err
	}
	content, err := s.content(ctx, cat, in)
	if err != nil {
		return nil, err
	}
	media, err := model.ValidateMediaURL(in.MediaURL)
	if err != nil {
		return nil, err
	}
	name, phone, err := s.contact(in)
	if err != nil {
		return nil, err
	}
	community, handling, err := s.route(ctx, k, in.Lat, in.Long, address)
	if err != nil {
		return nil, err
	}
	now := s.now()
	acceptDue, err := s.calendar.AcceptDue(ctx, cat, now)
	if err != nil {
		return nil, err
	}
	resolveDue, err := s.calendar.ResolveDue(ctx, cat, now)
	if err != nil {
		return nil, err
	}
	recipients, err := s.staff.Notifiable(ctx, handling.ID, "")
	if err != nil {
		return nil, err
	}
	actor := model.Actor{ID: k.IntegratorID, Name: truncate("开放接口·"+k.IntegratorName, 64), Kind: model.SubjectIntegrator,
		OrgPath: k.OrgPath, IP: in.IP, RequestID: in.RequestID}
	req, ev, err := model.NewRequest(model.NewRequestInput{Source: model.SourceOpen311, CategoryID: cat.ID, Content: content,
		CommunityID: community.ID, HandlingOrg: handling, Address: address, Lat: in.Lat, Lng: in.Long,
		AcceptDueAt: acceptDue, ResolveDueAt: resolveDue, ContactName: name, ContactPhone: phone}, actor, now)
	if err != nil {
		return nil, err
	}
	var mediaURL *string
	if media != "" {
		mediaURL = &media
	}
	rec := NewRequestRecord{Request: req, Event: ev,
		Notify: func(r *model.Request) []*model.OutboxMessage { return staffNewItem(r, recipients, 0, now) },
		Rows: func(r *model.Request) []any {
			link := &model.Open311Link{RequestID: r.ID, IntegratorID: k.IntegratorID, APIKeyID: k.ID, MediaURL: mediaURL,
				AddressID: addressID, CreatedAt: now}
			audit := actor.Audit("open311.request.create", "request", r.ID,
				fmt.Sprintf("integrator_id=%d api_key=%s handling_org_id=%d", k.IntegratorID, k.Prefix, r.HandlingOrgID), now)
			audit.ActorID = 0 // not an account: the integrator is in ActorName and Detail
			return []any{link, audit}
		}}
	if _, err := s.requests.Submit(ctx, rec); err != nil {
		return nil, err
	}
	return &Open311Receipt{Request: req, ServiceNotice: model.ServiceNotice(cat)}, nil
}

// open311Place checks the location: lat+long, address_string or address_id.
func open311Place(in Open311Submission) (address, addressID string, err error) {
	address, addressID = strings.TrimSpace(in.AddressString), strings.TrimSpace(in.AddressID)
	if err := model.ValidateLocation(in.Lat, in.Long); err != nil {
		return "", "", model.Invalid("lat 与 long 须同时提供且在范围内")
	}
	if in.Lat == nil && address == "" && addressID == "" {
		return "", "", model.Invalid("须提供位置：lat 与 long、address_string 或 address_id")
	}
	if utf8.RuneCountInString(address) > model.MaxAddress {
		return "", "", model.Invalid("address_string 不能超过 %d 个字符", model.MaxAddress)
	}
	if utf8.RuneCountInString(addressID) > model.MaxAddressID {
		return "", "", model.Invalid("address_id 不能超过 %d 个字符", model.MaxAddressID)
	}
	return address, addressID, nil
}

// content is the item's text: the description (or a note that there is
// none), then the answers to the service definition's attributes.
func (s *Open311) content(ctx context.Context, cat *model.Category, in Open311Submission) (string, error) {
	desc := strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(desc) > model.MaxContent {
		return "", model.Invalid("description 不能超过 %d 个字符", model.MaxContent)
	}
	if desc == "" {
		desc = "（Open311 报告未附描述）" + cat.Name
	}
	defs, err := s.repo.Attributes(ctx, cat.ID)
	if err != nil {
		return "", err
	}
	lines, err := model.AnswerAttributes(defs, in.Attributes)
	if err != nil {
		return "", err
	}
	if len(lines) > 0 {
		desc += "\n\n【附加信息】\n" + strings.Join(lines, "\n")
	}
	content, err := model.ValidateContent(desc)
	if err != nil {
		return "", model.Invalid("description 连同附加字段须为 %d–%d 个字符", model.MinContent, model.MaxContent)
	}
	return content, nil
}

var (
	emailRe     = regexp.MustCompile(`^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{1,63}$`)
	phoneJunkRe = regexp.MustCompile(`[\s()\-]`)
	landlineRe  = regexp.MustCompile(`^0[0-9]{9,11}$`)
)

// contact checks the contact fields: the name is kept as the item's contact,
// the phone sealed at rest as for items cadres record (mobile or landline
// with its area code, +86 allowed). The email is checked and not kept: no
// notification goes by email, and what is not needed is not stored.
func (s *Open311) contact(in Open311Submission) (string, *model.SealedPhone, error) {
	name := strings.TrimSpace(strings.TrimSpace(in.LastName) + strings.TrimSpace(in.FirstName))
	if !isHan(name) {
		name = strings.TrimSpace(strings.TrimSpace(in.FirstName) + " " + strings.TrimSpace(in.LastName))
	}
	if utf8.RuneCountInString(name) > 32 {
		return "", nil, model.Invalid("first_name 与 last_name 合计不能超过 32 个字符")
	}
	if e := strings.TrimSpace(in.Email); e != "" && !emailRe.MatchString(e) {
		return "", nil, model.Invalid("email 格式不正确")
	}
	p := phoneJunkRe.ReplaceAllString(strings.TrimSpace(in.Phone), "")
	if p == "" {
		return name, nil, nil
	}
	for _, cc := range []string{"+86", "0086"} {
		if rest, found := strings.CutPrefix(p, cc); found {
			p = rest
		}
	}
	if model.ValidatePhone(p) != nil && !landlineRe.MatchString(p) {
		return "", nil, model.Invalid("phone 须为手机号或带区号的固定电话")
	}
	enc, err := s.sealer.Seal(p, ContactPurpose)
	if err != nil {
		return "", nil, err
	}
	return name, &model.SealedPhone{Enc: enc, Hash: s.sealer.Hash(p, ContactPurpose)}, nil
}

// isHan reports whether s is written in Chinese characters (family name first, no space).
func isHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// route picks the item's community and handling org inside the key's scope:
// the nearest liaison point's community, else the community the address
// names, else the scope org itself (the intake queue) for a cadre to transfer.
func (s *Open311) route(ctx context.Context, k *model.APIKey, lat, lng *float64, address string) (community, handling *model.Org, err error) {
	scope, err := s.orgs.Get(ctx, k.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if !scope.Active {
		return nil, nil, model.E(model.CodeForbidden, "该密钥的辖区机构已停用，请联系市级管理员")
	}
	if scope.Kind == model.OrgCommunity {
		return s.withTown(ctx, scope, scope)
	}
	if lat != nil {
		id, err := s.repo.NearestCommunity(ctx, scope.Path, *lat, *lng, model.Open311Radius)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return nil, nil, err
		}
		if err == nil {
			c, err := s.orgs.Get(ctx, id)
			if err != nil {
				return nil, nil, err
			}
			return s.withTown(ctx, c, scope)
		}
	}
	if address != "" {
		cands, towns, err := s.repo.CommunitiesNamedIn(ctx, scope.Path, address)
		if err != nil {
			return nil, nil, err
		}
		if c := pickCommunity(cands, towns, address); c != nil {
			return s.withTown(ctx, c, scope)
		}
	}
	return scope, scope, nil
}

// pickCommunity chooses among communities the address names: the only one,
// or the only one whose town the address names too.
func pickCommunity(cands []model.Org, towns []string, address string) *model.Org {
	if len(cands) == 1 {
		return &cands[0]
	}
	var hit *model.Org
	for i := range cands {
		if towns[i] != "" && strings.Contains(address, towns[i]) {
			if hit != nil {
				return nil
			}
			hit = &cands[i]
		}
	}
	return hit
}

// withTown returns the community and its town (the handling org) when both
// are active; otherwise the item goes to the scope org's queue.
func (s *Open311) withTown(ctx context.Context, c, scope *model.Org) (*model.Org, *model.Org, error) {
	if c.Active && c.ParentID != nil {
		town, err := s.orgs.Get(ctx, *c.ParentID)
		if err != nil {
			return nil, nil, err
		}
		if town.Active {
			return c, town, nil
		}
	}
	if scope.Kind == model.OrgCommunity {
		return nil, nil, model.E(model.CodeForbidden, "该密钥的辖区机构已停用，请联系市级管理员")
	}
	return scope, scope, nil
}
