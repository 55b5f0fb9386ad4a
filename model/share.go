package model

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"time"
)

// ShareTokenBytes is the randomness of a share token: 128 bits, written as 22
// base64url characters. Request numbers and ids are sequential; the token is
// what makes a shared link impossible to guess.
const ShareTokenBytes = 16

var shareTokenRe = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// RequestShare is the link a resident made to show one of their requests to
// others (the mini-program's share card): one per request, made on demand,
// found by its token.
type RequestShare struct {
	RequestID int64 `gorm:"primaryKey"`
	Token     string
	CreatedAt time.Time
}

// NewShareToken returns a fresh random share token.
func NewShareToken() (string, error) {
	b := make([]byte, ShareTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("share token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ValidShareToken reports whether s has the shape of a share token (anything
// else is not looked up).
func ValidShareToken(s string) bool { return shareTokenRe.MatchString(s) }

// Shown reports whether a shared request may be shown to whoever opens its
// link, and if not why. The rule has this one home: the owner may share an
// item, and others see it, only while it is not withdrawn (the resident took
// it back), not waiting for a cadre's moderation (WeChat's check did not pass
// it) and not anonymised (its resident erased their account). What is shown
// is the public view of any item residents see of each other (no name, phone,
// address or photo; masked text: service.PublicItem) with its status steps
// (no notes, no names).
func (r *Request) Shown() error {
	switch {
	case r.Status == StatusWithdrawn:
		return E(CodeInvalidTransition, "已撤回的诉求不能分享")
	case r.AnonymizedAt != nil:
		return E(CodeNotFound, "诉求不存在")
	case r.FlaggedForReview:
		return E(CodeInvalidTransition, "诉求正在审核，暂不能分享")
	}
	return nil
}
