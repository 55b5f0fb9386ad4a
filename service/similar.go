package service

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"zhilian/model"
)

// TextSimilarity compares what requests say (internal/similar implements it).
type TextSimilarity interface {
	// Match returns the candidates that look like the query, best first, at most limit.
	Match(q model.SimilarDoc, cands []model.SimilarDoc, limit int) ([]model.SimilarMatch, error)
	// Group clusters documents into topics, largest first.
	Group(docs []model.SimilarDoc) ([]model.TopicGroup, error)
	// Excerpt is the public, masked beginning of a text; names are masked wherever they appear.
	Excerpt(text string, names ...string) string
}

// Followed is a follow with the request it follows.
type Followed struct {
	Follow  model.Follow
	Request *model.Request
}

// MergeEffects is what a merge writes beside the two requests.
type MergeEffects struct {
	DupEvents     []*model.RequestEvent
	PrimaryEvents []*model.RequestEvent
	Actor         model.Actor
	// Repoint moves an item already merged into the duplicate on to the primary.
	Repoint func(merged, primary *model.Request) (*model.RequestEvent, error)
	Notify  []*model.OutboxMessage
}

// TopicScope is where a topic report looks: a community (its items), or a
// town or larger area (items handled in its subtree).
type TopicScope struct {
	CommunityID int64
	OrgPath     string
}

// TopicSnapshot is a stored topic report of a large area (the daily job's output).
type TopicSnapshot struct {
	OrgID      int64
	Period     string
	From, To   time.Time
	Items      int
	Body       string // the report, JSON
	ComputedAt time.Time
}

// SimilarRepo stores what similarity reads and writes.
type SimilarRepo interface {
	// Candidates lists the open items of a community, newest first.
	Candidates(ctx context.Context, communityID int64, publicOnly bool, exceptResident int64, limit int) ([]model.Request, error)
	// Follow locks the request, runs check, and adds the follower (created false when already following).
	Follow(ctx context.Context, requestID, residentID int64, now time.Time, check func(*model.Request) error) (bool, error)
	Unfollow(ctx context.Context, requestID, residentID int64) (bool, error)
	Following(ctx context.Context, requestID, residentID int64) (*model.Follow, error)
	Follows(ctx context.Context, residentID int64, cursor string, size int) (model.Page[Followed], error)
	FollowerCounts(ctx context.Context, ids []int64) (map[int64]int, error)
	MergedInto(ctx context.Context, primaryID int64) ([]model.Request, error)
	// Merge locks both requests and writes the merge in one transaction.
	Merge(ctx context.Context, dupID, primaryID int64, change func(dup, primary *model.Request) (*MergeEffects, error)) (*model.Request, error)
	// TopicItems lists a scope's items of [from, to), newest first, at most limit (more: true).
	TopicItems(ctx context.Context, s TopicScope, from, to time.Time, limit int) ([]model.Request, bool, error)
	// LastSession is the end of the last session before `before` at a point, or in an org subtree.
	LastSession(ctx context.Context, pointID int64, path string, before time.Time) (*time.Time, error)
	SaveSnapshot(ctx context.Context, s TopicSnapshot) error
	Snapshot(ctx context.Context, orgID int64, period string) (*TopicSnapshot, error)
	SnapshotOrgs(ctx context.Context) ([]model.Org, error)
}

// PointReader loads a liaison point.
type PointReader interface {
	Get(ctx context.Context, id int64) (*model.Point, error)
}

// HostChecker says whether a cadre hosts a point.
type HostChecker interface {
	IsHost(ctx context.Context, pointID, accountID int64) (bool, error)
}

// Limits of the similarity calls.
const (
	similarCandidates = 500  // open items of a community compared with a new text
	similarPerMinute  = 30   // look-ups per resident per minute
	topicOnDemandMax  = 4000 // items grouped on demand (the newest, when a period holds more)
	topicMaxDays      = 92   // longest period grouped on demand
	topicIDs          = 20   // item ids listed per topic
	maxQueryText      = 2000 // characters of the text a resident is about to submit
)

// Similar finds look-alike items for residents and cadres, lets residents
// follow an item ("我也遇到"), lets cadres merge duplicates, and groups a
// jurisdiction's items into hot topics.
type Similar struct {
	repo       SimilarRepo
	text       TextSimilarity
	requests   RequestRepo
	submitter  *Requests
	work       *Work
	orgs       OrgReader
	categories CategoryReader
	points     PointReader
	hosts      HostChecker
	auth       *Auth
	now        func() time.Time
	log        *slog.Logger
}

