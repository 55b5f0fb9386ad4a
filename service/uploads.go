package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"zhilian/model"
)

// Image is an upload after cleaning: re-encoded bytes without metadata.
type Image struct {
	Data   []byte
	Mime   string
	Width  int
	Height int
}

// ImageCleaner sniffs an image from its bytes (JPEG, PNG, WebP), applies its
// orientation and re-encodes it so no metadata (EXIF, GPS) survives. It
// refuses images too costly to decode and may wait (bounded by ctx) for
// room among the decodes running at once.
type ImageCleaner interface {
	Clean(ctx context.Context, data []byte) (Image, error)
}

// Blobs stores files by key (a local folder or S3-compatible object
// storage). Open of a key that holds nothing wraps fs.ErrNotExist.
type Blobs interface {
	Put(ctx context.Context, data []byte, ext string) (key string, err error)
	Open(ctx context.Context, key string) (io.ReadSeekCloser, error)
	Remove(ctx context.Context, key string) error
}

// ImageLinks signs and checks the short-lived links that let an <image src>
// load an image without a Bearer header.
type ImageLinks interface {
	Sign(id int64) (exp int64, sig string)
	Verify(id, exp int64, sig string) error
}

// UploadRepo persists upload rows.
type UploadRepo interface {
	Create(ctx context.Context, u *model.Upload) error
	Get(ctx context.Context, id int64) (*model.Upload, error)
	// RequestOf is the request an upload is attached to (0 when none).
	RequestOf(ctx context.Context, uploadID int64) (int64, error)
}

// RequestGuard decides whether a caller may see a request: the resident who
// submitted it, or staff whose jurisdiction reaches its handling org. Uploads
// and the cadre side share it.
type RequestGuard interface {
	CanView(ctx context.Context, p *model.Principal, requestID int64) (bool, error)
}

// Uploads stores images and serves them to those allowed to see them.
type Uploads struct {
	repo    UploadRepo
	blobs   Blobs
	cleaner ImageCleaner
	guard   RequestGuard
	links   ImageLinks
	auth    *Auth
	now     func() time.Time
	log     *slog.Logger

	perCaller int // uploads one caller may have being cleaned at once
	mu        sync.Mutex
	inflight  map[string]int
}

// UploadsDeps are the collaborators of Uploads.
type UploadsDeps struct {
	Repo    UploadRepo
	Blobs   Blobs
	Cleaner ImageCleaner
	Guard   RequestGuard
	Links   ImageLinks
	Auth    *Auth
	Now     func() time.Time
	Log     *slog.Logger
}

// NewUploads builds the uploads service.
func NewUploads(d UploadsDeps) *Uploads {
	return &Uploads{repo: d.Repo, blobs: d.Blobs, cleaner: d.Cleaner, guard: d.Guard, links: d.Links, auth: d.Auth, now: d.Now, log: d.Log,
		perCaller: 2, inflight: map[string]int{}}
}

var extOf = map[string]string{model.MimeJPEG: ".jpg", model.MimePNG: ".png", model.MimeWebP: ".webp"}

// Upload reads an image (at most model.MaxUploadBytes), cleans it and stores it for the caller.
func (s *Uploads) Upload(ctx context.Context, p *model.Principal, r io.Reader) (*model.Upload, error) {
	if err := s.auth.Limit(ctx, fmt.Sprintf("upload:%s:%d", p.Kind, p.ID), 60, time.Hour); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, model.MaxUploadBytes+1))
	if err != nil {
		return nil, err // a body over the route's limit is too_large in the api
	}
	if len(data) > model.MaxUploadBytes {
		return nil, model.E(model.CodeTooLarge, "图片不能超过 5 MB")
	}
	if len(data) == 0 {
		return nil, model.Invalid("文件为空")
	}
	caller := fmt.Sprintf("%s:%d", p.Kind, p.ID)
	if !s.enter(caller) {
		return nil, &model.Error{Code: model.CodeRateLimited, Msg: "请等前面的图片上传完成再继续", RetryAfter: time.Second}
	}
	img, err := s.cleaner.Clean(ctx, data)
	s.leave(caller)
	if err != nil {
		return nil, err
	}
	key, err := s.blobs.Put(ctx, img.Data, extOf[img.Mime])
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(img.Data)
	owner := p.ID
	u := &model.Upload{OwnerKind: p.Kind, OwnerID: &owner, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(img.Data)),
		Mime: img.Mime, Width: img.Width, Height: img.Height, StorageKey: key, CreatedAt: s.now()}
	if err := s.repo.Create(ctx, u); err != nil {
		if rmErr := s.blobs.Remove(ctx, key); rmErr != nil {
			s.log.ErrorContext(ctx, "orphan upload file", "key", key, "err", rmErr)
		}
		return nil, err
	}
	return u, nil
}

// enter counts one more upload being cleaned for caller, unless it already
// has perCaller (one resident cannot take the whole decoding budget).
func (s *Uploads) enter(caller string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[caller] >= s.perCaller {
		return false
	}
	s.inflight[caller]++
	return true
}

func (s *Uploads) leave(caller string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[caller]--; s.inflight[caller] <= 0 {
		delete(s.inflight, caller)
	}
}

// Open returns an upload and its bytes to its uploader, or to whoever may see
// the request it is attached to; to anyone else it does not exist.
func (s *Uploads) Open(ctx context.Context, p *model.Principal, id int64) (*model.Upload, io.ReadSeekCloser, error) {
	notFound := model.E(model.CodeNotFound, "图片不存在")
	u, err := s.repo.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, nil, notFound
		}
		return nil, nil, err
	}
	if !u.OwnedBy(p) {
		reqID, err := s.repo.RequestOf(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		if reqID == 0 {
			return nil, nil, notFound
		}
		allowed, err := s.guard.CanView(ctx, p, reqID)
		if err != nil {
			return nil, nil, err
		}
		if !allowed {
			return nil, nil, notFound
		}
	}
	return s.openBlob(ctx, u)
}

func (s *Uploads) openBlob(ctx context.Context, u *model.Upload) (*model.Upload, io.ReadSeekCloser, error) {
	f, err := s.blobs.Open(ctx, u.StorageKey)
	if errors.Is(err, fs.ErrNotExist) {
		s.log.ErrorContext(ctx, "upload row without its file", "upload_id", u.ID)
		return nil, nil, model.E(model.CodeNotFound, "图片不存在")
	}
	if err != nil {
		return nil, nil, err
	}
	return u, f, nil
}

// Now is the service's clock.
func (s *Uploads) Now() time.Time { return s.now() }

// Link signs a short-lived link to an upload: its expiry (Unix seconds) and
// signature. Call it only for images the caller may see (the link is a
// bearer of that right until it expires).
func (s *Uploads) Link(id int64) (exp int64, sig string) { return s.links.Sign(id) }

// OpenLink serves an image through a signed link, without a sign-in: a link
// tampered with or expired is forbidden.
func (s *Uploads) OpenLink(ctx context.Context, id, exp int64, sig string) (*model.Upload, io.ReadSeekCloser, error) {
	if err := s.links.Verify(id, exp, sig); err != nil {
		return nil, nil, model.E(model.CodeForbidden, "图片链接无效或已过期，请刷新页面")
	}
	u, err := s.repo.Get(ctx, id)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, nil, model.E(model.CodeNotFound, "图片不存在")
		}
		return nil, nil, err
	}
	return s.openBlob(ctx, u)
}
