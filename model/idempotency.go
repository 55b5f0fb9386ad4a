package model

import "time"

// IdempotencyRecord remembers the first response to a POST carrying an
// Idempotency-Key, so a retry gets the same answer and never a second row.
type IdempotencyRecord struct {
	ID          int64       `gorm:"primaryKey"`
	SubjectKind SubjectKind // who sent it
	SubjectID   int64
	Scope       string // the operation, e.g. "request.submit"
	IdemKey     string
	BodyHash    string // SHA-256 of the normalised input
	Status      int    // HTTP status of the first response
	Response    []byte // its body
	TargetID    *int64 // the row it created
	CreatedAt   time.Time
}

// ValidIdempotencyKey checks a client's key: 1–64 printable ASCII characters.
func ValidIdempotencyKey(k string) error {
	if len(k) < 1 || len(k) > 64 {
		return Invalid("Idempotency-Key 须为 1–64 个字符")
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return Invalid("Idempotency-Key 只能包含可见 ASCII 字符")
		}
	}
	return nil
}
