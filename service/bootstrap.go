package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"time"

	"zhilian/model"
)

// Bootstrap creates the root org and its first admin, and seeds the demo city.
type Bootstrap struct {
	orgs      OrgRepo
	accounts  AccountRepo
	passwords *Passwords
	phones    *StaffPhones
	now       func() time.Time
	log       *slog.Logger
}

// NewBootstrap builds the bootstrapper; phones seals the demo staff's numbers.
func NewBootstrap(orgs OrgRepo, accounts AccountRepo, pw *Passwords, phones *StaffPhones, now func() time.Time, log *slog.Logger) *Bootstrap {
	return &Bootstrap{orgs: orgs, accounts: accounts, passwords: pw, phones: phones, now: now, log: log}
}

// Root creates the city node once.
func (b *Bootstrap) Root(ctx context.Context, name, code string) (*model.Org, error) {
	now := b.now()
	return b.orgs.EnsureRoot(ctx, func() model.Org {
		c := code
		return model.Org{Kind: model.OrgCity, Name: name, Code: &c, Active: true, CreatedAt: now, UpdatedAt: now}
	})
}

// OneTimePassword makes a random password that passes model.ValidatePassword,
// for an account that must change it at its next sign-in.
func OneTimePassword() (string, error) {
	raw := make([]byte, 12)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return "Zl" + base64.RawURLEncoding.EncodeToString(raw) + "9", nil
}

// Admin creates the root admin once. An empty password is replaced by a
// one-time password, returned (the caller shows it once) and to be changed at
// the first sign-in; a password the operator set is used as is. "" means the
// admin already existed.
func (b *Bootstrap) Admin(ctx context.Context, root *model.Org, username, password string) (generated string, err error) {
	username = model.NormalizeUsername(username)
	if _, err := b.accounts.ByUsername(ctx, username); err == nil {
		return "", nil
	} else if !model.IsCode(err, model.CodeNotFound) {
		return "", err
	}
	if password == "" {
		if password, err = OneTimePassword(); err != nil {
			return "", err
		}
		generated = password
	}
	if err := model.ValidatePassword(password, username); err != nil {
		return "", fmt.Errorf("ZL_ADMIN_PASSWORD: %w", err)
	}
	hash, err := b.passwords.Hash(password)
	if err != nil {
		return "", err
	}
	now := b.now()
	a := &model.Account{Username: username, Name: "系统管理员", OrgID: root.ID, Role: model.RoleAdmin,
		Status: model.AccountActive, PasswordHash: hash, MustChangePassword: generated != "", CreatedAt: now, UpdatedAt: now}
	if err := b.accounts.Create(ctx, a, nil); err != nil {
		if model.IsCode(err, model.CodeAlreadyExists) {
			return "", nil // another instance won the race
		}
		return "", err
	}
	return generated, nil
}

// DemoPassword is the password of every demo staff account (dev only).
const DemoPassword = "Demo2026zl"

// DemoOrg is one node of the demo city.
type DemoOrg struct {
	Code     string
	Name     string
	Kind     model.OrgKind
	Children []DemoOrg
	Staff    []DemoStaff
}

// DemoStaff is a demo account attached to a demo org.
type DemoStaff struct {
	Username string
	Name     string
	Role     model.Role
	Phone    string
}

