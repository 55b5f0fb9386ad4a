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
	Kind               SubjectKind
	ID                 int64
	Name               string
	Role               Role
	OrgID              int64
	OrgPath            string
	OrgKind            OrgKind
	MustChangePassword bool
	TokenHash          string
	Generation         int64 // of the login row it was resolved from
	ExpiresAt          time.Time
}

// IsStaff reports whether the principal is a cadre or admin.
func (p *Principal) IsStaff() bool { return p != nil && p.Kind == SubjectStaff }

// IsAdmin reports whether the principal is an admin.
func (p *Principal) IsAdmin() bool { return p.IsStaff() && p.Role == RoleAdmin }

// Reaches reports whether a staff principal's jurisdiction contains the org at path.
func (p *Principal) Reaches(path string) bool { return p.IsStaff() && PathContains(p.OrgPath, path) }
