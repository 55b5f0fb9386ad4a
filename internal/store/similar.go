package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"zhilian/model"
	"zhilian/service"
)

// Similar persists what similarity needs: look-alike candidates, followers,
// merges, the items of a topic report and the daily topic snapshots.
type Similar struct{ s *Store }

// Similar returns the similarity repository.
func (s *Store) Similar() *Similar { return &Similar{s} }

var _ service.SimilarRepo = (*Similar)(nil)

// similarColumns are the columns similarity reads (no personal data but the
// text, which only the service's masking lets out).
const similarColumns = `id, number, resident_id, source, category_id, content, community_id, handling_org_id, org_path,
	contact_name, residency, lat, lng, status, flagged_for_review, duplicate_of, created_at, updated_at`

// Candidates lists the open items of a community, newest first, at most
// limit; publicOnly leaves out items waiting for moderation; exceptResident
// leaves out that resident's own items (0: none).
func (r *Similar) Candidates(ctx context.Context, communityID int64, publicOnly bool, exceptResident int64, limit int) ([]model.Request, error) {
	q := r.s.db.WithContext(ctx).Select(similarColumns).
		Where("community_id = ? AND status IN ?", communityID, openStatuses)
	if publicOnly {
		q = q.Where("flagged_for_review = 0")
	}
	if exceptResident > 0 {
		q = q.Where("resident_id IS NULL OR resident_id <> ?", exceptResident)
	}
	out := []model.Request{}
	return out, translate(q.Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error)
}

// Follow locks the request, lets check decide (the model's CanFollow), and
// adds the follower; following twice is not an error (created is false).
func (r *Similar) Follow(ctx context.Context, requestID, residentID int64, now time.Time, check func(*model.Request) error) (bool, error) {
	created := false
	err := r.s.tx(ctx, "Similar.Follow", func(tx *gorm.DB) error {
		var req model.Request
		if err := forUpdate(tx).Select(similarColumns).First(&req, requestID).Error; err != nil {
			return err
		}
		if err := check(&req); err != nil {
			return err
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&model.Follow{RequestID: requestID,
			ResidentID: residentID, CreatedAt: now})
		created = res.RowsAffected > 0
		return res.Error
	})
	return created, err
}

// Unfollow removes a follower; a resident whose own item was merged into
// the request stays (their item's outcome comes from it).
func (r *Similar) Unfollow(ctx context.Context, requestID, residentID int64) (bool, error) {
	res := r.s.db.WithContext(ctx).Where("request_id = ? AND resident_id = ? AND via_request_id IS NULL", requestID, residentID).
		Delete(&model.Follow{})
	return res.RowsAffected > 0, translate(res.Error)
}

// Following loads a resident's follow of a request.
func (r *Similar) Following(ctx context.Context, requestID, residentID int64) (*model.Follow, error) {
	var f model.Follow
	err := r.s.db.WithContext(ctx).Where("request_id = ? AND resident_id = ?", requestID, residentID).Take(&f).Error
	if err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// Follows lists the requests a resident follows, newest follow first (keyset).
func (r *Similar) Follows(ctx context.Context, residentID int64, cursor string, size int) (model.Page[service.Followed], error) {
	out := model.Page[service.Followed]{Items: []service.Followed{}}
	var afterAt time.Time
	var afterID int64
	if err := decodeCursor(cursor, &afterAt, &afterID); err != nil {
		return out, err
	}
	size = pageSize(size)
	q := r.s.db.WithContext(ctx).Model(&model.Follow{}).Where("resident_id = ?", residentID)
	if afterID > 0 {
		q = q.Where("(created_at < ? OR (created_at = ? AND request_id < ?))", afterAt, afterAt, afterID)
	}
	var follows []model.Follow
	if err := q.Order("created_at DESC, request_id DESC").Limit(size + 1).Find(&follows).Error; err != nil {
		return out, translate(err)
	}
	if len(follows) > size {
		follows = follows[:size]
		last := follows[size-1]
		out.NextCursor = encodeCursor(last.CreatedAt, last.RequestID)
	}
	ids := make([]int64, len(follows))
	for i, f := range follows {
		ids[i] = f.RequestID
	}
	reqs, err := r.byIDs(ctx, ids)
	if err != nil {
		return out, err
	}
	for _, f := range follows {
		if req, ok := reqs[f.RequestID]; ok {
			out.Items = append(out.Items, service.Followed{Follow: f, Request: req})
		}
	}
	return out, nil
}

func (r *Similar) byIDs(ctx context.Context, ids []int64) (map[int64]*model.Request, error) {
	out := map[int64]*model.Request{}
	if len(ids) == 0 {
		return out, nil
	}
	var reqs []model.Request
	if err := r.s.db.WithContext(ctx).Select(similarColumns+", result, closed_at").Where("id IN ?", ids).
		Find(&reqs).Error; err != nil {
		return nil, translate(err)
	}
	for i := range reqs {
		out[reqs[i].ID] = &reqs[i]
	}
	return out, nil
}

// FollowerCounts counts the followers of each request.
func (r *Similar) FollowerCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		RequestID int64
		N         int
	}
	err := r.s.db.WithContext(ctx).Model(&model.Follow{}).Select("request_id, COUNT(*) AS n").
		Where("request_id IN ?", ids).Group("request_id").Scan(&rows).Error
	for _, row := range rows {
		out[row.RequestID] = row.N
	}
	return out, translate(err)
}

