package store

import (
	"context"

	"gorm.io/gorm"
)

// Tx exposes the transaction helper to the store's tests.
func (s *Store) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.tx(ctx, "test", fn)
}
