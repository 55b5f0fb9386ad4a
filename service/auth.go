// Package service holds Zhilian's use cases: authorization (role + org scope),
// orchestration of model state changes and the stores that persist them.
package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/crypto/bcrypt"

	"zhilian/model"
)

// LoginRepo stores logins (MySQL: the truth).
type LoginRepo interface {
	Create(ctx context.Context, l *model.Login) error
	Get(ctx context.Context, hash string, now time.Time) (*model.Login, error)
	Delete(ctx context.Context, hash string) error
	RevokeSubject(ctx context.Context, kind model.SubjectKind, id int64) ([]string, error)
	DeleteExpired(ctx context.Context, now time.Time) (int64, error)
}

// LoginCache caches principals by token hash (Redis); it may fail. An entry
// is only used while the revocation list does not name its hash and Generation.
type LoginCache interface {
	Get(ctx context.Context, hash string) (*model.Principal, error)
	Set(ctx context.Context, p *model.Principal, now time.Time) error
	Delete(ctx context.Context, hashes ...string) error
}

// RateLimiter allows n events per period per key.
type RateLimiter interface {
	// Allow spends one event of key's budget; when none is left it says how long to wait.
	Allow(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error)
	// Check reports whether key's budget has an event left, without spending it.
	Check(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error)
}

// StaffAccounts reads and updates staff accounts for sign-in.
type StaffAccounts interface {
	Get(ctx context.Context, id int64) (*model.Account, error)
	ByUsername(ctx context.Context, username string) (*model.Account, error)
	Update(ctx context.Context, id int64, change func(*model.Account) (*model.AuditLog, error), revoke bool) (*model.Account, []string, error)
}

// PrincipalLoader resolves a resident login's subject (set by the residents feature).
type PrincipalLoader func(ctx context.Context, id int64) (*model.Principal, error)

// Limit is a budget of N events per Period.
type Limit struct {
	N      int
	Period time.Duration
}

// LoginLimits bound staff sign-in attempts without letting anyone lock a
// user out (README "Security model"):
//   - PerIP: attempts from one client IP, whatever the username;
//   - PerPair: wrong passwords for one username from one IP; when spent,
//     that IP waits for that username (nobody else does);
//   - PerUsername: wrong passwords for one username from every IP, in
//     growing tiers (per minute, per hour, per day). When a tier is spent the
//     username slows down: IPs that have already failed for it wait (the
//     wait grows with the tier), while an IP that has not failed may still
//     try, so the right password from a clean IP always gets through.
type LoginLimits struct {
	PerIP       Limit
	PerPair     Limit
	PerUsername []Limit
}

// DefaultLoginLimits are the production limits.
func DefaultLoginLimits() LoginLimits {
	return LoginLimits{
		PerIP:       Limit{60, time.Minute},
		PerPair:     Limit{5, 15 * time.Minute},
		PerUsername: []Limit{{10, time.Minute}, {30, time.Hour}, {100, 24 * time.Hour}},
	}
}

// Auth signs staff in and out and resolves tokens to principals.
type Auth struct {
	accounts  StaffAccounts
	logins    LoginRepo
	cache     LoginCache
	limiter   RateLimiter
	fallback  RateLimiter
	residents PrincipalLoader
	hasher    *Passwords
	phones    *StaffPhones
	now       func() time.Time
	ttl       time.Duration
	limits    LoginLimits
	log       *slog.Logger
	revoked   *revocations
}

// AuthDeps are Auth's collaborators.
type AuthDeps struct {
	Accounts  StaffAccounts
	Residents PrincipalLoader // resolves resident logins
	Logins    LoginRepo
	Revoked   RevocationLog // recent revocations; nil: every check reads the login row
	Cache     LoginCache
	Limiter   RateLimiter // shared by every instance (Redis)
	Fallback  RateLimiter // this process only, used while Limiter fails
	Passwords *Passwords
	Phones    *StaffPhones // opens staff phone numbers for the accounts it returns
	Now       func() time.Time
	TTL       time.Duration
	Limits    LoginLimits // zero: DefaultLoginLimits
	Log       *slog.Logger
}

