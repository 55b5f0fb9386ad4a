// Package blob keeps uploaded files by opaque keys, on a local folder (the
// zero-setup default) or in S3-compatible object storage shared by every
// instance (Tencent COS, Aliyun OSS, MinIO, SeaweedFS…), chosen by
// ZL_BLOB_URL. It also signs the short-lived image links (sign.go).
package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"time"

	"zhilian/service"
)

// ErrNotFound is returned (wrapped) by Open for a key that holds nothing.
var ErrNotFound = fs.ErrNotExist

// Credentials are the access keys of an s3:// store.
type Credentials struct {
	AccessKey string
	SecretKey string
}

// Open builds the store rawURL names:
//
//	file:./data, file:///var/lib/zhilian    a folder (created if missing)
//	s3://bucket?endpoint=host:port&region=r  a bucket (it must exist); optional
//	  secure=false (plain HTTP), lookup=path|dns (addressing style; default
//	  auto), prefix=p/ (a folder inside the bucket)
func Open(ctx context.Context, rawURL string, cred Credentials, now func() time.Time) (service.Blobs, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("blob: ZL_BLOB_URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		dir := u.Opaque
		if dir == "" {
			dir = u.Path
		}
		return NewDir(dir, now)
	case "s3":
		return NewS3(ctx, u, cred, now)
	}
	return nil, fmt.Errorf("blob: unsupported ZL_BLOB_URL scheme %q", u.Scheme)
}

var keyRe = regexp.MustCompile(`^uploads/[0-9]{6}/[0-9a-f]{32}\.(jpg|png|webp)$`)

// newKey makes a key "uploads/YYYYMM/<random>.<ext>".
func newKey(now time.Time, ext string) (string, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	key := fmt.Sprintf("uploads/%s/%s%s", now.UTC().Format("200601"), hex.EncodeToString(raw), ext)
	if !keyRe.MatchString(key) {
		return "", fmt.Errorf("blob: bad extension %q", ext)
	}
	return key, nil
}

func checkKey(key string) error {
	if !keyRe.MatchString(key) {
		return fmt.Errorf("blob: invalid key %q", key)
	}
	return nil
}

var errEmptyDir = errors.New("blob: empty data folder")
