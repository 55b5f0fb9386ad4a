package model

import "time"

// Upload limits.
const (
	MaxUploadBytes = 5 << 20 // 5 MB per image
	MaxImageSide   = 2048    // longer side after re-encoding
)

// Image types accepted for upload (sniffed from the bytes).
const (
	MimeJPEG = "image/jpeg"
	MimePNG  = "image/png"
	MimeWebP = "image/webp"
)

// Upload is a stored image: re-encoded (no metadata), owned by the resident or
// staff member who sent it, and linked to at most one request.
type Upload struct {
	ID         int64       `json:"id" gorm:"primaryKey"`
	OwnerKind  SubjectKind `json:"-"`
	OwnerID    *int64      `json:"-"` // nil once the owner deleted their account
	SHA256     string      `json:"sha256" gorm:"column:sha256"`
	Size       int64       `json:"size"`
	Mime       string      `json:"mime"`
	Width      int         `json:"width"`
	Height     int         `json:"height"`
	StorageKey string      `json:"-"`
	CreatedAt  time.Time   `json:"created_at"`
}

// OwnedBy reports whether the principal uploaded it.
func (u *Upload) OwnedBy(p *Principal) bool {
	return p != nil && u.OwnerID != nil && u.OwnerKind == p.Kind && *u.OwnerID == p.ID
}
