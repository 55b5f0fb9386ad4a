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
	ID         int64 `gorm:"primaryKey"`
	OwnerKind  SubjectKind
	OwnerID    *int64 // nil once the owner deleted their account
	SHA256     string `gorm:"column:sha256"`
	Size       int64
	Mime       string
	Width      int
	Height     int
	StorageKey string
	CreatedAt  time.Time
}

// OwnedBy reports whether the principal uploaded it.
func (u *Upload) OwnedBy(p *Principal) bool {
	return p != nil && u.OwnerID != nil && u.OwnerKind == p.Kind && *u.OwnerID == p.ID
}
