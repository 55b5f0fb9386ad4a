package service

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"zhilian/model"
)

// PhonePurpose binds sealed phone numbers to their field.
const PhonePurpose = "resident.phone"

// PhoneSealer encrypts phone numbers at rest and hashes them for lookup.
type PhoneSealer interface {
	Seal(plain, purpose string) ([]byte, error)
	Open(sealed []byte, purpose string) (string, error)
	Hash(value, purpose string) string
}

// PhoneSource exchanges WeChat's phone-button code for the number.
type PhoneSource interface {
	PhoneNumber(ctx context.Context, code string) (string, error)
}

// ProfileRepo reads, edits and erases residents.
type ProfileRepo interface {
	Get(ctx context.Context, id int64) (*model.Resident, error)
	UpdateProfile(ctx context.Context, id int64, change func(*model.Resident) error) (*model.Resident, error)
	// Erase erases the resident and anonymises their requests in one
	// transaction; it returns the storage keys of uploads it deleted.
	Erase(ctx context.Context, id int64, now time.Time) ([]string, error)
}

// Profiles is a resident's own profile: personal data, residency, community,
// phone (sealed at rest), and deleting the account.
type Profiles struct {
	repo   ProfileRepo
	orgs   OrgReader
	sealer PhoneSealer
	phones PhoneSource
	blobs  Blobs
	auth   *Auth
	now    func() time.Time
	log    *slog.Logger
}

// ProfilesDeps are the collaborators of Profiles.
type ProfilesDeps struct {
	Repo   ProfileRepo
	Orgs   OrgReader
	Sealer PhoneSealer
	Phones PhoneSource
	Blobs  Blobs
	Auth   *Auth
	Now    func() time.Time
	Log    *slog.Logger
}

// NewProfiles builds the profile service.
func NewProfiles(d ProfilesDeps) *Profiles {
	return &Profiles{repo: d.Repo, orgs: d.Orgs, sealer: d.Sealer, phones: d.Phones, blobs: d.Blobs, auth: d.Auth,
		now: d.Now, log: d.Log}
}

// Profile is a resident with the phone number opened.
type Profile struct {
	*model.Resident
	Phone string
}

// ProfileInput is a profile edit; nil fields stay, an empty phone removes it.
type ProfileInput struct {
	Name        *string
	Phone       *string
	CommunityID *int64
	Residency   *model.Residency
	Address     *string
	ElderMode   *bool
}

// Get returns the caller's profile.
func (s *Profiles) Get(ctx context.Context, p *model.Principal) (*Profile, error) {
	r, err := s.repo.Get(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return s.open(ctx, r), nil
}

// open decrypts the phone; an unreadable value (a retired key) shows as none.
func (s *Profiles) open(ctx context.Context, r *model.Resident) *Profile {
	out := &Profile{Resident: r}
	if len(r.PhoneEnc) > 0 {
		phone, err := s.sealer.Open(r.PhoneEnc, PhonePurpose)
		if err != nil {
			s.log.ErrorContext(ctx, "resident phone unreadable with the configured keys", "resident_id", r.ID)
		}
		out.Phone = phone
	}
	return out
}

// Update edits the caller's profile.
func (s *Profiles) Update(ctx context.Context, p *model.Principal, in ProfileInput) (*Profile, error) {
	ch := model.ProfileChange{Name: in.Name, Residency: in.Residency, Address: in.Address, ElderMode: in.ElderMode}
	if in.Phone != nil {
		phone := strings.TrimSpace(*in.Phone)
		if phone == "" {
			ch.PhoneClear = true
		} else {
			sealed, err := s.seal(phone)
			if err != nil {
				return nil, err
			}
			ch.PhoneSealed = sealed
		}
	}
	if in.CommunityID != nil {
		o, err := s.orgs.Get(ctx, *in.CommunityID)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return nil, err
		}
		if err != nil || o.Kind != model.OrgCommunity || !o.Active {
			return nil, model.Invalid("所选社区不存在或已停用")
		}
		ch.Community = o
	}
	now := s.now()
	r, err := s.repo.UpdateProfile(ctx, p.ID, func(r *model.Resident) error { return r.UpdateProfile(ch, now) })
	if err != nil {
		return nil, err
	}
	return s.open(ctx, r), nil
}

// seal validates, encrypts and hashes a phone number.
func (s *Profiles) seal(phone string) (*model.SealedPhone, error) {
	if err := model.ValidatePhone(phone); err != nil {
		return nil, err
	}
	enc, err := s.sealer.Seal(phone, PhonePurpose)
	if err != nil {
		return nil, err
	}
	return &model.SealedPhone{Enc: enc, Hash: s.sealer.Hash(phone, PhonePurpose)}, nil
}

// PhoneFromWechat sets the caller's phone from WeChat's phone button.
func (s *Profiles) PhoneFromWechat(ctx context.Context, p *model.Principal, code string) (*Profile, error) {
	if err := s.auth.Limit(ctx, fmt.Sprintf("phone:resident:%d", p.ID), 10, time.Minute); err != nil {
		return nil, err
	}
	phone, err := s.phones.PhoneNumber(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.Update(ctx, p, ProfileInput{Phone: &phone})
}

// DeleteAccount erases the caller's personal data, keeps their requests
// anonymised (they stay counted), deletes their unused uploads and ends every
// session.
func (s *Profiles) DeleteAccount(ctx context.Context, p *model.Principal) error {
	keys, err := s.repo.Erase(ctx, p.ID, s.now())
	if err != nil {
		return err
	}
	if err := s.auth.RevokeAll(ctx, model.SubjectResident, p.ID); err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.blobs.Remove(ctx, k); err != nil {
			s.log.ErrorContext(ctx, "could not remove an erased resident's upload", "key", k, "err", err)
		}
	}
	s.log.InfoContext(ctx, "resident account deleted", "resident_id", p.ID, "uploads_removed", len(keys))
	return nil
}
