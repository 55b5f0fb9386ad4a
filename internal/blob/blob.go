// Package blob stores files under the data folder (ZL_DATA_DIR) by opaque
// keys. Writes go to a temporary file that is synced and renamed, so a crash
// never leaves a half-written file under a key.
package blob

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"zhilian/service"
)

// Dir is a folder of blobs.
type Dir struct {
	root string
	now  func() time.Time
}

// New uses root (created if missing) for blobs.
func New(root string, now func() time.Time) (*Dir, error) {
	if root == "" {
		return nil, errors.New("blob: empty data folder")
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("blob: data folder: %w", err)
	}
	return &Dir{root: root, now: now}, nil
}

var keyRe = regexp.MustCompile(`^uploads/[0-9]{6}/[0-9a-f]{32}\.(jpg|png|webp)$`)

// Put stores data under a new key "uploads/YYYYMM/<random>.<ext>".
func (d *Dir) Put(data []byte, ext string) (string, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	key := fmt.Sprintf("uploads/%s/%s%s", d.now().UTC().Format("200601"), hex.EncodeToString(raw), ext)
	if !keyRe.MatchString(key) {
		return "", fmt.Errorf("blob: bad extension %q", ext)
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
	if !keyRe.MatchString(key) {
		return "", fmt.Errorf("blob: invalid key %q", key)
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Open opens a blob for reading.
func (d *Dir) Open(key string) (io.ReadSeekCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// Remove deletes a blob; a missing one is not an error.
func (d *Dir) Remove(key string) error {
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
