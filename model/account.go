package model

import (
	_ "embed" // the common-password list
	"regexp"
	"strings"
	"sync"
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
	ID                 int64 `gorm:"primaryKey"`
	Username           string
	Name               string
	Phone              string `gorm:"-"` // plain, for the API; stored only sealed
	PhoneEnc           []byte `gorm:"column:phone_enc"`
	OrgID              int64
	Role               Role
	Status             AccountStatus
	PasswordHash       string
	MustChangePassword bool
	WechatOpenID       *string `gorm:"column:wechat_openid"`
	CreatedAt          time.Time
	UpdatedAt          time.Time

	// Read-only, filled by a join with orgs.
	OrgPath   string  `gorm:"->"`
	OrgKind   OrgKind `gorm:"->"`
	OrgActive bool    `gorm:"->"`
}

var usernameRe = regexp.MustCompile(`^[a-z0-9_.-]{3,32}$`)

// NormalizeUsername is the one form of a login name: trimmed and lower-case.
// Accounts are created and looked up with it, and the sign-in limits are keyed
// on it, so "FS_NatRes " is the same user (and the same limit) as "fs_natres".
func NormalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

// ValidateUsername checks a normalised login name: 3–32 lower-case letters, digits, _ . -
func ValidateUsername(u string) error {
	if !usernameRe.MatchString(u) {
		return Invalid("用户名须为 3–32 位字母、数字或 _ . -")
	}
	return nil
}

// MinPasswordLen is the shortest staff password, in characters.
const MinPasswordLen = 10

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the set of the embedded list (see common_passwords.LICENSE
// and the README): built once, read-only afterwards.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 50000)
	for _, p := range strings.Split(commonPasswordList, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			set[p] = struct{}{}
		}
	}
	return set
})

// CommonPasswordCount is how many passwords the embedded list refuses.
func CommonPasswordCount() int { return len(commonPasswords()) }

// IsCommonPassword reports whether pw, ignoring case, is on the common list,
// or is a listed password with digits and punctuation around it
// ("Password2026!", "1qaz2wsx!!").
func IsCommonPassword(pw string) bool {
	lower := strings.ToLower(pw)
	set := commonPasswords()
	if _, ok := set[lower]; ok {
		return true
	}
	base := strings.TrimFunc(lower, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ' })
	if utf8.RuneCountInString(base) < 4 {
		return false
	}
	_, ok := set[base]
	return ok
}

// ValidatePassword enforces the minimum strength of a staff password: 10–72
// bytes (bcrypt reads 72) of at least 10 characters, with a letter and a
// digit, not containing the username, and not a common password.
func ValidatePassword(pw, username string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen || len(pw) > 72 {
		return Invalid("密码须为 %d–72 个字符", MinPasswordLen)
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
	if u := NormalizeUsername(username); u != "" && strings.Contains(strings.ToLower(pw), u) {
		return Invalid("密码不能包含用户名")
	}
	if IsCommonPassword(pw) {
		return Invalid("密码过于常见，容易被猜中，请换一个")
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
	Items      []T
	NextCursor string
}