// NewAuth builds the auth service.
func NewAuth(d AuthDeps) *Auth {
	if d.Limits.PerIP.N == 0 {
		d.Limits = DefaultLoginLimits()
	}
	return &Auth{accounts: d.Accounts, residents: d.Residents, logins: d.Logins, cache: d.Cache, limiter: d.Limiter,
		fallback: d.Fallback, hasher: d.Passwords, phones: d.Phones, now: d.Now, ttl: d.TTL, limits: d.Limits, log: d.Log,
		revoked: newRevocations(d.Revoked)}
}

// Token is a freshly issued login token.
type Token struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// HashToken is the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newGeneration draws the generation of a login row.
func newGeneration() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b[:]) >> 1), nil
}

// Issue creates a login for a subject and returns its token.
func (a *Auth) Issue(ctx context.Context, kind model.SubjectKind, id int64, ip string) (Token, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Token{}, err
	}
	gen, err := newGeneration()
	if err != nil {
		return Token{}, err
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	now := a.now()
	l := &model.Login{TokenHash: HashToken(tok), SubjectKind: kind, SubjectID: id, IP: ip, Generation: gen,
		ExpiresAt: now.Add(a.ttl), CreatedAt: now}
	if err := a.logins.Create(ctx, l); err != nil {
		a.noteOutage(err)
		return Token{}, err
	}
	return Token{Token: tok, ExpiresAt: l.ExpiresAt}, nil
}

// limiterFor runs one limiter call on Redis, or on this process's fallback
// while Redis fails (logged): a Redis outage is no window for brute force.
func (a *Auth) limiterFor(ctx context.Context, call func(RateLimiter) (bool, time.Duration, error)) (bool, time.Duration) {
	ok, wait, err := call(a.limiter)
	if err == nil {
		return ok, wait
	}
	a.log.WarnContext(ctx, "rate limiter unavailable; limiting in this process", "err", err)
	if a.fallback == nil {
		return true, 0
	}
	ok, wait, err = call(a.fallback)
	if err != nil {
		return true, 0
	}
	return ok, wait
}

func rateLimited(wait time.Duration) error {
	if wait < time.Second {
		wait = time.Second
	}
	return &model.Error{Code: model.CodeRateLimited, Msg: "操作过于频繁，请稍后再试", RetryAfter: wait}
}

// Limit applies a named rate limit (Redis, or the in-process fallback while Redis is down).
func (a *Auth) Limit(ctx context.Context, key string, n int, period time.Duration) error {
	ok, wait := a.limiterFor(ctx, func(l RateLimiter) (bool, time.Duration, error) { return l.Allow(ctx, key, n, period) })
	if !ok {
		return rateLimited(wait)
	}
	return nil
}

// check looks at a budget without spending it.
func (a *Auth) check(ctx context.Context, key string, l Limit) (bool, time.Duration) {
	return a.limiterFor(ctx, func(r RateLimiter) (bool, time.Duration, error) { return r.Check(ctx, key, l.N, l.Period) })
}

// spend takes one event from a budget (its verdict is not needed).
func (a *Auth) spend(ctx context.Context, key string, l Limit) {
	a.limiterFor(ctx, func(r RateLimiter) (bool, time.Duration, error) { return r.Allow(ctx, key, l.N, l.Period) })
}