// SimilarDeps are the collaborators of Similar.
type SimilarDeps struct {
	Repo       SimilarRepo
	Text       TextSimilarity
	Requests   RequestRepo
	Submitter  *Requests // community checks of the resident side
	Work       *Work     // the cadre view of an item after a merge
	Orgs       OrgReader
	Categories CategoryReader
	Points     PointReader
	Hosts      HostChecker
	Auth       *Auth
	Now        func() time.Time
	Log        *slog.Logger
}

// NewSimilar builds the similarity service.
func NewSimilar(d SimilarDeps) *Similar {
	return &Similar{repo: d.Repo, text: d.Text, requests: d.Requests, submitter: d.Submitter, work: d.Work, orgs: d.Orgs,
		categories: d.Categories, points: d.Points, hosts: d.Hosts, auth: d.Auth, now: d.Now, log: d.Log}
}

// doc is a request as the similarity engine sees it.
func doc(r *model.Request) model.SimilarDoc {
	return model.SimilarDoc{ID: r.ID, Text: r.Content, CategoryID: r.CategoryID, CommunityID: r.CommunityID,
		Lat: r.Lat, Lng: r.Lng, At: r.CreatedAt}
}

// PublicItem is another resident's item as a resident may see it: no name,
// phone, address or photo; a masked excerpt.
type PublicItem struct {
	ID          int64
	Number      string
	CategoryID  int64
	CommunityID int64
	Status      model.RequestStatus
	Excerpt     string
	CreatedAt   time.Time
	AgeDays     int
	Followers   int
	Following   bool
	Result      string // masked, when closed
	ClosedAt    *time.Time
}

// public is r as other residents may see it; the names of its resident and
// contact are masked wherever the text or result mentions them.
func (s *Similar) public(ctx context.Context, r *model.Request, followers int, now time.Time) (PublicItem, error) {
	names := []string{r.ContactName}
	if r.ResidentID != nil {
		res, err := s.submitter.residents.Get(ctx, *r.ResidentID)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return PublicItem{}, err
		}
		if res != nil {
			names = append(names, res.Name)
		}
	}
	p := PublicItem{ID: r.ID, Number: r.Number, CategoryID: r.CategoryID, CommunityID: r.CommunityID, Status: r.Status,
		Excerpt: s.text.Excerpt(r.Content, names...), CreatedAt: r.CreatedAt, Followers: followers,
		AgeDays: int(model.DayOf(now).Sub(model.DayOf(r.CreatedAt)).Hours() / 24)}
	if r.Status.Closed() && r.Result != "" {
		p.Result, p.ClosedAt = s.text.Excerpt(r.Result, names...), r.ClosedAt
	}
	return p, nil
}

// SimilarQuery is what a resident is about to submit.
type SimilarQuery struct {
	CommunityID int64
	CategoryID  int64 // 0: not chosen yet
	Text        string
	Lat, Lng    *float64
}

// ForResident lists up to model.MaxSimilar open items of the community that
// look like what the resident is about to submit: never their own, never one
// waiting for moderation, and only public fields.
func (s *Similar) ForResident(ctx context.Context, p *model.Principal, q SimilarQuery) ([]PublicItem, error) {
	if p.Kind != model.SubjectResident {
		return nil, model.ErrForbidden
	}
	text := strings.TrimSpace(q.Text)
	if n := utf8.RuneCountInString(text); n == 0 || n > maxQueryText {
		return nil, model.Invalid("text 须为 1–%d 个字符", maxQueryText)
	}
	if err := model.ValidateLocation(q.Lat, q.Lng); err != nil {
		return nil, err
	}
	if _, _, err := s.submitter.communityAndTown(ctx, q.CommunityID); err != nil {
		return nil, err
	}
	if q.CategoryID != 0 {
		if _, err := s.categories.Get(ctx, q.CategoryID); err != nil {
			if model.IsCode(err, model.CodeNotFound) {
				return nil, model.Invalid("所选类别不存在")
			}
			return nil, err
		}
	}
	if err := s.auth.Limit(ctx, fmt.Sprintf("similar:resident:%d", p.ID), similarPerMinute, time.Minute); err != nil {
		return nil, err
	}
	cands, err := s.repo.Candidates(ctx, q.CommunityID, true, p.ID, similarCandidates)
	if err != nil {
		return nil, err
	}
	now := s.now()
	query := model.SimilarDoc{Text: text, CategoryID: q.CategoryID, CommunityID: q.CommunityID, Lat: q.Lat, Lng: q.Lng, At: now}
	return s.publicMatches(ctx, p, query, cands, now)
}

