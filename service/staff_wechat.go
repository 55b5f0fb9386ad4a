package service

import (
	"context"
	"fmt"
	"time"

	"zhilian/model"
)

// StaffWechat binds a staff member's WeChat, so staff notifications reach
// them (the mini-program's cadre mode).
type StaffWechat struct {
	accounts StaffAccounts
	wechat   WechatLogin
	auth     *Auth
	now      func() time.Time
}

// NewStaffWechat builds the binding use case.
func NewStaffWechat(accounts StaffAccounts, wx WechatLogin, auth *Auth, now func() time.Time) *StaffWechat {
	return &StaffWechat{accounts: accounts, wechat: wx, auth: auth, now: now}
}

// Bind links the caller's account to the WeChat user of a wx.login code. A
// WeChat user bound to another account is already_exists.
func (s *StaffWechat) Bind(ctx context.Context, p *model.Principal, actor model.Actor, code string) (*model.Account, error) {
	if !p.IsStaff() {
		return nil, model.ErrForbidden
	}
	if err := s.auth.Limit(ctx, fmt.Sprintf("wxbind:staff:%d", p.ID), 20, time.Minute); err != nil {
		return nil, err
	}
	openID, _, err := s.wechat.Code2Session(ctx, code)
	if err != nil {
		if model.IsCode(err, model.CodeUnauthorized) {
			return nil, model.Invalid("微信登录凭证无效或已使用，请重试")
		}
		return nil, err
	}
	acc, _, err := s.accounts.Update(ctx, p.ID, func(a *model.Account) (*model.AuditLog, error) {
		a.WechatOpenID, a.UpdatedAt = &openID, s.now()
		return actor.Audit("account.wechat_bind", "account", a.ID, "", s.now()), nil
	}, false)
	if err != nil {
		return nil, err
	}
	s.auth.phones.Reveal(ctx, acc)
	return acc, nil
}