// StaffLogin checks a username and password and opens a login. The username
// is normalised (model.NormalizeUsername) before anything else, so case and
// surrounding spaces change neither the account nor the limits.
func (a *Auth) StaffLogin(ctx context.Context, username, password, ip string) (Token, *model.Account, error) {
	username = model.NormalizeUsername(username)
	if err := a.Limit(ctx, "login:ip:"+ip, a.limits.PerIP.N, a.limits.PerIP.Period); err != nil {
		return Token{}, nil, err
	}
	pair := "login:pair:" + username + "|" + ip     // wrong passwords from this IP for this username
	failed := "login:failed:" + username + "|" + ip // a budget of one: spent once this IP has failed
	failedLimit := Limit{1, a.limits.PerPair.Period}
	userKey := func(i int) string { return fmt.Sprintf("login:user%d:%s", i, username) }
	if ok, wait := a.check(ctx, pair, a.limits.PerPair); !ok {
		return Token{}, nil, rateLimited(wait)
	}
	if clean, _ := a.check(ctx, failed, failedLimit); !clean {
		for i, l := range a.limits.PerUsername {
			if ok, wait := a.check(ctx, userKey(i), l); !ok {
				return Token{}, nil, rateLimited(wait)
			}
		}
	}
	fail := func(err error) (Token, *model.Account, error) {
		a.spend(ctx, pair, a.limits.PerPair)
		a.spend(ctx, failed, failedLimit)
		for i, l := range a.limits.PerUsername {
			a.spend(ctx, userKey(i), l)
		}
		return Token{}, nil, err
	}
	bad := model.E(model.CodeUnauthorized, "用户名或密码错误")
	acc, err := a.accounts.ByUsername(ctx, username)
	if err != nil {
		a.noteOutage(err)
		if model.IsCode(err, model.CodeNotFound) {
			a.hasher.Burn(password) // same work as a real check: no username probing by timing
			return fail(bad)
		}
		return Token{}, nil, err
	}
	if !a.hasher.Check(acc.PasswordHash, password) {
		return fail(bad)
	}
	if !acc.Active() {
		return Token{}, nil, model.E(model.CodeUnauthorized, "账号已停用，请联系管理员")
	}
	if !acc.OrgActive {
		return Token{}, nil, model.E(model.CodeUnauthorized, "所属机构已停用，请联系管理员")
	}
	a.phones.Reveal(ctx, acc)
	tok, err := a.Issue(ctx, model.SubjectStaff, acc.ID, ip)
	return tok, acc, err
}

// Authenticate resolves a bearer token to its principal. The hot path is one
// Redis GET: a cached principal is used while this process's list of recent
// revocations (login_revocations, read every fraction of a second while
// requests come in) is fresh and does not name its token hash and
// generation; a revocation answers only once every instance's list includes
// it (revocations.settle), so neither a failed cache delete nor a cache that
// comes back after an outage can bring a revoked token back. On a miss, with
// Redis down, or with the list unreadable, the login row in MySQL (the truth)
// is read and the principal cached again.
func (a *Auth) Authenticate(ctx context.Context, token string) (*model.Principal, error) {
	if token == "" || len(token) > 128 {
		return nil, model.ErrUnauthorized
	}
	hash := HashToken(token)
	now := a.now()
	expired := model.E(model.CodeUnauthorized, "登录已失效，请重新登录")
	if p, err := a.cache.Get(ctx, hash); err != nil {
		a.log.WarnContext(ctx, "login cache unavailable", "err", err)
	} else if p != nil && p.ExpiresAt.After(now) && a.revoked.usable(ctx, p) {
		return p, nil
	}
	l, err := a.logins.Get(ctx, hash, now)
	if err != nil {
		a.noteOutage(err)
		if model.IsCode(err, model.CodeNotFound) {
			return nil, expired
		}
		return nil, err
	}
	var p *model.Principal
	switch l.SubjectKind {
	case model.SubjectStaff:
		acc, err := a.accounts.Get(ctx, l.SubjectID)
		if err != nil {
			if model.IsCode(err, model.CodeNotFound) {
				return nil, expired
			}
			return nil, err
		}
		if !acc.Active() || !acc.OrgActive {
			return nil, expired
		}
		p = StaffPrincipal(acc)
	case model.SubjectResident:
		if a.residents == nil {
			return nil, model.ErrUnauthorized
		}
		if p, err = a.residents(ctx, l.SubjectID); err != nil {
			if model.IsCode(err, model.CodeNotFound) || model.IsCode(err, model.CodeUnauthorized) {
				return nil, expired
			}
			return nil, err
		}
	default:
		return nil, model.ErrUnauthorized
	}
	p.TokenHash, p.Generation, p.ExpiresAt = hash, l.Generation, l.ExpiresAt
	if err := a.cache.Set(ctx, p, now); err != nil {
		a.log.WarnContext(ctx, "login cache unavailable", "err", err)
	}
	return p, nil
}