func (s *Similar) publicMatches(ctx context.Context, p *model.Principal, q model.SimilarDoc, cands []model.Request, now time.Time) ([]PublicItem, error) {
	docs := make([]model.SimilarDoc, len(cands))
	byID := map[int64]*model.Request{}
	for i := range cands {
		docs[i] = doc(&cands[i])
		byID[cands[i].ID] = &cands[i]
	}
	matches, err := s.text.Match(q, docs, model.MaxSimilar)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(matches))
	for i, m := range matches {
		ids[i] = m.ID
	}
	counts, err := s.repo.FollowerCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]PublicItem, 0, len(matches))
	for _, m := range matches {
		item, err := s.public(ctx, byID[m.ID], counts[m.ID], now)
		if err != nil {
			return nil, err
		}
		f, err := s.repo.Following(ctx, m.ID, p.ID)
		if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return nil, err
		}
		item.Following = f != nil
		out = append(out, item)
	}
	return out, nil
}

var errFollowNotFound = model.E(model.CodeNotFound, "诉求不存在")

// Follow makes the resident a follower of an open item that is not theirs
// ("我也遇到"): counted on the item, in their list, told when it moves.
// Following again is no error (created false).
func (s *Similar) Follow(ctx context.Context, p *model.Principal, requestID int64) (*FollowedItem, bool, error) {
	if p.Kind != model.SubjectResident {
		return nil, false, model.ErrForbidden
	}
	created, err := s.repo.Follow(ctx, requestID, p.ID, s.now(), func(r *model.Request) error {
		return r.CanFollow(p.ID)
	})
	if model.IsCode(err, model.CodeNotFound) {
		return nil, false, errFollowNotFound
	}
	if err != nil {
		return nil, false, err
	}
	item, err := s.Followed(ctx, p, requestID)
	return item, created, err
}

// Unfollow stops following an item (a resident whose own item was merged
// into it keeps following it).
func (s *Similar) Unfollow(ctx context.Context, p *model.Principal, requestID int64) error {
	if p.Kind != model.SubjectResident {
		return model.ErrForbidden
	}
	f, err := s.repo.Following(ctx, requestID, p.ID)
	if model.IsCode(err, model.CodeNotFound) {
		return errFollowNotFound
	}
	if err != nil {
		return err
	}
	if f.ViaRequestID != nil {
		return model.E(model.CodeConflict, "您的诉求已合并到该诉求办理，不能取消关注")
	}
	_, err = s.repo.Unfollow(ctx, requestID, p.ID)
	return err
}

// FollowedItem is a followed item with its progress as the follower sees
// it: the public item and its status steps (no notes, no names).
type FollowedItem struct {
	PublicItem
	FollowedAt   time.Time
	ViaRequestID *int64
	Steps        []model.RequestEvent // status changes only; Note is cleared
}

// Follows lists the items the resident follows, newest follow first.
func (s *Similar) Follows(ctx context.Context, p *model.Principal, cursor string, size int) (model.Page[FollowedItem], error) {
	out := model.Page[FollowedItem]{Items: []FollowedItem{}}
	if p.Kind != model.SubjectResident {
		return out, model.ErrForbidden
	}
	page, err := s.repo.Follows(ctx, p.ID, cursor, size)
	if err != nil {
		return out, err
	}
	ids := make([]int64, len(page.Items))
	for i, f := range page.Items {
		ids[i] = f.Request.ID
	}
	counts, err := s.repo.FollowerCounts(ctx, ids)
	if err != nil {
		return out, err
	}
	now := s.now()
	for _, f := range page.Items {
		pub, err := s.public(ctx, f.Request, counts[f.Request.ID], now)
		if err != nil {
			return out, err
		}
		item := FollowedItem{PublicItem: pub, FollowedAt: f.Follow.CreatedAt, ViaRequestID: f.Follow.ViaRequestID}
		item.Following = true
		out.Items = append(out.Items, item)
	}
	out.NextCursor = page.NextCursor
	return out, nil
}

// Followed is one followed item with its status steps; items the caller
// does not follow are not found.
func (s *Similar) Followed(ctx context.Context, p *model.Principal, requestID int64) (*FollowedItem, error) {
	if p.Kind != model.SubjectResident {
		return nil, model.ErrForbidden
	}
	f, err := s.repo.Following(ctx, requestID, p.ID)
	if model.IsCode(err, model.CodeNotFound) {
		return nil, errFollowNotFound
	}
	if err != nil {
		return nil, err
	}
	r, err := s.requests.Get(ctx, requestID)
	if err != nil {
		return nil, err
	}
	counts, err := s.repo.FollowerCounts(ctx, []int64{requestID})
	if err != nil {
		return nil, err
	}
	events, err := s.requests.Events(ctx, requestID, true)
	if err != nil {
		return nil, err
	}
	pub, err := s.public(ctx, r, counts[requestID], s.now())
	if err != nil {
		return nil, err
	}
	item := &FollowedItem{PublicItem: pub, FollowedAt: f.CreatedAt, ViaRequestID: f.ViaRequestID, Steps: statusSteps(events)}
	item.Following = true
	return item, nil
}