// DemoCity is Foshan's five districts with real towns/streets and a few
// communities, departments and staff.
func DemoCity() []DemoOrg {
	town := func(code, name string, kids ...DemoOrg) DemoOrg {
		return DemoOrg{Code: code, Name: name, Kind: model.OrgTown, Children: kids}
	}
	comm := func(code, name string) DemoOrg { return DemoOrg{Code: code, Name: name, Kind: model.OrgCommunity} }
	dept := func(code, name string, staff ...DemoStaff) DemoOrg {
		return DemoOrg{Code: code, Name: name, Kind: model.OrgDepartment, Staff: staff}
	}
	zumiao := town("440604010", "祖庙街道", comm("440604010001", "兆祥社区"), comm("440604010002", "升平社区"))
	zumiao.Staff = []DemoStaff{{"zumiao_admin", "祖庙街道管理员", model.RoleAdmin, "13800000001"},
		{"zumiao_cadre", "陈志明", model.RoleCadre, "13800000002"}}
	guicheng := town("440605011", "桂城街道", comm("440605011001", "夏东社区"), comm("440605011002", "东二社区"))
	guicheng.Staff = []DemoStaff{{"guicheng_admin", "桂城街道管理员", model.RoleAdmin, "13800000003"},
		{"guicheng_cadre", "黄丽华", model.RoleCadre, "13800000004"}}
	daliang := town("440606001", "大良街道", comm("440606001001", "金榜社区"), comm("440606001002", "府又社区"))
	daliang.Staff = []DemoStaff{{"daliang_cadre", "梁伟强", model.RoleCadre, "13800000005"}}
	return []DemoOrg{
		{Code: "440604", Name: "禅城区", Kind: model.OrgDistrict, Children: []DemoOrg{
			zumiao, town("440604011", "石湾镇街道"), town("440604012", "张槎街道"), town("440604100", "南庄镇"),
			dept("440604D01", "禅城区人力资源和社会保障局", DemoStaff{"chancheng_hrss", "何晓敏", model.RoleCadre, "13800000006"}),
		}},
		{Code: "440605", Name: "南海区", Kind: model.OrgDistrict, Staff: []DemoStaff{{"nanhai_admin", "南海区管理员", model.RoleAdmin, "13800000007"}}, Children: []DemoOrg{
			guicheng, town("440605100", "狮山镇"), town("440605101", "大沥镇"), town("440605102", "里水镇"),
			town("440605103", "九江镇"), town("440605104", "西樵镇"), town("440605105", "丹灶镇"),
			dept("440605D01", "南海区农业农村局", DemoStaff{"nanhai_agri", "罗建国", model.RoleCadre, "13800000008"}),
		}},
		{Code: "440606", Name: "顺德区", Kind: model.OrgDistrict, Children: []DemoOrg{
			daliang, town("440606002", "容桂街道"), town("440606003", "伦教街道"), town("440606004", "勒流街道"),
			town("440606100", "陈村镇"), town("440606101", "北滘镇"), town("440606102", "乐从镇"),
			town("440606103", "龙江镇"), town("440606104", "杏坛镇"), town("440606105", "均安镇"),
		}},
		{Code: "440607", Name: "三水区", Kind: model.OrgDistrict, Children: []DemoOrg{
			town("440607001", "西南街道"), town("440607002", "云东海街道"), town("440607100", "白坭镇"),
			town("440607101", "乐平镇"), town("440607102", "大塘镇"), town("440607103", "芦苞镇"), town("440607104", "南山镇"),
		}},
		{Code: "440608", Name: "高明区", Kind: model.OrgDistrict, Children: []DemoOrg{
			town("440608001", "荷城街道"), town("440608100", "杨和镇"), town("440608101", "明城镇"), town("440608102", "更合镇"),
		}},
		dept("440600D01", "佛山市自然资源局", DemoStaff{"fs_natres", "周文斌", model.RoleCadre, "13800000009"}),
	}
}

// Demo seeds the demo city under root; it is idempotent (orgs are found by code,
// accounts by username) and returns the number of rows it created.
func (b *Bootstrap) Demo(ctx context.Context, root *model.Org) (int, error) {
	hash, err := b.passwords.Hash(DemoPassword)
	if err != nil {
		return 0, err
	}
	created := 0
	var walk func(parent *model.Org, nodes []DemoOrg) error
	walk = func(parent *model.Org, nodes []DemoOrg) error {
		for _, n := range nodes {
			o, err := b.orgs.ByCode(ctx, n.Code)
			if model.IsCode(err, model.CodeNotFound) {
				code := n.Code
				if o, err = model.NewChildOrg(parent, n.Kind, n.Name, &code, b.now()); err != nil {
					return err
				}
				err = b.orgs.Create(ctx, o, parent.Path, func(o *model.Org) *model.AuditLog {
					return model.Actor{Name: "demo"}.Audit("org.create", "org", o.ID, "demo seed", b.now())
				})
				if model.IsCode(err, model.CodeAlreadyExists) {
					o, err = b.orgs.ByCode(ctx, n.Code)
				} else if err == nil {
					created++
				}
			}
			if err != nil {
				return fmt.Errorf("demo org %s: %w", n.Name, err)
			}
			for _, s := range n.Staff {
				now := b.now()
				a := &model.Account{Username: s.Username, Name: s.Name, OrgID: o.ID, Role: s.Role,
					Status: model.AccountActive, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
				if err := b.phones.Seal(a, s.Phone); err != nil {
					return err
				}
				err := b.accounts.Create(ctx, a, nil)
				if err == nil {
					created++
				} else if !model.IsCode(err, model.CodeAlreadyExists) {
					return fmt.Errorf("demo account %s: %w", s.Username, err)
				}
			}
			if err := walk(o, n.Children); err != nil {
				return err
			}
		}
		return nil
	}
	return created, walk(root, DemoCity())
}