// noteOutage stops trusting the login cache when the database did not answer:
// until the revocation list is read again, every token check reads its login
// row (and answers 503 unavailable while the database is down, as before the
// cache was trusted alone).
func (a *Auth) noteOutage(err error) {
	if model.IsCode(err, model.CodeUnavailable) {
		a.revoked.distrust()
	}
}

// StaffPrincipal builds the principal of a staff account.
func StaffPrincipal(acc *model.Account) *model.Principal {
	return &model.Principal{Kind: model.SubjectStaff, ID: acc.ID, Name: acc.Name, Role: acc.Role,
		OrgID: acc.OrgID, OrgPath: acc.OrgPath, OrgKind: acc.OrgKind, MustChangePassword: acc.MustChangePassword}
}

// PurgeExpired deletes logins past their expiry (a daily job).
func (a *Auth) PurgeExpired(ctx context.Context) (int64, error) {
	var total int64
	for {
		n, err := a.logins.DeleteExpired(ctx, a.now())
		total += n
		if err != nil || n < 10000 {
			return total, err
		}
	}
}

// Logout revokes the caller's token.
func (a *Auth) Logout(ctx context.Context, p *model.Principal) error {
	if err := a.logins.Delete(ctx, p.TokenHash); err != nil {
		return err
	}
	a.dropCache(ctx, p.TokenHash)
	return nil
}

// RevokeAll ends every login of a subject (disable, reset, account deletion).
func (a *Auth) RevokeAll(ctx context.Context, kind model.SubjectKind, id int64) error {
	hashes, err := a.logins.RevokeSubject(ctx, kind, id)
	if err != nil {
		return err
	}
	a.dropCache(ctx, hashes...)
	return nil
}

// dropCache removes revoked logins from the cache to free it, then waits
// until every instance's revocation list includes them (SettleRevocations).
// Revocation does not depend on the delete: the revocation list refuses the
// cached principals of deleted login rows.
func (a *Auth) dropCache(ctx context.Context, hashes ...string) {
	if len(hashes) == 0 {
		return
	}
	if err := a.cache.Delete(ctx, hashes...); err != nil {
		a.log.WarnContext(ctx, "could not drop revoked logins from cache (harmless: the revocation list refuses them)", "err", err, "count", len(hashes))
	}
	a.SettleRevocations(ctx)
}

// SettleRevocations waits, after a commit that revoked logins, until no
// instance can still use a cached principal of theirs (a fraction of a second).
func (a *Auth) SettleRevocations(ctx context.Context) { a.revoked.settle(ctx) }

// ChangePassword checks the old password, sets the new one, clears the
// must-change flag and ends the account's other logins.
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
	// Keep the caller signed in: restore this one login, with a new generation
	// so the principal cached with the old flags is not used again.
	gen, err := newGeneration()
	if err != nil {
		return nil, err
	}
	if err := a.logins.Create(ctx, &model.Login{TokenHash: p.TokenHash, SubjectKind: model.SubjectStaff,
		SubjectID: p.ID, Generation: gen, ExpiresAt: p.ExpiresAt, CreatedAt: now}); err != nil {
		return nil, err
	}
	a.dropCache(ctx, append(hashes, p.TokenHash)...)
	updated.OrgPath, updated.OrgKind, updated.OrgActive = acc.OrgPath, acc.OrgKind, acc.OrgActive
	a.phones.Reveal(ctx, updated)
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