// Duplicate is a likely duplicate of an item, as cadres see it.
type Duplicate struct {
	Request   *model.Request
	Score     float64
	Followers int
	// CanMergeInto: the item on the page may be merged into this one.
	CanMergeInto bool
}

// ItemLinks is what a cadre sees of an item's look-alikes: its followers,
// its likely duplicates (open items of its community), the items merged
// into it and the item it was merged into.
type ItemLinks struct {
	Followers  int
	Duplicates []Duplicate
	Merged     []model.Request
	MergedInto *model.Request
}

// Links returns an item's likely duplicates, followers and merges for a
// cadre whose jurisdiction holds it.
func (s *Similar) Links(ctx context.Context, p *model.Principal, id int64) (*ItemLinks, error) {
	r, err := s.work.actable(ctx, p, id)
	if err != nil {
		return nil, err
	}
	out := &ItemLinks{Duplicates: []Duplicate{}}
	counts, err := s.repo.FollowerCounts(ctx, []int64{r.ID})
	if err != nil {
		return nil, err
	}
	out.Followers = counts[r.ID]
	if out.Merged, err = s.repo.MergedInto(ctx, r.ID); err != nil {
		return nil, err
	}
	if r.DuplicateOf != nil {
		if m, err := s.requests.Get(ctx, *r.DuplicateOf); err == nil && p.Reaches(m.OrgPath) {
			out.MergedInto = m
		} else if err != nil && !model.IsCode(err, model.CodeNotFound) {
			return nil, err
		}
	}
	if !r.Status.Open() {
		return out, nil
	}
	cands, err := s.repo.Candidates(ctx, r.CommunityID, false, 0, similarCandidates)
	if err != nil {
		return nil, err
	}
	var reach []model.Request
	docs := []model.SimilarDoc{}
	for i := range cands {
		if cands[i].ID != r.ID && p.Reaches(cands[i].OrgPath) {
			reach = append(reach, cands[i])
			docs = append(docs, doc(&cands[i]))
		}
	}
	matches, err := s.text.Match(doc(r), docs, model.MaxDuplicates)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(matches))
	for i, m := range matches {
		ids[i] = m.ID
	}
	if counts, err = s.repo.FollowerCounts(ctx, ids); err != nil {
		return nil, err
	}
	byID := map[int64]*model.Request{}
	for i := range reach {
		byID[reach[i].ID] = &reach[i]
	}
	for _, m := range matches {
		c := byID[m.ID]
		out.Duplicates = append(out.Duplicates, Duplicate{Request: c, Score: m.Score, Followers: counts[m.ID],
			CanMergeInto: c.Status == model.StatusAccepted || c.Status == model.StatusLongTerm})
	}
	return out, nil
}

// Merge closes item id as a duplicate of primary (model MergeInto): both in
// the caller's jurisdiction. The duplicate's resident becomes a follower of
// the primary and is told now (and again when the primary closes, when the
// merged item takes its outcome).
func (s *Similar) Merge(ctx context.Context, p *model.Principal, actor model.Actor, id, into int64, note string) (*WorkDetail, error) {
	if _, err := s.work.actable(ctx, p, id); err != nil {
		return nil, err
	}
	prim, err := s.requests.Get(ctx, into)
	if err != nil && !model.IsCode(err, model.CodeNotFound) {
		return nil, err
	}
	if err != nil || !p.Reaches(prim.OrgPath) {
		return nil, model.Invalid("into 须为辖区内的另一条诉求")
	}
	now := s.now()
	r, err := s.repo.Merge(ctx, id, into, func(dup, primary *model.Request) (*MergeEffects, error) {
		if !p.Reaches(dup.OrgPath) {
			return nil, errWorkNotFound
		}
		if !p.Reaches(primary.OrgPath) {
			return nil, model.Invalid("into 须为辖区内的另一条诉求")
		}
		de, pe, err := dup.MergeInto(primary, actor, note, now)
		if err != nil {
			return nil, err
		}
		return &MergeEffects{DupEvents: []*model.RequestEvent{de}, PrimaryEvents: []*model.RequestEvent{pe}, Actor: actor,
			Repoint: func(m, primary *model.Request) (*model.RequestEvent, error) { return m.Repoint(primary, actor, now) },
			Notify:  one(noticeMerged(dup, primary, now))}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.work.detail(ctx, p, r, p.Reaches(r.OrgPath))
}
