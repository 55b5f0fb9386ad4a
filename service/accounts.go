package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zhilian/model"
)

// AccountRepo persists staff accounts.
type AccountRepo interface {
	StaffAccounts
	Create(ctx context.Context, a *model.Account, audit func(*model.Account) *model.AuditLog) error
	List(ctx context.Context, f model.AccountFilter) (model.Page[model.Account], error)
}

// OrgReader loads org nodes.
type OrgReader interface {
	Get(ctx context.Context, id int64) (*model.Org, error)
}

// Accounts is the admin use case for staff accounts. Every call is scoped to
// the admin's org subtree: anything outside it is not_found.
type Accounts struct {
	repo      AccountRepo
	orgs      OrgReader
	auth      *Auth
	passwords *Passwords
	now       func() time.Time
}

// NewAccounts builds the accounts service.
func NewAccounts(repo AccountRepo, orgs OrgReader, auth *Auth, pw *Passwords, now func() time.Time) *Accounts {
	return &Accounts{repo: repo, orgs: orgs, auth: auth, passwords: pw, now: now}
}

// NewAccountInput is what an admin gives to create an account.
type NewAccountInput struct {
	Username string
	Password string
	Name     string
	Phone    string
	Role     model.Role
	OrgID    int64
}

// reachOrg loads an org inside the admin's subtree (not_found otherwise).
func reachOrg(ctx context.Context, orgs OrgReader, p *model.Principal, id int64) (*model.Org, error) {
	o, err := orgs.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, model.E(model.CodeNotFound, "机构不存在")
		}
		return nil, err
	}
	if !p.Reaches(o.Path) {
		return nil, model.E(model.CodeNotFound, "机构不存在")
	}
	return o, nil
}

// rootAdmin allows admins of the root org (the city) only.
func rootAdmin(p *model.Principal, msg string) error {
	if !p.IsAdmin() || strings.Count(p.OrgPath, "/") != 2 {
		return model.E(model.CodeForbidden, msg)
	}
	return nil
}

// Create adds an account in the admin's subtree; the admin-set password must
// be changed at first sign-in.
func (s *Accounts) Create(ctx context.Context, p *model.Principal, actor model.Actor, in NewAccountInput) (*model.Account, error) {
	in.Username = model.NormalizeUsername(in.Username)
	if err := model.ValidateUsername(in.Username); err != nil {
		return nil, err
	}
	if err := model.ValidatePersonName(in.Name); err != nil {
		return nil, err
	}
	if in.Phone != "" {
		if err := model.ValidatePhone(in.Phone); err != nil {
			return nil, err
		}
	}
	if !in.Role.StaffRole() {
		return nil, model.Invalid("角色须为 cadre 或 admin")
	}
	if err := model.ValidatePassword(in.Password, in.Username); err != nil {
		return nil, err
	}
	org, err := reachOrg(ctx, s.orgs, p, in.OrgID)
	if err != nil {
		return nil, err
	}
	if !org.Active {
		return nil, model.E(model.CodeConflict, "机构已停用，不能新增账号")
	}
	hash, err := s.passwords.Hash(in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &model.Account{Username: in.Username, Name: strings.TrimSpace(in.Name), OrgID: org.ID,
		Role: in.Role, Status: model.AccountActive, PasswordHash: hash, MustChangePassword: true,
		CreatedAt: now, UpdatedAt: now}
	if err := s.auth.phones.Seal(a, in.Phone); err != nil {
		return nil, err
	}
	err = s.repo.Create(ctx, a, func(a *model.Account) *model.AuditLog {
		return actor.Audit("account.create", "account", a.ID, fmt.Sprintf("username=%s role=%s org=%d", a.Username, a.Role, a.OrgID), now)
	})
	if err != nil {
		return nil, err
	}
	a.OrgPath, a.OrgKind, a.OrgActive = org.Path, org.Kind, org.Active
	return a, nil
}

// Get returns an account inside the admin's subtree.
func (s *Accounts) Get(ctx context.Context, p *model.Principal, id int64) (*model.Account, error) {
	a, err := s.repo.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, model.E(model.CodeNotFound, "账号不存在")
		}
		return nil, err
	}
	if !p.Reaches(a.OrgPath) {
		return nil, model.E(model.CodeNotFound, "账号不存在")
	}
	s.auth.phones.Reveal(ctx, a)
	return a, nil
}

