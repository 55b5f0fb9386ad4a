package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"zhilian/model"
)

// IntegratorRepo persists integrators and their API keys.
type IntegratorRepo interface {
	// CreateIntegrator inserts an integrator with its audit row; a taken name is already_exists.
	CreateIntegrator(ctx context.Context, it *model.Integrator, audit func(*model.Integrator) *model.AuditLog) error
	// Integrators lists integrators by id, with their active key count and last use.
	Integrators(ctx context.Context, cursor string, size int) (model.Page[model.Integrator], error)
	Integrator(ctx context.Context, id int64) (*model.Integrator, error)
	// CreateKey inserts a key with its audit row.
	CreateKey(ctx context.Context, k *model.APIKey, audit func(*model.APIKey) *model.AuditLog) error
	// Keys lists an integrator's keys, newest first, revoked ones included.
	Keys(ctx context.Context, integratorID int64) ([]model.APIKey, error)
	// ChangeKey locks an integrator's key, applies change and saves it with the audit row.
	ChangeKey(ctx context.Context, integratorID, keyID int64, change func(*model.APIKey) (*model.AuditLog, error)) (*model.APIKey, error)
	// KeyByHash loads a key (with its org's path and the integrator's name) by the hash of the key.
	KeyByHash(ctx context.Context, hash string) (*model.APIKey, error)
	// TouchKey records that the key was used at now (at most once a minute).
	TouchKey(ctx context.Context, id int64, now time.Time) error
}

// Integrators is the city admins' management of Open311 integrators and
// their API keys, and the check of a key on every Open311 call.
type Integrators struct {
	repo IntegratorRepo
	orgs OrgReader
	now  func() time.Time
}

// NewIntegrators builds the integrators service.
func NewIntegrators(repo IntegratorRepo, orgs OrgReader, now func() time.Time) *Integrators {
	return &Integrators{repo: repo, orgs: orgs, now: now}
}

const integratorsAdminOnly = "仅市级管理员可以管理开放接口的对接方与密钥"

var errIntegratorNotFound = model.E(model.CodeNotFound, "对接方不存在")

// Create adds an integrator (city admins).
func (s *Integrators) Create(ctx context.Context, p *model.Principal, actor model.Actor, name, contact string) (*model.Integrator, error) {
	if err := rootAdmin(p, integratorsAdminOnly); err != nil {
		return nil, err
	}
	now := s.now()
	it, err := model.NewIntegrator(name, contact, p.ID, now)
	if err != nil {
		return nil, err
	}
	err = s.repo.CreateIntegrator(ctx, it, func(it *model.Integrator) *model.AuditLog {
		return actor.Audit("integrator.create", "integrator", it.ID, "name="+it.Name, now)
	})
	if model.IsCode(err, model.CodeAlreadyExists) {
		return nil, model.E(model.CodeAlreadyExists, "已有同名对接方")
	}
	return it, err
}

// List lists integrators (city admins).
func (s *Integrators) List(ctx context.Context, p *model.Principal, cursor string, size int) (model.Page[model.Integrator], error) {
	if err := rootAdmin(p, integratorsAdminOnly); err != nil {
		return model.Page[model.Integrator]{}, err
	}
	return s.repo.Integrators(ctx, cursor, size)
}

