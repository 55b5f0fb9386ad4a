package service

import (
	"context"
	"time"

	"zhilian/model"
)

// ShareRepo stores the share links of requests.
type ShareRepo interface {
	// Share locks the request, runs check, and returns its link: the existing
	// one, or a new one with token (created true).
	Share(ctx context.Context, requestID int64, token string, now time.Time, check func(*model.Request) error) (*model.RequestShare, bool, error)
	// ByToken loads the request a token points at (not_found when none does).
	ByToken(ctx context.Context, token string) (*model.Request, error)
}

// SharedPerMinute is how many shared requests one IP may open per minute.
const SharedPerMinute = 60

// SharePage is the mini-program page that opens a share token.
const SharePage = "pages/shared/shared"

// SharedItem is a shared request as whoever opens its link sees it: the
// public item (no name, phone, address or photo; masked text) and its status
// steps (no notes, no names).
type SharedItem struct {
	PublicItem
	CategoryName  string
	CommunityName string
	Steps         []model.RequestEvent
}

// Shares lets a resident share one of their requests and shows a shared
// request to anybody holding its link.
type Shares struct {
	repo     ShareRepo
	requests *Requests
	similar  *Similar
	auth     *Auth
	now      func() time.Time
}

// NewShares builds the sharing service.
func NewShares(repo ShareRepo, requests *Requests, similar *Similar, auth *Auth, now func() time.Time) *Shares {
	return &Shares{repo: repo, requests: requests, similar: similar, auth: auth, now: now}
}

// Share returns the share link of one of the caller's requests, made the first
// time (created true). Anybody else's request is not found; a withdrawn
// one, or one waiting for moderation, cannot be shared (model.Request.Shown).
func (s *Shares) Share(ctx context.Context, p *model.Principal, requestID int64) (*model.RequestShare, bool, error) {
	token, err := model.NewShareToken()
	if err != nil {
		return nil, false, err
	}
	// Ownership is checked once, on the row the store locks.
	sh, created, err := s.repo.Share(ctx, requestID, token, s.now(), func(r *model.Request) error {
		if p.Kind != model.SubjectResident || !r.OwnedBy(p.ID) {
			return errRequestNotFound
		}
		return r.Shown()
	})
	if model.IsCode(err, model.CodeNotFound) {
		return nil, false, errRequestNotFound
	}
	return sh, created, err
}

// Shared is the public view of the request a share token points at, for
// anybody (rate limited per IP). A token of the wrong shape, an unknown one,
// and one whose request may no longer be shown are all not found.
func (s *Shares) Shared(ctx context.Context, ip, token string) (*SharedItem, error) {
	if err := s.auth.Limit(ctx, "shared:ip:"+ip, SharedPerMinute, time.Minute); err != nil {
		return nil, err
	}
	if !model.ValidShareToken(token) {
		return nil, errRequestNotFound
	}
	r, err := s.repo.ByToken(ctx, token)
	if model.IsCode(err, model.CodeNotFound) {
		return nil, errRequestNotFound
	}
	if err != nil {
		return nil, err
	}
	if r.Shown() != nil {
		return nil, errRequestNotFound
	}
	counts, err := s.similar.repo.FollowerCounts(ctx, []int64{r.ID})
	if err != nil {
		return nil, err
	}
	pub, err := s.similar.public(ctx, r, counts[r.ID], s.now())
	if err != nil {
		return nil, err
	}
	events, err := s.requests.repo.Events(ctx, r.ID, true)
	if err != nil {
		return nil, err
	}
	out := &SharedItem{PublicItem: pub, Steps: statusSteps(events)}
	if c, err := s.similar.categories.Get(ctx, r.CategoryID); err == nil {
		out.CategoryName = c.Name
	} else if !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if o, err := s.similar.orgs.Get(ctx, r.CommunityID); err == nil {
		out.CommunityName = o.Name
	} else if !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	return out, nil
}

// statusSteps keeps the public events that changed the status, without their
// notes or names: the progress anybody may see of an item that is not theirs.
func statusSteps(events []model.RequestEvent) []model.RequestEvent {
	out := []model.RequestEvent{}
	for _, e := range events {
		if e.FromStatus != e.ToStatus {
			e.Note, e.ActorName, e.ActorID, e.Detail = "", "", nil, ""
			out = append(out, e)
		}
	}
	return out
}