// AccountQuery filters the account list; OrgID narrows to a subtree inside the admin's.
type AccountQuery struct {
	OrgID  int64
	Role   model.Role
	Status model.AccountStatus
	Query  string
	Cursor string
	Size   int
}

// List lists accounts in the admin's subtree.
func (s *Accounts) List(ctx context.Context, p *model.Principal, q AccountQuery) (model.Page[model.Account], error) {
	f := model.AccountFilter{OrgPath: p.OrgPath, Role: q.Role, Status: q.Status, Query: q.Query, Cursor: q.Cursor, Size: q.Size}
	if q.Role != "" && !q.Role.StaffRole() {
		return model.Page[model.Account]{}, model.Invalid("role 须为 cadre 或 admin")
	}
	if q.Status != "" && q.Status != model.AccountActive && q.Status != model.AccountDisabled {
		return model.Page[model.Account]{}, model.Invalid("status 须为 active 或 disabled")
	}
	if q.OrgID > 0 {
		o, err := reachOrg(ctx, s.orgs, p, q.OrgID)
		if err != nil {
			return model.Page[model.Account]{}, err
		}
		f.OrgPath = o.Path
	}
	page, err := s.repo.List(ctx, f)
	if err != nil {
		return page, err
	}
	for i := range page.Items {
		s.auth.phones.Reveal(ctx, &page.Items[i])
	}
	return page, nil
}

// AccountPatch is a partial update; nil fields stay.
type AccountPatch struct {
	Name  *string
	Phone *string
	Role  *model.Role
	OrgID *int64
}

// Update edits an account. Moving it to another org or changing its role ends its logins.
func (s *Accounts) Update(ctx context.Context, p *model.Principal, actor model.Actor, id int64, in AccountPatch) (*model.Account, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if in.Name != nil {
		if err := model.ValidatePersonName(*in.Name); err != nil {
			return nil, err
		}
	}
	if in.Phone != nil && *in.Phone != "" {
		if err := model.ValidatePhone(*in.Phone); err != nil {
			return nil, err
		}
	}
	if in.Role != nil && !in.Role.StaffRole() {
		return nil, model.Invalid("角色须为 cadre 或 admin")
	}
	var org *model.Org
	if in.OrgID != nil && *in.OrgID != cur.OrgID {
		if org, err = reachOrg(ctx, s.orgs, p, *in.OrgID); err != nil {
			return nil, err
		}
		if !org.Active {
			return nil, model.E(model.CodeConflict, "机构已停用")
		}
	}
	revoke := org != nil || (in.Role != nil && *in.Role != cur.Role)
	if revoke && cur.ID == p.ID {
		return nil, model.E(model.CodeConflict, "不能修改自己的角色或所属机构")
	}
	now := s.now()
	var changes []string
	a, hashes, err := s.repo.Update(ctx, id, func(a *model.Account) (*model.AuditLog, error) {
		if a.OrgID != cur.OrgID {
			return nil, model.E(model.CodeConflict, "账号刚被他人修改，请刷新后重试")
		}
		if in.Name != nil {
			a.Name = strings.TrimSpace(*in.Name)
			changes = append(changes, "name")
		}
		if in.Phone != nil {
			if err := s.auth.phones.Seal(a, *in.Phone); err != nil {
				return nil, err
			}
			changes = append(changes, "phone")
		}
		if in.Role != nil {
			a.Role = *in.Role
			changes = append(changes, "role="+string(*in.Role))
		}
		if org != nil {
			a.OrgID = org.ID
			changes = append(changes, fmt.Sprintf("org=%d", org.ID))
		}
		a.UpdatedAt = now
		return actor.Audit("account.update", "account", a.ID, strings.Join(changes, " "), now), nil
	}, revoke)
	if err != nil {
		return nil, err
	}
	s.auth.dropCache(ctx, hashes...)
	return s.Get(ctx, p, a.ID)
}

