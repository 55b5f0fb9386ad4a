package store

import (
	"context"

	"zhilian/model"
	"zhilian/service"
)

// Uploads persists upload rows (the bytes are in service.Blobs).
type Uploads struct{ s *Store }

// Uploads returns the upload repository.
func (s *Store) Uploads() *Uploads { return &Uploads{s} }

// Create inserts an upload.
func (r *Uploads) Create(ctx context.Context, u *model.Upload) error {
	return translate(r.s.db.WithContext(ctx).Create(u).Error)
}

// Get loads an upload.
func (r *Uploads) Get(ctx context.Context, id int64) (*model.Upload, error) {
	var u model.Upload
	if err := r.s.db.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// RequestOf is the request the upload is attached to, 0 when none.
func (r *Uploads) RequestOf(ctx context.Context, uploadID int64) (int64, error) {
	var ids []int64
	err := r.s.db.WithContext(ctx).Table("request_images").Where("upload_id = ?", uploadID).Limit(1).Pluck("request_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, translate(err)
	}
	return ids[0], nil
}

var _ service.UploadRepo = (*Uploads)(nil)
