package service

import (
	"context"
	"fmt"
	"log/slog"

	"zhilian/model"
)

// StaffPhonePurpose binds sealed staff phone numbers to their field.
const StaffPhonePurpose = "staff.phone"

// StaffPhones keeps staff phone numbers encrypted at rest, as residents' are
// (internal/pii): Seal fills Account.PhoneEnc, Reveal fills Account.Phone for
// the API. Every service that returns accounts reveals through it.
type StaffPhones struct {
	sealer PhoneSealer
	log    *slog.Logger
}

// NewStaffPhones builds the helper over the PII sealer.
func NewStaffPhones(s PhoneSealer, log *slog.Logger) *StaffPhones {
	return &StaffPhones{sealer: s, log: log}
}

// Seal stores phone on the account, encrypted; "" clears it.
func (p *StaffPhones) Seal(a *model.Account, phone string) error {
	a.Phone = phone
	if phone == "" {
		a.PhoneEnc = nil
		return nil
	}
	enc, err := p.sealer.Seal(phone, StaffPhonePurpose)
	if err != nil {
		return fmt.Errorf("seal staff phone: %w", err)
	}
	a.PhoneEnc = enc
	return nil
}

// SealPlain encrypts a plain number (the start-up move of numbers stored
// before they were encrypted).
func (p *StaffPhones) SealPlain(phone string) ([]byte, error) {
	return p.sealer.Seal(phone, StaffPhonePurpose)
}

// Reveal decrypts the phone numbers of accounts read from the store; an
// unreadable value (a retired key) shows as none and is logged.
func (p *StaffPhones) Reveal(ctx context.Context, accs ...*model.Account) {
	for _, a := range accs {
		if a == nil || len(a.PhoneEnc) == 0 {
			continue
		}
		phone, err := p.sealer.Open(a.PhoneEnc, StaffPhonePurpose)
		if err != nil {
			p.log.ErrorContext(ctx, "staff phone unreadable with the configured keys", "account_id", a.ID)
		}
		a.Phone = phone
	}
}
