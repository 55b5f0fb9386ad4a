// Package service holds Zhilian's use cases: authorization (role + org scope),
// orchestration of model state changes and the stores that persist them.
package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/crypto/bcrypt"

	"zhilian/model"
)

// SessionRepo stores sessions (MySQL: the truth).
type SessionRepo interface {
	Create(ctx context.Context, s *model.Session) error
	Get(ctx context.Context, hash string, now time.Time) (*model.Session, error)
	Delete(ctx context.Context, hash string) error
	RevokeSubject(ctx context.Context, kind model.SubjectKind, id int64) ([]string, error)
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// SessionCache caches principals by token hash (Redis); it may fail.
type SessionCache interface {
	Get(ctx context.Context, hash string) (*model.Principal, error)
	Set(ctx context.Context, p *model.Principal, now time.Time) error
	Delete(ctx context.Context, hashes ...string) error
}

// RateLimiter allows n events per period per key.
type RateLimiter interface {
	Allow(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error)
}

// StaffAccounts reads and updates staff accounts for sign-in.
type StaffAccounts interface {
	Get(ctx context.Context, id int64) (*model.Account, error)
	ByUsername(ctx context.Context, username string) (*model.Account, error)
	Update(ctx context.Context, id int64, change func(*model.Account) (*model.AuditLog, error), revoke bool) (*model.Account, []string, error)
}

// PrincipalLoader resolves a resident session's subject (set by the residents feature).
type PrincipalLoader func(ctx context.Context, id int64) (*model.Principal, error)

// LoginLimits bounds sign-in attempts.
type LoginLimits struct {
	PerUsername int // attempts per minute per username
	PerIP       int // attempts per minute per client IP
}

// Auth signs staff in and out and resolves tokens to principals.
type Auth struct {
	accounts  StaffAccounts
	sessions  SessionRepo
	cache     SessionCache
	limiter   RateLimiter
	residents PrincipalLoader
	hasher    *Passwords
	now       func() time.Time
	ttl       time.Duration
	limits    LoginLimits
	log       *slog.Logger
}

// AuthDeps are Auth's collaborators.
type AuthDeps struct {
	Accounts  StaffAccounts
	Residents PrincipalLoader // resolves resident sessions
	Sessions  SessionRepo
	Cache     SessionCache
	Limiter   RateLimiter
	Passwords *Passwords
	Now       func() time.Time
	TTL       time.Duration
	Limits    LoginLimits
	Log       *slog.Logger
}

// NewAuth builds the auth service.
func NewAuth(d AuthDeps) *Auth {
	if d.Limits.PerUsername == 0 {
		d.Limits = LoginLimits{PerUsername: 10, PerIP: 60}
	}
	return &Auth{accounts: d.Accounts, residents: d.Residents, sessions: d.Sessions, cache: d.Cache, limiter: d.Limiter,
		hasher: d.Passwords, now: d.Now, ttl: d.TTL, limits: d.Limits, log: d.Log}
}

// Token is a freshly issued session token.
type Token struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// HashToken is the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Issue creates a session for a subject and returns its token.
func (a *Auth) Issue(ctx context.Context, kind model.SubjectKind, id int64, ip string) (Token, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Token{}, err
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	now := a.now()
	s := &model.Session{TokenHash: HashToken(tok), SubjectKind: kind, SubjectID: id, IP: ip,
		ExpiresAt: now.Add(a.ttl), CreatedAt: now}
	if err := a.sessions.Create(ctx, s); err != nil {
		return Token{}, err
	}
	return Token{Token: tok, ExpiresAt: s.ExpiresAt}, nil
}

// Limit applies a named rate limit; Redis being down lets the call through (logged).
func (a *Auth) Limit(ctx context.Context, key string, n int, period time.Duration) error {
	ok, wait, err := a.limiter.Allow(ctx, key, n, period)
	if err != nil {
		a.log.WarnContext(ctx, "rate limiter unavailable; allowing", "err", err)
		return nil
	}
	if !ok {
		if wait < time.Second {
			wait = time.Second
		}
		return &model.Error{Code: model.CodeRateLimited, Msg: "操作过于频繁，请稍后再试", RetryAfter: wait}
	}
	return nil
}

// StaffLogin checks a username and password and opens a session.
func (a *Auth) StaffLogin(ctx context.Context, username, password, ip string) (Token, *model.Account, error) {
	if err := a.Limit(ctx, "login:ip:"+ip, a.limits.PerIP, time.Minute); err != nil {
		return Token{}, nil, err
	}
	if err := a.Limit(ctx, "login:user:"+username, a.limits.PerUsername, time.Minute); err != nil {
		return Token{}, nil, err
	}
	bad := model.E(model.CodeUnauthorized, "用户名或密码错误")
	acc, err := a.accounts.ByUsername(ctx, username)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			a.hasher.Burn(password) // same work as a real check: no username probing by timing
			return Token{}, nil, bad
		}
		return Token{}, nil, err
	}
	if !a.hasher.Check(acc.PasswordHash, password) {
		return Token{}, nil, bad
	}
	if !acc.Active() {
		return Token{}, nil, model.E(model.CodeUnauthorized, "账号已停用，请联系管理员")
	}
	if !acc.OrgActive {
		return Token{}, nil, model.E(model.CodeUnauthorized, "所属机构已停用，请联系管理员")
	}
	tok, err := a.Issue(ctx, model.SubjectStaff, acc.ID, ip)
	return tok, acc, err
}

