package blob

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"time"
)

// LinkTTL is how long a signed image link works (at least; expiries are
// rounded up to the minute so a page shows the same link for a minute and the
// client's image cache works).
const LinkTTL = 10 * time.Minute

// ErrBadLink is a signed link that was tampered with or has expired.
var ErrBadLink = errors.New("blob: link invalid or expired")

// Signer makes and checks the short-lived links of images: an HMAC-SHA256
// over the upload id and the expiry, so an <image src> loads the image
// without a Bearer header and a link cannot be widened to another image or a
// later time. Keys are derived from the personal-data keys (ZL_DATA_KEY): every
// instance sharing them accepts every other's links; the newest key signs,
// each key verifies, so a key rotation does not break links in flight.
type Signer struct {
	keys [][]byte
	now  func() time.Time
}

// NewSigner derives the link keys from the data keys (newest first).
func NewSigner(dataKeys [][]byte, now func() time.Time) (*Signer, error) {
	if len(dataKeys) == 0 {
		return nil, errors.New("blob: no key to sign links with")
	}
	s := &Signer{now: now}
	for _, k := range dataKeys {
		m := hmac.New(sha256.New, k)
		m.Write([]byte("zhilian image link v1")) // a key of its own: never the data key itself
		s.keys = append(s.keys, m.Sum(nil))
	}
	return s, nil
}

func mac(key []byte, id, exp int64) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strconv.FormatInt(id, 10) + "." + strconv.FormatInt(exp, 10)))
	return m.Sum(nil)[:16]
}

// Sign returns the expiry (Unix seconds) and signature of a link to upload id.
func (s *Signer) Sign(id int64) (exp int64, sig string) {
	t := s.now().Add(LinkTTL)
	exp = t.Unix()
	if r := exp % 60; r != 0 {
		exp += 60 - r
	}
	return exp, base64.RawURLEncoding.EncodeToString(mac(s.keys[0], id, exp))
}

// Verify checks a link: ErrBadLink when the signature does not match or the
// expiry has passed.
func (s *Signer) Verify(id, exp int64, sig string) error {
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || len(got) != 16 {
		return ErrBadLink
	}
	if s.now().Unix() > exp || exp-s.now().Unix() > int64((LinkTTL+time.Minute)/time.Second) {
		return ErrBadLink // expired, or further out than any link this server signs
	}
	for _, k := range s.keys {
		if hmac.Equal(mac(k, id, exp), got) {
			return nil
		}
	}
	return ErrBadLink
}
