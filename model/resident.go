package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

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
	ID          int64   `gorm:"primaryKey"`
	OpenID      *string `gorm:"column:openid"`
	UnionID     *string `gorm:"column:unionid"`
	Name        string
	PhoneEnc    []byte
	PhoneHash   *string
	CommunityID *int64
	Residency   *Residency
	Address     string
	ElderMode   bool
	Status      ResidentStatus
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   *time.Time
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

// ProfileChange is a resident's edit of their profile; nil fields stay. The
// phone arrives sealed (encrypted and hashed) by the service.
type ProfileChange struct {
	Name        *string
	Community   *Org
	Residency   *Residency
	Address     *string
	ElderMode   *bool
	PhoneSealed *SealedPhone // set: replace; PhoneClear: remove
	PhoneClear  bool
}

// SealedPhone is a phone number encrypted for storage, with its keyed hash for lookup.
type SealedPhone struct {
	Enc  []byte
	Hash string
}

// UpdateProfile validates and applies a profile edit.
func (r *Resident) UpdateProfile(ch ProfileChange, now time.Time) error {
	if !r.Active() {
		return Transition("修改资料", "已注销")
	}
	next := *r
	if ch.Name != nil {
		name := strings.TrimSpace(*ch.Name)
		if name != "" {
			if err := ValidatePersonName(name); err != nil {
				return err
			}
		}
		next.Name = name
	}
	if ch.Community != nil {
		if ch.Community.Kind != OrgCommunity || !ch.Community.Active {
			return Invalid("所选社区不存在或已停用")
		}
		id := ch.Community.ID
		next.CommunityID = &id
	}
	if ch.Residency != nil {
		if !ch.Residency.Valid() {
			return Invalid("户籍类型须为 hukou 或 non_hukou")
		}
		v := *ch.Residency
		next.Residency = &v
	}
	if ch.Address != nil {
		addr := strings.TrimSpace(*ch.Address)
		if utf8.RuneCountInString(addr) > MaxAddress {
			return Invalid("地址不能超过 %d 个字符", MaxAddress)
		}
		next.Address = addr
	}
	if ch.ElderMode != nil {
		next.ElderMode = *ch.ElderMode
	}
	switch {
	case ch.PhoneSealed != nil:
		h := ch.PhoneSealed.Hash
		next.PhoneEnc, next.PhoneHash = ch.PhoneSealed.Enc, &h
	case ch.PhoneClear:
		next.PhoneEnc, next.PhoneHash = nil, nil
	}
	next.UpdatedAt = now
	*r = next
	return nil
}

// Erase deletes the account: personal data and the WeChat link are removed,
// the row stays (as deleted) so the resident's requests remain counted.
func (r *Resident) Erase(now time.Time) error {
	if !r.Active() {
		return Transition("注销账号", "已注销")
	}
	r.OpenID, r.UnionID, r.Name, r.PhoneEnc, r.PhoneHash = nil, nil, "", nil, nil
	r.Address, r.ElderMode, r.Status = "", false, ResidentDeleted
	r.UpdatedAt, r.DeletedAt = now, &now
	return nil
}

// PhoneVisibleTo reports whether viewer may see a resident's phone unmasked:
// the resident themself, or staff of the org that handles their item (pass
// that org's path; "" when there is no item). Everyone else sees it masked.
func PhoneVisibleTo(viewer *Principal, residentID int64, handlingOrgPath string) bool {
	switch {
	case viewer == nil:
		return false
	case viewer.Kind == SubjectResident:
		return viewer.ID == residentID
	case viewer.IsStaff():
		return handlingOrgPath != "" && viewer.OrgPath == handlingOrgPath
	}
	return false
}
