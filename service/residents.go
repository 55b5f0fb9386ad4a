package service

import (
	"context"
	"log/slog"
	"time"

	"zhilian/model"
)

// WechatLogin exchanges a wx.login code for an openid.
type WechatLogin interface {
	Code2Session(ctx context.Context, code string) (openID, unionID string, err error)
}

// ResidentRepo persists residents.
type ResidentRepo interface {
	Get(ctx context.Context, id int64) (*model.Resident, error)
	FindOrCreate(ctx context.Context, fresh *model.Resident) (*model.Resident, bool, error)
}

// Residents signs residents in with WeChat.
type Residents struct {
	repo   ResidentRepo
	wechat WechatLogin
	auth   *Auth
	now    func() time.Time
	log    *slog.Logger
}

// NewResidents builds the residents service.
func NewResidents(repo ResidentRepo, wx WechatLogin, auth *Auth, now func() time.Time, log *slog.Logger) *Residents {
	return &Residents{repo: repo, wechat: wx, auth: auth, now: now, log: log}
}

// Login signs a resident in with a wx.login code, creating them on first sign-in.
func (s *Residents) Login(ctx context.Context, code, ip string) (Token, *model.Resident, error) {
	if err := s.auth.Limit(ctx, "wxlogin:ip:"+ip, 60, time.Minute); err != nil {
		return Token{}, nil, err
	}
	openID, unionID, err := s.wechat.Code2Session(ctx, code)
	if err != nil {
		return Token{}, nil, err
	}
	r, created, err := s.repo.FindOrCreate(ctx, model.NewResident(openID, unionID, s.now()))
	if err != nil {
		return Token{}, nil, err
	}
	if !r.Active() {
		return Token{}, nil, model.E(model.CodeUnauthorized, "该账号已注销")
	}
	if created {
		s.log.InfoContext(ctx, "resident created", "resident_id", r.ID)
	}
	tok, err := s.auth.Issue(ctx, model.SubjectResident, r.ID, ip)
	return tok, r, err
}

// LoadResidentPrincipal resolves a resident login's subject (for Auth).
func LoadResidentPrincipal(repo ResidentRepo) PrincipalLoader {
	return func(ctx context.Context, id int64) (*model.Principal, error) {
		r, err := repo.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if !r.Active() {
			return nil, model.ErrUnauthorized
		}
		return r.Principal(), nil
	}
}