// MergedInto lists the items merged into a request, oldest first.
func (r *Similar) MergedInto(ctx context.Context, primaryID int64) ([]model.Request, error) {
	out := []model.Request{}
	err := r.s.db.WithContext(ctx).Select(similarColumns).Where("duplicate_of = ? AND status = ?", primaryID, model.StatusMerged).
		Order("id").Find(&out).Error
	return out, translate(err)
}

// Merge locks both requests (in id order, so two opposite merges cannot
// deadlock), lets change apply the model's MergeInto, and writes in one
// transaction: both requests (with their rollup moves), the timeline events,
// the withdrawal of the duplicate's open invitations, the items already
// merged into the duplicate moved on to the primary, the duplicate's
// followers and resident added to the primary's, and the outbox rows.
func (r *Similar) Merge(ctx context.Context, dupID, primaryID int64,
	change func(dup, primary *model.Request) (*service.MergeEffects, error)) (*model.Request, error) {
	var dup, primary model.Request
	err := r.s.tx(ctx, "Similar.Merge", func(tx *gorm.DB) error {
		first, second := &dup, &primary
		firstID, secondID := dupID, primaryID
		if primaryID < dupID {
			first, second, firstID, secondID = &primary, &dup, primaryID, dupID
		}
		if err := forUpdate(tx).First(first, firstID).Error; err != nil {
			return err
		}
		if err := forUpdate(tx).First(second, secondID).Error; err != nil {
			return err
		}
		dupBefore, primBefore := dup, primary
		fx, err := change(&dup, &primary)
		if err != nil {
			return err
		}
		for _, pair := range [][2]*model.Request{{&dupBefore, &dup}, {&primBefore, &primary}} {
			if err := saveRequest(tx, pair[0], pair[1]); err != nil {
				return err
			}
		}
		if err := insertEvents(tx, dup.ID, fx.DupEvents); err != nil {
			return err
		}
		if err := insertEvents(tx, primary.ID, fx.PrimaryEvents); err != nil {
			return err
		}
		now := dup.UpdatedAt
		if err := withdrawOpenInvitations(tx, &dup, fx.Actor, now); err != nil {
			return err
		}
		if err := r.moveMerged(tx, &dup, &primary, fx.Repoint); err != nil {
			return err
		}
		if err := moveFollowers(tx, &dup, &primary, now); err != nil {
			return err
		}
		return InsertOutbox(tx, fx.Notify...)
	})
	if err != nil {
		return nil, err
	}
	return &dup, nil
}

// moveMerged points the items merged into dup at primary (fx: the model's Repoint).
func (r *Similar) moveMerged(tx *gorm.DB, dup, primary *model.Request,
	repoint func(*model.Request, *model.Request) (*model.RequestEvent, error)) error {
	var merged []model.Request
	if err := forUpdate(tx).Where("duplicate_of = ? AND status = ?", dup.ID, model.StatusMerged).Order("id").
		Find(&merged).Error; err != nil {
		return err
	}
	for i := range merged {
		before := merged[i]
		e, err := repoint(&merged[i], primary)
		if err != nil {
			return err
		}
		if err := saveRequest(tx, &before, &merged[i]); err != nil {
			return err
		}
		if err := insertEvents(tx, merged[i].ID, []*model.RequestEvent{e}); err != nil {
			return err
		}
	}
	return nil
}

// moveFollowers makes dup's followers and dup's resident followers of
// primary (never primary's own resident), and drops dup's follower rows.
func moveFollowers(tx *gorm.DB, dup, primary *model.Request, now time.Time) error {
	owner := int64(0)
	if primary.ResidentID != nil {
		owner = *primary.ResidentID
	}
	if err := tx.Exec(`INSERT IGNORE INTO request_followers (request_id, resident_id, via_request_id, created_at)
		SELECT ?, resident_id, via_request_id, created_at FROM request_followers WHERE request_id = ? AND resident_id <> ?`,
		primary.ID, dup.ID, owner).Error; err != nil {
		return err
	}
	if err := tx.Where("request_id = ?", dup.ID).Delete(&model.Follow{}).Error; err != nil {
		return err
	}
	if dup.ResidentID == nil || *dup.ResidentID == owner {
		return nil
	}
	via := dup.ID
	return tx.Clauses(clause.OnConflict{DoUpdates: clause.Assignments(map[string]any{"via_request_id": via})}).
		Create(&model.Follow{RequestID: primary.ID, ResidentID: *dup.ResidentID, ViaRequestID: &via, CreatedAt: now}).Error
}