// Disable blocks an account and ends its logins at once.
func (s *Accounts) Disable(ctx context.Context, p *model.Principal, actor model.Actor, id int64) (*model.Account, error) {
	if id == p.ID {
		return nil, model.E(model.CodeConflict, "不能停用自己的账号")
	}
	return s.change(ctx, p, id, true, func(a *model.Account, now time.Time) (*model.AuditLog, error) {
		if err := a.Disable(now); err != nil {
			return nil, err
		}
		return actor.Audit("account.disable", "account", a.ID, "", now), nil
	})
}

// Enable lets a disabled account sign in again.
func (s *Accounts) Enable(ctx context.Context, p *model.Principal, actor model.Actor, id int64) (*model.Account, error) {
	return s.change(ctx, p, id, false, func(a *model.Account, now time.Time) (*model.AuditLog, error) {
		if err := a.Enable(now); err != nil {
			return nil, err
		}
		return actor.Audit("account.enable", "account", a.ID, "", now), nil
	})
}

// ResetPassword sets a temporary password, which must be changed at next
// sign-in, and ends the account's sign-ins (logins).
func (s *Accounts) ResetPassword(ctx context.Context, p *model.Principal, actor model.Actor, id int64, pw string) (*model.Account, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := model.ValidatePassword(pw, cur.Username); err != nil {
		return nil, err
	}
	hash, err := s.passwords.Hash(pw)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, p, id, true, func(a *model.Account, now time.Time) (*model.AuditLog, error) {
		a.SetPassword(hash, true, now)
		return actor.Audit("account.reset_password", "account", a.ID, "", now), nil
	})
}

// OperatorReset gives the account named username a new one-time password on
// the operator's behalf (the server's `admin reset-password` command, for a
// lost admin password): the password must be changed at the next sign-in,
// the account's sign-ins (logins) end at once, and the audit log records the operator
// as the actor.
func (s *Accounts) OperatorReset(ctx context.Context, actor model.Actor, username string) (*model.Account, string, error) {
	cur, err := s.repo.ByUsername(ctx, username)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, "", model.E(model.CodeNotFound, "账号不存在")
		}
		return nil, "", err
	}
	pw, err := OneTimePassword()
	if err != nil {
		return nil, "", err
	}
	hash, err := s.passwords.Hash(pw)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	actor.OrgPath = cur.OrgPath // seen by the admins above the account, like their own actions on it
	a, hashes, err := s.repo.Update(ctx, cur.ID, func(a *model.Account) (*model.AuditLog, error) {
		a.SetPassword(hash, true, now)
		return actor.Audit("account.reset_password", "account", a.ID, "operator: "+actor.Name, now), nil
	}, true)
	if err != nil {
		return nil, "", err
	}
	s.auth.dropCache(ctx, hashes...)
	return a, pw, nil
}

func (s *Accounts) change(ctx context.Context, p *model.Principal, id int64, revoke bool,
	fn func(*model.Account, time.Time) (*model.AuditLog, error)) (*model.Account, error) {
	cur, err := s.Get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a, hashes, err := s.repo.Update(ctx, id, func(a *model.Account) (*model.AuditLog, error) {
		if a.OrgID != cur.OrgID {
			return nil, model.E(model.CodeConflict, "账号刚被他人修改，请刷新后重试")
		}
		return fn(a, now)
	}, revoke)
	if err != nil {
		return nil, err
	}
	s.auth.dropCache(ctx, hashes...)
	a.OrgPath, a.OrgKind, a.OrgActive = cur.OrgPath, cur.OrgKind, cur.OrgActive
	s.auth.phones.Reveal(ctx, a)
	return a, nil
}

// Self returns the caller's own account.
func (s *Accounts) Self(ctx context.Context, p *model.Principal) (*model.Account, error) {
	a, err := s.repo.Get(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	s.auth.phones.Reveal(ctx, a)
	return a, nil
}
