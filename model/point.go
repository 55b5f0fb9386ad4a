package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Point is a liaison point (驻点): a fixed place in a community where cadres
// sit on session days to hear residents.
type Point struct {
	ID        int64 `gorm:"primaryKey"`
	OrgID     int64
	Name      string
	Address   string
	Lat       *float64
	Lng       *float64
	Notes     string
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time

	// Read-only, filled by a join with orgs.
	OrgPath string `gorm:"->"`
	OrgName string `gorm:"->"`
	// DistanceM is the distance in metres from the caller's location, when one was given.
	DistanceM *int64 `gorm:"->"`
	// Hosts is the host team (not a column).
	Hosts []PointHost `gorm:"-"`
}

// PointHost is a cadre on a point's host team.
type PointHost struct {
	PointID   int64
	AccountID int64
	Name      string `gorm:"->"`
}

// PointFields are the editable fields of a point.
type PointFields struct {
	Name    string
	Address string
	Lat     *float64
	Lng     *float64
	Notes   string
}

// Validate checks the fields and trims the text.
func (f *PointFields) Validate() error {
	f.Name, f.Address, f.Notes = strings.TrimSpace(f.Name), strings.TrimSpace(f.Address), strings.TrimSpace(f.Notes)
	if n := utf8.RuneCountInString(f.Name); n < 1 || n > 64 {
		return Invalid("驻点名称须为 1–64 个字符")
	}
	if n := utf8.RuneCountInString(f.Address); n < 1 || n > 200 {
		return Invalid("地址须为 1–200 个字符")
	}
	if utf8.RuneCountInString(f.Notes) > 500 {
		return Invalid("备注不能超过 500 个字符")
	}
	return ValidateLocation(f.Lat, f.Lng)
}

// NewPoint builds a point in a community org.
func NewPoint(org *Org, f PointFields, now time.Time) (*Point, error) {
	if org.Kind != OrgCommunity {
		return nil, Invalid("驻点须设在社区（村）一级机构下")
	}
	if !org.Active {
		return nil, E(CodeConflict, "机构已停用")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &Point{OrgID: org.ID, Name: f.Name, Address: f.Address, Lat: f.Lat, Lng: f.Lng, Notes: f.Notes,
		Active: true, CreatedAt: now, UpdatedAt: now, OrgPath: org.Path, OrgName: org.Name}, nil
}

// Edit replaces the editable fields.
func (p *Point) Edit(f PointFields, now time.Time) error {
	if err := f.Validate(); err != nil {
		return err
	}
	p.Name, p.Address, p.Lat, p.Lng, p.Notes = f.Name, f.Address, f.Lat, f.Lng, f.Notes
	p.UpdatedAt = now
	return nil
}

// SetActive opens or closes the point for new sessions and bookings.
func (p *Point) SetActive(active bool, now time.Time) {
	p.Active = active
	p.UpdatedAt = now
}

// HostAllowed reports whether a staff account may host at a point of the
// community at communityPath: a cadre of that community or of its town.
func HostAllowed(a *Account, communityPath string) bool {
	if a.Role != RoleCadre || !a.Active() {
		return false
	}
	if a.OrgPath == communityPath {
		return true
	}
	// The town is the community's parent: its path is the community path minus the last id.
	trimmed := strings.TrimSuffix(communityPath, "/")
	i := strings.LastIndexByte(trimmed, '/')
	return i > 0 && a.OrgPath == trimmed[:i+1] && a.OrgKind == OrgTown
}

// PointFilter narrows the point list.
type PointFilter struct {
	OrgPath    string // subtree (required)
	ActiveOnly bool
	Near       *LatLng
	Cursor     string
	Size       int
}

// LatLng is a WGS-84 location.
type LatLng struct{ Lat, Lng float64 }