// Authenticate resolves a bearer token to its principal (cache first, then MySQL).
func (a *Auth) Authenticate(ctx context.Context, token string) (*model.Principal, error) {
	if token == "" || len(token) > 128 {
		return nil, model.ErrUnauthorized
	}
	hash := HashToken(token)
	now := a.now()
	if p, err := a.cache.Get(ctx, hash); err != nil {
		a.log.WarnContext(ctx, "session cache unavailable", "err", err)
	} else if p != nil && p.ExpiresAt.After(now) {
		return p, nil
	}
	s, err := a.sessions.Get(ctx, hash, now)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, model.E(model.CodeUnauthorized, "登录已失效，请重新登录")
		}
		return nil, err
	}
	var p *model.Principal
	switch s.SubjectKind {
	case model.SubjectStaff:
		acc, err := a.accounts.Get(ctx, s.SubjectID)
		if err != nil || !acc.Active() {
			return nil, model.E(model.CodeUnauthorized, "登录已失效，请重新登录")
		}
		p = StaffPrincipal(acc)
	case model.SubjectResident:
		if a.residents == nil {
			return nil, model.ErrUnauthorized
		}
		if p, err = a.residents(ctx, s.SubjectID); err != nil {
			return nil, model.E(model.CodeUnauthorized, "登录已失效，请重新登录")
		}
	default:
		return nil, model.ErrUnauthorized
	}
	p.TokenHash, p.ExpiresAt = hash, s.ExpiresAt
	if err := a.cache.Set(ctx, p, now); err != nil {
		a.log.WarnContext(ctx, "session cache unavailable", "err", err)
	}
	return p, nil
}

// StaffPrincipal builds the principal of a staff account.
func StaffPrincipal(acc *model.Account) *model.Principal {
	return &model.Principal{Kind: model.SubjectStaff, ID: acc.ID, Name: acc.Name, Role: acc.Role,
		OrgID: acc.OrgID, OrgPath: acc.OrgPath, OrgKind: acc.OrgKind, MustChangePassword: acc.MustChangePassword}
}

// PurgeExpired deletes sign-in sessions past their expiry (a daily job).
func (a *Auth) PurgeExpired(ctx context.Context) (int64, error) {
	var total int64
	for {
		n, err := a.sessions.DeleteExpired(ctx, a.now())
		total += n
		if err != nil || n < 10000 {
			return total, err
		}
	}
}

// Logout revokes the caller's token.
func (a *Auth) Logout(ctx context.Context, p *model.Principal) error {
	if err := a.sessions.Delete(ctx, p.TokenHash); err != nil {
		return err
	}
	a.dropCache(ctx, p.TokenHash)
	return nil
}

// RevokeAll ends every session of a subject (disable, reset, account deletion).
func (a *Auth) RevokeAll(ctx context.Context, kind model.SubjectKind, id int64) error {
	hashes, err := a.sessions.RevokeSubject(ctx, kind, id)
	if err != nil {
		return err
	}
	a.dropCache(ctx, hashes...)
	return nil
}

// dropCache removes revoked sessions from the cache. If Redis is unreachable the
// entries cannot be served either, and they expire within the cache TTL.
func (a *Auth) dropCache(ctx context.Context, hashes ...string) {
	if err := a.cache.Delete(ctx, hashes...); err != nil {
		a.log.ErrorContext(ctx, "could not drop revoked sessions from cache", "err", err, "count", len(hashes))
	}
}

// ChangePassword checks the old password, sets the new one, clears the
// must-change flag and ends the account's other sessions.
func (a *Auth) ChangePassword(ctx context.Context, p *model.Principal, oldPw, newPw string) (*model.Account, error) {
	if !p.IsStaff() {
		return nil, model.ErrForbidden
	}
	if err := a.Limit(ctx, fmt.Sprintf("pwchange:%d", p.ID), 10, time.Minute); err != nil {
		return nil, err
	}
	acc, err := a.accounts.Get(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if !a.hasher.Check(acc.PasswordHash, oldPw) {
		return nil, model.E(model.CodeInvalidArgument, "原密码不正确")
	}
	if oldPw == newPw {
		return nil, model.Invalid("新密码不能与原密码相同")
	}
	if err := model.ValidatePassword(newPw, acc.Username); err != nil {
		return nil, err
	}
	hash, err := a.hasher.Hash(newPw)
	if err != nil {
		return nil, err
	}
	now := a.now()
	updated, hashes, err := a.accounts.Update(ctx, p.ID, func(x *model.Account) (*model.AuditLog, error) {
		x.SetPassword(hash, false, now)
		return nil, nil
	}, true)
	if err != nil {
		return nil, err
	}
	// Keep the caller signed in: restore this one session.
	if err := a.sessions.Create(ctx, &model.Session{TokenHash: p.TokenHash, SubjectKind: model.SubjectStaff,
		SubjectID: p.ID, ExpiresAt: p.ExpiresAt, CreatedAt: now}); err != nil {
		return nil, err
	}
	a.dropCache(ctx, append(hashes, p.TokenHash)...)
	updated.OrgPath, updated.OrgKind, updated.OrgActive = acc.OrgPath, acc.OrgKind, acc.OrgActive
	return updated, nil
}

// Passwords hashes and checks passwords with bcrypt.
type Passwords struct {
	cost  int
	dummy []byte
}

// NewPasswords builds a hasher; cost 0 is bcrypt's default.
func NewPasswords(cost int) *Passwords {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	dummy, _ := bcrypt.GenerateFromPassword([]byte("zhilian-dummy-password"), cost)
	return &Passwords{cost: cost, dummy: dummy}
}

// Hash hashes a password.
func (h *Passwords) Hash(pw string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(pw), h.cost)
	return string(b), err
}

// Check reports whether pw matches hash.
func (h *Passwords) Check(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// Burn spends the time of one check (for unknown usernames).
func (h *Passwords) Burn(pw string) { _ = bcrypt.CompareHashAndPassword(h.dummy, []byte(pw)) }
