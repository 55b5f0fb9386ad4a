// Package pii seals personal data at rest: AES-256-GCM encryption with a list
// of keys (the newest encrypts, every key decrypts, so rotation keeps old rows
// readable) and a keyed hash (HMAC-SHA256) for equality lookups.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// version is the first byte of every sealed value.
const version byte = 1

// ErrUnreadable means no configured key opens a sealed value.
var ErrUnreadable = errors.New("pii: sealed value cannot be opened with any configured key")

type key struct {
	aead cipher.AEAD
	mac  []byte // HMAC key derived from the data key
}

// Sealer encrypts and hashes personal data.
type Sealer struct {
	keys []key // newest first
}

// New builds a sealer from 32-byte keys, newest first.
func New(keys [][]byte) (*Sealer, error) {
	if len(keys) == 0 {
		return nil, errors.New("pii: no data key")
	}
	s := &Sealer{}
	for i, k := range keys {
		if len(k) != 32 {
			return nil, fmt.Errorf("pii: key %d is %d bytes, want 32", i, len(k))
		}
		encKey, err := hkdf.Key(sha256.New, k, nil, "zhilian pii aes-gcm v1", 32)
		if err != nil {
			return nil, err
		}
		macKey, err := hkdf.Key(sha256.New, k, nil, "zhilian pii lookup hash v1", 32)
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(encKey)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		s.keys = append(s.keys, key{aead: aead, mac: macKey})
	}
	return s, nil
}

// Seal encrypts plain with the newest key; purpose is bound as associated
// data, so a value sealed for one field does not open as another.
func (s *Sealer) Seal(plain, purpose string) ([]byte, error) {
	k := s.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte{version}, nonce...)
	return k.aead.Seal(out, nonce, []byte(plain), []byte(purpose)), nil
}

// Open decrypts a sealed value, trying every key.
func (s *Sealer) Open(sealed []byte, purpose string) (string, error) {
	if len(sealed) < 1 || sealed[0] != version {
		return "", ErrUnreadable
	}
	for _, k := range s.keys {
		n := k.aead.NonceSize()
		if len(sealed) < 1+n+k.aead.Overhead() {
			return "", ErrUnreadable
		}
		plain, err := k.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(purpose))
		if err == nil {
			return string(plain), nil
		}
	}
	return "", ErrUnreadable
}

// Hash is the lookup hash of a value under the newest key (hex).
func (s *Sealer) Hash(value, purpose string) string { return s.hash(s.keys[0], value, purpose) }

// Hashes are the lookup hashes under every key, for queries that must also
// find rows written before a rotation.
func (s *Sealer) Hashes(value, purpose string) []string {
	out := make([]string, len(s.keys))
	for i, k := range s.keys {
		out[i] = s.hash(k, value, purpose)
	}
	return out
}

func (s *Sealer) hash(k key, value, purpose string) string {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