// Get returns one integrator with its keys (city admins).
func (s *Integrators) Get(ctx context.Context, p *model.Principal, id int64) (*model.Integrator, []model.APIKey, error) {
	if err := rootAdmin(p, integratorsAdminOnly); err != nil {
		return nil, nil, err
	}
	it, err := s.repo.Integrator(ctx, id)
	if model.IsCode(err, model.CodeNotFound) {
		return nil, nil, errIntegratorNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	keys, err := s.repo.Keys(ctx, id)
	return it, keys, err
}

// Keys lists an integrator's keys with status and last use (city admins).
func (s *Integrators) Keys(ctx context.Context, p *model.Principal, id int64) ([]model.APIKey, error) {
	_, keys, err := s.Get(ctx, p, id)
	return keys, err
}

// KeyInput is what an admin sets on a new key.
type KeyInput struct {
	OrgID         int64 // scope; 0: the admin's own org (the city)
	RatePerMinute int   // 0: model.DefaultKeyRate
	Note          string
}

// IssuedKey is a new key: the secret is in Key, shown this once.
type IssuedKey struct {
	*model.APIKey
	Key string
}

// keyPrefix starts every key, so a leaked one is recognisable.
const keyPrefix = "zl311_"

// Issue makes a new random key for an integrator (city admins). Only its
// SHA-256 is stored; the key is returned this once.
func (s *Integrators) Issue(ctx context.Context, p *model.Principal, actor model.Actor, integratorID int64, in KeyInput) (*IssuedKey, error) {
	if err := rootAdmin(p, integratorsAdminOnly); err != nil {
		return nil, err
	}
	it, err := s.repo.Integrator(ctx, integratorID)
	if err != nil {
		if model.IsCode(err, model.CodeNotFound) {
			return nil, errIntegratorNotFound
		}
		return nil, err
	}
	if in.OrgID == 0 {
		in.OrgID = p.OrgID
	}
	org, err := s.orgs.Get(ctx, in.OrgID)
	if err != nil && !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if err != nil || !p.Reaches(org.Path) {
		return nil, model.Invalid("密钥的辖区机构不存在")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("issue api key: %w", err)
	}
	secret := keyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	k, err := model.NewAPIKey(integratorID, org, in.RatePerMinute, in.Note, secret[:model.KeyPrefixLen], HashToken(secret), p.ID, now)
	if err != nil {
		return nil, err
	}
	k.IntegratorName = it.Name
	err = s.repo.CreateKey(ctx, k, func(k *model.APIKey) *model.AuditLog {
		return actor.Audit("api_key.issue", "api_key", k.ID,
			fmt.Sprintf("integrator_id=%d org_id=%d rate=%d prefix=%s", k.IntegratorID, k.OrgID, k.RatePerMinute, k.Prefix), now)
	})
	if err != nil {
		return nil, err
	}
	return &IssuedKey{APIKey: k, Key: secret}, nil
}

// Revoke stops a key at once (city admins); the next call with it gets 403.
func (s *Integrators) Revoke(ctx context.Context, p *model.Principal, actor model.Actor, integratorID, keyID int64) (*model.APIKey, error) {
	if err := rootAdmin(p, integratorsAdminOnly); err != nil {
		return nil, err
	}
	now := s.now()
	k, err := s.repo.ChangeKey(ctx, integratorID, keyID, func(k *model.APIKey) (*model.AuditLog, error) {
		if err := k.Revoke(p.ID, now); err != nil {
			return nil, err
		}
		return actor.Audit("api_key.revoke", "api_key", k.ID, fmt.Sprintf("integrator_id=%d prefix=%s", k.IntegratorID, k.Prefix), now), nil
	})
	if model.IsCode(err, model.CodeNotFound) {
		return nil, model.E(model.CodeNotFound, "密钥不存在")
	}
	return k, err
}

// errBadKey is the answer to a missing, unknown or revoked key.
var errBadKey = model.E(model.CodeForbidden, "api_key 无效或已吊销")

// Authenticate resolves an API key to its active record, and records its use.
func (s *Integrators) Authenticate(ctx context.Context, key string) (*model.APIKey, error) {
	if key == "" || len(key) > 128 {
		return nil, errBadKey
	}
	k, err := s.repo.KeyByHash(ctx, HashToken(key))
	if model.IsCode(err, model.CodeNotFound) {
		return nil, errBadKey
	}
	if err != nil {
		return nil, err
	}
	if k.Status() != model.KeyActive {
		return nil, errBadKey
	}
	if err := s.repo.TouchKey(ctx, k.ID, s.now()); err != nil {
		return nil, err
	}
	return k, nil
}
