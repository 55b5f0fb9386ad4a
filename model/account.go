package model

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role of a principal.
type Role string

// Roles. Staff accounts are cadres or admins; residents sign in with WeChat.
const (
	RoleCadre    Role = "cadre"
	RoleAdmin    Role = "admin"
	RoleResident Role = "resident"
)

// StaffRole reports whether r is a role a staff account may have.
func (r Role) StaffRole() bool { return r == RoleCadre || r == RoleAdmin }

// AccountStatus of a staff account.
type AccountStatus string

// Account statuses.
const (
	AccountActive   AccountStatus = "active"
	AccountDisabled AccountStatus = "disabled"
)

// Account is a staff account (cadre or admin) belonging to one org.
type Account struct {
	ID                 int64         `json:"id" gorm:"primaryKey"`
	Username           string        `json:"username"`
	Name               string        `json:"name"`
	Phone              string        `json:"phone,omitempty"`
	OrgID              int64         `json:"org_id"`
	Role               Role          `json:"role"`
	Status             AccountStatus `json:"status"`
	PasswordHash       string        `json:"-"`
	MustChangePassword bool          `json:"must_change_password"`
	WechatOpenID       *string       `json:"-" gorm:"column:wechat_openid"`
	CreatedAt          time.Time     `json:"created_at"`
	UpdatedAt          time.Time     `json:"updated_at"`

	// Read-only, filled by a join with orgs.
	OrgPath   string  `json:"-" gorm:"->"`
	OrgKind   OrgKind `json:"-" gorm:"->"`
	OrgActive bool    `json:"-" gorm:"->"`
}

var usernameRe = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,32}$`)

// ValidateUsername checks a login name: 3–32 letters, digits, _ . -
func ValidateUsername(u string) error {
	if !usernameRe.MatchString(u) {
		return Invalid("用户名须为 3–32 位字母、数字或 _ . -")
	}
	return nil
}

// ValidatePassword enforces the minimum strength: 8–72 bytes with at least a
// letter and a digit, and not the username.
func ValidatePassword(pw, username string) error {
	if len(pw) < 8 || len(pw) > 72 {
		return Invalid("密码须为 8–72 个字符")
	}
	var letter, digit bool
	for _, r := range pw {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if !letter || !digit {
		return Invalid("密码须同时包含字母和数字")
	}
	if username != "" && strings.EqualFold(pw, username) {
		return Invalid("密码不能与用户名相同")
	}
	return nil
}

// ValidatePersonName checks a display name.
func ValidatePersonName(name string) error {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	if n < 1 || n > 32 {
		return Invalid("姓名须为 1–32 个字符")
	}
	return nil
}

var phoneRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// ValidatePhone checks a mainland mobile number (11 digits).
func ValidatePhone(p string) error {
	if !phoneRe.MatchString(p) {
		return Invalid("手机号格式不正确")
	}
	return nil
}

// MaskPhone shows the first three and last four digits: 138****5678.
func MaskPhone(p string) string {
	if len(p) < 7 {
		if p == "" {
			return ""
		}
		return "****"
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// Disable blocks the account from signing in.
func (a *Account) Disable(now time.Time) error {
	if a.Status == AccountDisabled {
		return Transition("停用", "已停用")
	}
	a.Status = AccountDisabled
	a.UpdatedAt = now
	return nil
}

// Enable lets a disabled account sign in again.
func (a *Account) Enable(now time.Time) error {
	if a.Status == AccountActive {
		return Transition("启用", "已启用")
	}
	a.Status = AccountActive
	a.UpdatedAt = now
	return nil
}

// SetPassword stores a new hash; mustChange forces a change at next login.
func (a *Account) SetPassword(hash string, mustChange bool, now time.Time) {
	a.PasswordHash = hash
	a.MustChangePassword = mustChange
	a.UpdatedAt = now
}

// Active reports whether the account may sign in.
func (a *Account) Active() bool { return a.Status == AccountActive }

// AccountFilter narrows an account list. OrgPath is the subtree (required).
type AccountFilter struct {
	OrgPath string
	Role    Role
	Status  AccountStatus
	Query   string // prefix of username or name
	Cursor  string
	Size    int
}

// Page is one page of a keyset-paginated list.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}