// followUp is what a request change means for the items linked to it, in
// the change's transaction: its followers are notified of the steps they
// follow (service.FollowerNotices), and when it closes, the items merged
// into it take its outcome (model TakeOutcome), with their rollup moves.
func followUp(tx *gorm.DB, before, after *model.Request) error {
	if before.Status == after.Status {
		return nil
	}
	var followers []int64
	if err := tx.Model(&model.Follow{}).Where("request_id = ?", after.ID).Order("resident_id").
		Pluck("resident_id", &followers).Error; err != nil {
		return err
	}
	now := after.UpdatedAt
	if err := InsertOutbox(tx, service.FollowerNotices(before, after, followers, now)...); err != nil {
		return err
	}
	if !after.Status.Closed() || before.Status.Closed() {
		return nil
	}
	var merged []model.Request
	if err := forUpdate(tx).Where("duplicate_of = ? AND status = ?", after.ID, model.StatusMerged).Order("id").
		Find(&merged).Error; err != nil {
		return err
	}
	for i := range merged {
		m := &merged[i]
		old := *m
		e, err := m.TakeOutcome(after, model.Actor{Name: "系统"}, now)
		if err != nil {
			return err
		}
		if err := saveRequest(tx, &old, m); err != nil {
			return err
		}
		if err := insertEvents(tx, m.ID, []*model.RequestEvent{e}); err != nil {
			return err
		}
	}
	return nil
}

// TopicItems lists the items of a scope (a town or larger: handling org
// path; a community: its id) submitted in [from, to), newest first, at most
// limit, and reports whether there were more.
func (r *Similar) TopicItems(ctx context.Context, s service.TopicScope, from, to time.Time, limit int) ([]model.Request, bool, error) {
	q := r.s.db.WithContext(ctx).Select(similarColumns).Where("created_at >= ? AND created_at < ? AND status <> ?",
		from.UTC(), to.UTC(), model.StatusWithdrawn)
	if s.CommunityID > 0 {
		q = q.Where("community_id = ?", s.CommunityID)
	} else {
		q = q.Where("org_path LIKE ?", escapeLike(s.OrgPath)+"%")
	}
	out := []model.Request{}
	if err := q.Order("created_at DESC, id DESC").Limit(limit + 1).Find(&out).Error; err != nil {
		return nil, false, translate(err)
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// LastSession is when the last session held before `before` ended, at the
// given point or, with pointID 0, at any point of the org subtree at path
// (nil when there was none). Cancelled sessions do not count.
func (r *Similar) LastSession(ctx context.Context, pointID int64, path string, before time.Time) (*time.Time, error) {
	q := r.s.db.WithContext(ctx).Table("liaison_sessions").Select("MAX(liaison_sessions.ends_at)").
		Where("liaison_sessions.status <> ? AND liaison_sessions.ends_at <= ?", model.SessionCancelled, before.UTC())
	if pointID > 0 {
		q = q.Where("liaison_sessions.point_id = ?", pointID)
	} else {
		q = q.Joins("JOIN points ON points.id = liaison_sessions.point_id").
			Joins("JOIN orgs ON orgs.id = points.org_id").Where("orgs.path LIKE ?", escapeLike(path)+"%")
	}
	var t *time.Time
	if err := q.Row().Scan(&t); err != nil {
		return nil, translate(err)
	}
	return t, nil
}

// SaveSnapshot stores (replaces) the topic report of an org and period.
func (r *Similar) SaveSnapshot(ctx context.Context, s service.TopicSnapshot) error {
	return translate(r.s.db.WithContext(ctx).Exec(`INSERT INTO topic_snapshots (org_id, period, from_at, to_at, items, body, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE from_at = VALUES(from_at), to_at = VALUES(to_at),
		items = VALUES(items), body = VALUES(body), computed_at = VALUES(computed_at)`,
		s.OrgID, s.Period, s.From.UTC(), s.To.UTC(), s.Items, s.Body, s.ComputedAt.UTC()).Error)
}

// Snapshot loads the stored topic report of an org and period.
func (r *Similar) Snapshot(ctx context.Context, orgID int64, period string) (*service.TopicSnapshot, error) {
	var s service.TopicSnapshot
	err := r.s.db.WithContext(ctx).Table("topic_snapshots").
		Select("org_id, period, from_at AS `from`, to_at AS `to`, items, body, computed_at").
		Where("org_id = ? AND period = ?", orgID, period).Take(&s).Error
	if err != nil {
		return nil, translate(err)
	}
	return &s, nil
}

// SnapshotOrgs lists the active city and district orgs (the daily job's scopes).
func (r *Similar) SnapshotOrgs(ctx context.Context) ([]model.Org, error) {
	out := []model.Org{}
	err := r.s.db.WithContext(ctx).Where("active = 1 AND kind IN ?", []model.OrgKind{model.OrgCity, model.OrgDistrict}).
		Order("id").Find(&out).Error
	return out, translate(err)
}
