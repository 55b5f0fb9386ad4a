package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"zhilian/service"
)

// S3 keeps blobs in a bucket of S3-compatible object storage, shared by every
// instance of the server.
type S3 struct {
	c      *minio.Client
	bucket string
	prefix string
	now    func() time.Time
}

var contentTypes = map[string]string{".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}

// NewS3 connects to the bucket u names (s3://bucket?endpoint=…) and checks
// that it exists and answers: a wrong endpoint, key or bucket stops the
// start-up with a readable error instead of failing every upload later.
func NewS3(ctx context.Context, u *url.URL, cred Credentials, now func() time.Time) (*S3, error) {
	q := u.Query()
	endpoint, secure := q.Get("endpoint"), true
	if scheme, host, ok := strings.Cut(endpoint, "://"); ok {
		endpoint, secure = host, scheme == "https"
	}
	if v := q.Get("secure"); v != "" {
		secure = v != "false" && v != "0"
	}
	lookup := minio.BucketLookupAuto
	switch q.Get("lookup") {
	case "path":
		lookup = minio.BucketLookupPath
	case "dns":
		lookup = minio.BucketLookupDNS
	case "":
	default:
		return nil, fmt.Errorf("blob: ZL_BLOB_URL lookup must be path or dns, not %q", q.Get("lookup"))
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 15 * time.Second
	c, err := minio.New(endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cred.AccessKey, cred.SecretKey, ""),
		Secure:       secure,
		Region:       q.Get("region"),
		BucketLookup: lookup,
		Transport:    tr,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: s3 client: %w", err)
	}
	s := &S3{c: c, bucket: u.Host, prefix: strings.TrimPrefix(q.Get("prefix"), "/"), now: now}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ok, err := c.BucketExists(cctx, s.bucket)
	if err != nil {
		return nil, fmt.Errorf("blob: s3 bucket %s at %s: %w", s.bucket, endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("blob: s3 bucket %s does not exist at %s (create it first)", s.bucket, endpoint)
	}
	return s, nil
}

// Put stores data under a new key "uploads/YYYYMM/<random>.<ext>".
func (s *S3) Put(ctx context.Context, data []byte, ext string) (string, error) {
	key, err := newKey(s.now(), ext)
	if err != nil {
		return "", err
	}
	_, err = s.c.PutObject(ctx, s.bucket, s.prefix+key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: contentTypes[ext], DisableMultipart: true})
	if err != nil {
		return "", fmt.Errorf("blob: s3 put %s: %w", key, err)
	}
	return key, nil
}

// Open reads a blob (ranged reads as the caller seeks); a missing one is ErrNotFound.
func (s *S3) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	obj, err := s.c.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err == nil {
		_, err = obj.Stat() // GetObject is lazy: ask now, so a missing key is an error here
	}
	if err != nil {
		if obj != nil {
			obj.Close()
		}
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, fmt.Errorf("blob: s3 open %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("blob: s3 open %s: %w", key, err)
	}
	return obj, nil
}

// Remove deletes a blob; a missing one is not an error.
func (s *S3) Remove(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := s.c.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("blob: s3 remove %s: %w", key, err)
	}
	return nil
}

var _ service.Blobs = (*S3)(nil)
