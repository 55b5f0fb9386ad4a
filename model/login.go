package model

import "time"

// SubjectKind says whose login a token is.
type SubjectKind string

// Subject kinds.
const (
	SubjectStaff    SubjectKind = "staff"
	SubjectResident SubjectKind = "resident"
)

// Login is a signed-in token (a sign-in, never a liaison session). Only the
// SHA-256 of the token is stored. Generation is drawn at random each time the
// row is written: a cached principal is used only while it names the
// generation of a live row, so a cache entry can never outlive a revocation.
type Login struct {
	TokenHash   string `gorm:"primaryKey"`
	SubjectKind SubjectKind
	SubjectID   int64
	IP          string
	Generation  int64
	ExpiresAt   time.Time
	CreatedAt   time.Time
}

// LoginRevocation records a login row deleted before its expiry: a principal
// cached for that token hash and generation must no longer be used.
type LoginRevocation struct {
	TokenHash  string
	Generation int64
}

// Principal is who is calling: resolved from a token on every request.
type Principal struct {
	Kind               SubjectKind `json:"kind"`
	ID                 int64       `json:"id"`
	Name               string      `json:"name"`
	Role               Role        `json:"role"`
	OrgID              int64       `json:"org_id,omitempty"`
	OrgPath            string      `json:"org_path,omitempty"`
	OrgKind            OrgKind     `json:"org_kind,omitempty"`
	MustChangePassword bool        `json:"must_change_password,omitempty"`
	TokenHash          string      `json:"-"`
	Generation         int64       `json:"generation"` // of the login row it was resolved from
	ExpiresAt          time.Time   `json:"expires_at"`
}

// IsStaff reports whether the principal is a cadre or admin.
func (p *Principal) IsStaff() bool { return p != nil && p.Kind == SubjectStaff }

// IsAdmin reports whether the principal is an admin.
func (p *Principal) IsAdmin() bool { return p.IsStaff() && p.Role == RoleAdmin }

// Reaches reports whether a staff principal's jurisdiction contains the org at path.
func (p *Principal) Reaches(path string) bool { return p.IsStaff() && PathContains(p.OrgPath, path) }
