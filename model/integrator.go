package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

// SubjectIntegrator is the actor kind of steps taken through Open311 by an
// integrator's API key (the first timeline event of an item it filed).
const SubjectIntegrator SubjectKind = "integrator"

// Limits of integrators and their keys.
const (
	DefaultKeyRate = 60   // requests per minute of a key when the admin names none
	MaxKeyRate     = 6000 // requests per minute
	KeyPrefixLen   = 12   // characters of a key kept in clear to tell keys apart
)

// Integrator is a system that files and follows items through Open311 (a
// hotline platform, a city app); city admins issue it API keys.
type Integrator struct {
	ID        int64     `gorm:"primaryKey"`
	Name      string    // unique
	Contact   string    // who to call about it
	CreatedBy int64     // the admin's account
	CreatedAt time.Time // first issued
	UpdatedAt time.Time

	// Read-only, filled by the list query.
	ActiveKeys int64      `gorm:"->"`
	LastUsedAt *time.Time `gorm:"->"`
}

// NewIntegrator validates and builds an integrator.
func NewIntegrator(name, contact string, by int64, now time.Time) (*Integrator, error) {
	name, contact = strings.TrimSpace(name), strings.TrimSpace(contact)
	if n := utf8.RuneCountInString(name); n < 1 || n > 64 {
		return nil, Invalid("对接方名称须为 1–64 个字符")
	}
	if utf8.RuneCountInString(contact) > 200 {
		return nil, Invalid("联系方式不能超过 200 个字符")
	}
	return &Integrator{Name: name, Contact: contact, CreatedBy: by, CreatedAt: now, UpdatedAt: now}, nil
}

// APIKey is one key of an integrator. Only the SHA-256 of the key is kept;
// Prefix (its first characters) tells keys apart in lists and logs.
type APIKey struct {
	ID            int64 `gorm:"primaryKey"`
	IntegratorID  int64
	OrgID         int64 // scope: items are routed inside this org's subtree
	RatePerMinute int
	Prefix        string
	KeyHash       string
	Note          string
	CreatedBy     int64
	CreatedAt     time.Time
	RevokedAt     *time.Time
	RevokedBy     *int64
	LastUsedAt    *time.Time

	// Read-only, filled by a join.
	OrgPath        string `gorm:"->"`
	OrgName        string `gorm:"->"`
	IntegratorName string `gorm:"->"`
}

// TableName is api_keys.
func (APIKey) TableName() string { return "api_keys" }

// KeyStatus is whether a key still opens the door.
type KeyStatus string

// Key statuses.
const (
	KeyActive  KeyStatus = "active"
	KeyRevoked KeyStatus = "revoked"
)

// Status is the key's status.
func (k *APIKey) Status() KeyStatus {
	if k.RevokedAt != nil {
		return KeyRevoked
	}
	return KeyActive
}

// NewAPIKey validates and builds a key for an integrator in the scope of org,
// from its hash and prefix (the service makes the random key).
func NewAPIKey(integratorID int64, org *Org, rate int, note, prefix, hash string, by int64, now time.Time) (*APIKey, error) {
	if org == nil || !org.Active {
		return nil, Invalid("密钥的辖区机构不存在或已停用")
	}
	if org.Kind == OrgDepartment {
		return nil, Invalid("密钥的辖区须为市、区、镇街或社区，不能是职能部门")
	}
	if rate == 0 {
		rate = DefaultKeyRate
	}
	if rate < 1 || rate > MaxKeyRate {
		return nil, Invalid("限流须为每分钟 1–%d 次", MaxKeyRate)
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 200 {
		return nil, Invalid("备注不能超过 200 个字符")
	}
	return &APIKey{IntegratorID: integratorID, OrgID: org.ID, OrgPath: org.Path, OrgName: org.Name, RatePerMinute: rate,
		Prefix: prefix, KeyHash: hash, Note: note, CreatedBy: by, CreatedAt: now}, nil
}

// Revoke stops the key at once; a revoked key stays listed.
func (k *APIKey) Revoke(by int64, now time.Time) error {
	if k.RevokedAt != nil {
		return E(CodeInvalidTransition, "该密钥已吊销")
	}
	k.RevokedAt, k.RevokedBy = &now, &by
	return nil
}
