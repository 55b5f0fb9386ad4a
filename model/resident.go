package model

import "time"

// Residency says whether a resident holds local hukou (户籍) or is a non-hukou
// permanent resident (非户籍常住人口); both take part on equal terms.
type Residency string

// Residency types.
const (
	Hukou    Residency = "hukou"
	NonHukou Residency = "non_hukou"
)

// Valid reports whether r is a known residency type.
func (r Residency) Valid() bool { return r == Hukou || r == NonHukou }

// ResidentStatus of a resident account.
type ResidentStatus string

// Resident statuses. A deleted resident's personal data is erased; their
// requests stay, anonymised, so the statistics remain true.
const (
	ResidentActive  ResidentStatus = "active"
	ResidentDeleted ResidentStatus = "deleted"
)

// Resident is a person who signs in with WeChat.
type Resident struct {
	ID          int64          `json:"id" gorm:"primaryKey"`
	OpenID      *string        `json:"-" gorm:"column:openid"`
	UnionID     *string        `json:"-" gorm:"column:unionid"`
	Name        string         `json:"name"`
	PhoneEnc    []byte         `json:"-"`
	PhoneHash   *string        `json:"-"`
	CommunityID *int64         `json:"community_id"`
	Residency   *Residency     `json:"residency"`
	Address     string         `json:"address"`
	ElderMode   bool           `json:"elder_mode"`
	Status      ResidentStatus `json:"status"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	DeletedAt   *time.Time     `json:"-"`
}

// NewResident is a resident on first WeChat sign-in.
func NewResident(openID, unionID string, now time.Time) *Resident {
	r := &Resident{OpenID: &openID, Status: ResidentActive, CreatedAt: now, UpdatedAt: now}
	if unionID != "" {
		r.UnionID = &unionID
	}
	return r
}

// Active reports whether the resident may sign in.
func (r *Resident) Active() bool { return r.Status == ResidentActive }

// Principal is the resident as a caller.
func (r *Resident) Principal() *Principal {
	return &Principal{Kind: SubjectResident, ID: r.ID, Name: r.Name, Role: RoleResident}
}
