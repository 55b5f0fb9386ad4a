package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"zhilian/service"
)

// Dir is a folder of blobs. Writes go to a temporary file that is synced and
// renamed, so a crash never leaves a half-written file under a key.
type Dir struct {
	root string
	now  func() time.Time
}

// NewDir uses root (created if missing) for blobs.
func NewDir(root string, now func() time.Time) (*Dir, error) {
	if root == "" {
		return nil, errEmptyDir
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("blob: data folder: %w", err)
	}
	return &Dir{root: root, now: now}, nil
}

// Put stores data under a new key "uploads/YYYYMM/<random>.<ext>".
func (d *Dir) Put(_ context.Context, data []byte, ext string) (string, error) {
	key, err := newKey(d.now(), ext)
	if err != nil {
		return "", err
	}
	path := filepath.Join(d.root, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return key, nil
}

func (d *Dir) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Open opens a blob for reading; a missing one is ErrNotFound.
func (d *Dir) Open(_ context.Context, key string) (io.ReadSeekCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err) // os.ErrNotExist is ErrNotFound
	}
	return f, nil
}

// Remove deletes a blob; a missing one is not an error.
func (d *Dir) Remove(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

var _ service.Blobs = (*Dir)(nil)
