package store

import (
	"context"

	"zhilian/model"
	"zhilian/service"
)

// Directory reads orgs and their staff for the choices of work actions.
type Directory struct {
	*Orgs
	accounts *Accounts
}

var _ service.TargetDirectory = (*Directory)(nil)

// Directory returns the org and staff directory.
func (s *Store) Directory() *Directory { return &Directory{Orgs: s.Orgs(), accounts: s.Accounts()} }

// StaffOf lists the accounts of one org, by name.
func (d *Directory) StaffOf(ctx context.Context, orgID int64) ([]model.Account, error) {
	var out []model.Account
	err := d.accounts.joined(ctx).Where("accounts.org_id = ?", orgID).Order("accounts.name, accounts.id").Find(&out).Error
	return out, translate(err)
}
