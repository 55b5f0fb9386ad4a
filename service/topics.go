package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"zhilian/model"
)

// Topic periods of the city and districts, computed daily.
const (
	TopicWeek  = "week"  // the last 7 days before today
	TopicMonth = "month" // the last 30 days before today
)

// topicDays is the length of a daily period.
func topicDays(period string) (int, bool) {
	switch period {
	case TopicWeek:
		return 7, true
	case TopicMonth:
		return 30, true
	}
	return 0, false
}

// maxTopics is how many topics a report lists.
const maxTopics = 20

// How a report's period was chosen.
const (
	SinceLastSession = "last_session" // default: since the last session at the point or in the area
	SinceWeek        = "week"         // default when there was no session yet: the last 7 days
	SinceQuery       = "query"        // from and to given
	SinceDaily       = "daily"        // a stored daily report of the city or a district
)

// TopicQuery is what a cadre asks: an org or a point, and a period (dates,
// to exclusive) or, for the city and districts, a daily period.
type TopicQuery struct {
	OrgID   int64
	PointID int64
	From    string
	To      string
	Period  string
}

// Topic is a group of similar items.
type Topic struct {
	Keywords      []string
	CategoryID    int64 // the commonest category
	Count         int
	Open          int
	OpenShare     float64
	NonHukou      int
	NonHukouShare float64
	Communities   int
	RequestIDs    []int64 // the newest topicIDs
	Numbers       []string
}

// TopicReport is the hot topics of an area and period, largest first.
type TopicReport struct {
	OrgID         int64
	OrgName       string
	PointID       int64
	From, To      time.Time
	Since         string
	LastSessionAt *time.Time
	Items         int
	Ungrouped     int  // items like no other
	Truncated     bool // more items than grouped on demand: the newest were grouped
	ComputedAt    time.Time
	Topics        []Topic
}

// Topics returns the hot topics of a town, community or point (grouped on
// demand), or of the city or a district (the daily report).
func (s *Similar) Topics(ctx context.Context, p *model.Principal, q TopicQuery) (*TopicReport, error) {
	if !p.IsStaff() {
		return nil, model.ErrForbidden
	}
	org, point, err := s.topicScope(ctx, p, q)
	if err != nil {
		return nil, err
	}
	if org.Kind == model.OrgCity || org.Kind == model.OrgDistrict {
		return s.dailyTopics(ctx, org, q)
	}
	if q.Period != "" {
		return nil, model.Invalid("period 只用于市、区范围；镇街、社区和驻点请用 from、to")
	}
	now := s.now()
	// Up to now, inclusive (times are stored to the millisecond).
	rep := &TopicReport{OrgID: org.ID, OrgName: org.Name, To: now.Add(time.Millisecond), ComputedAt: now}
	var pointID int64
	if point != nil {
		rep.PointID, pointID = point.ID, point.ID
	}
	switch {
	case q.From != "" || q.To != "":
		if rep.From, rep.To, err = topicDates(q.From, q.To, now); err != nil {
			return nil, err
		}
		rep.Since = SinceQuery
	default:
		last, err := s.repo.LastSession(ctx, pointID, org.Path, now)
		if err != nil {
			return nil, err
		}
		if last != nil && now.Sub(*last) <= topicMaxDays*24*time.Hour {
			rep.From, rep.Since, rep.LastSessionAt = *last, SinceLastSession, last
		} else {
			rep.From, rep.Since = now.Add(-7*24*time.Hour), SinceWeek
		}
	}
	scope := TopicScope{OrgPath: org.Path}
	if org.Kind == model.OrgCommunity {
		scope = TopicScope{CommunityID: org.ID}
	}
	items, more, err := s.repo.TopicItems(ctx, scope, rep.From, rep.To, topicOnDemandMax)
	if err != nil {
		return nil, err
	}
	rep.Truncated = more
	if err := s.group(rep, items); err != nil {
		return nil, err
	}
	return rep, nil
}

// topicScope resolves and authorises the org (or the point's community).
func (s *Similar) topicScope(ctx context.Context, p *model.Principal, q TopicQuery) (*model.Org, *model.Point, error) {
	if (q.OrgID == 0) == (q.PointID == 0) {
		return nil, nil, model.Invalid("须指定 org_id 或 point_id 之一")
	}
	if q.PointID > 0 {
		pt, err := s.points.Get(ctx, q.PointID)
		notFound := model.E(model.CodeNotFound, "驻点不存在")
		if model.IsCode(err, model.CodeNotFound) {
			return nil, nil, notFound
		}
		if err != nil {
			return nil, nil, err
		}
		if !p.Reaches(pt.OrgPath) {
			host, err := s.hosts.IsHost(ctx, pt.ID, p.ID)
			if err != nil {
				return nil, nil, err
			}
			if !host {
				return nil, nil, notFound
			}
		}
		org, err := s.orgs.Get(ctx, pt.OrgID)
		return org, pt, err
	}
	org, err := s.orgs.Get(ctx, q.OrgID)
	if model.IsCode(err, model.CodeNotFound) || (err == nil && !p.Reaches(org.Path)) {
		return nil, nil, model.E(model.CodeNotFound, "机构不存在")
	}
	if err != nil {
		return nil, nil, err
	}
	if org.Kind == model.OrgDepartment {
		return nil, nil, model.Invalid("热点只按市、区、镇街、社区或驻点统计")
	}
	return org, nil, nil
}

// topicDates reads a period of business days [from, to); to defaults to now.
func topicDates(from, to string, now time.Time) (time.Time, time.Time, error) {
	if from == "" {
		return time.Time{}, time.Time{}, model.Invalid("须指定 from（YYYY-MM-DD）")
	}
	f, err := model.ParseDate(from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t := now.Add(time.Millisecond)
	if to != "" {
		if t, err = model.ParseDate(to); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	if !f.Before(t) {
		return time.Time{}, time.Time{}, model.Invalid("from 须早于 to")
	}
	if t.Sub(f) > topicMaxDays*24*time.Hour {
		return time.Time{}, time.Time{}, model.Invalid("时段不能超过 %d 天", topicMaxDays)
	}
	return f, t, nil
}

// dailyTopics reads the stored report of the city or a district.
func (s *Similar) dailyTopics(ctx context.Context, org *model.Org, q TopicQuery) (*TopicReport, error) {
	if q.From != "" || q.To != "" || q.PointID != 0 {
		return nil, model.Invalid("市、区范围的热点每日计算，请用 period=week 或 month")
	}
	period := q.Period
	if period == "" {
		period = TopicWeek
	}
	if _, ok := topicDays(period); !ok {
		return nil, model.Invalid("period 须为 week 或 month")
	}
	snap, err := s.repo.Snapshot(ctx, org.ID, period)
	if model.IsCode(err, model.CodeNotFound) {
		return nil, model.E(model.CodeConflict, "市、区范围的热点每天凌晨计算，尚未生成")
	}
	if err != nil {
		return nil, err
	}
	var rep TopicReport
	if err := json.Unmarshal([]byte(snap.Body), &rep); err != nil {
		return nil, fmt.Errorf("topic snapshot %d/%s: %w", org.ID, period, err)
	}
	rep.OrgName = org.Name
	return &rep, nil
}

// RefreshTopics computes and stores the daily reports of the city and every
// district, for the week and the month ending at the start of today; it
// returns how many it stored.
func (s *Similar) RefreshTopics(ctx context.Context) (int, error) {
	orgs, err := s.repo.SnapshotOrgs(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	today := model.DayOf(now)
	n := 0
	for _, org := range orgs {
		for _, period := range []string{TopicWeek, TopicMonth} {
			days, _ := topicDays(period)
			rep := &TopicReport{OrgID: org.ID, OrgName: org.Name, From: today.AddDate(0, 0, -days),
				To: today, Since: SinceDaily, ComputedAt: now}
			items, more, err := s.repo.TopicItems(ctx, TopicScope{OrgPath: org.Path}, rep.From, rep.To, 20*topicOnDemandMax)
			if err != nil {
				return n, err
			}
			rep.Truncated = more
			if err := s.group(rep, items); err != nil {
				return n, err
			}
			body, err := json.Marshal(rep)
			if err != nil {
				return n, err
			}
			if err := s.repo.SaveSnapshot(ctx, TopicSnapshot{OrgID: org.ID, Period: period, From: rep.From, To: rep.To,
				Items: rep.Items, Body: string(body), ComputedAt: now}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// group clusters the items into the report's topics: groups of two or more,
// largest first, at most maxTopics.
func (s *Similar) group(rep *TopicReport, items []model.Request) error {
	rep.Items = len(items)
	rep.Topics = []Topic{}
	docs := make([]model.SimilarDoc, len(items))
	byID := make(map[int64]*model.Request, len(items))
	for i := range items {
		docs[i] = doc(&items[i])
		byID[items[i].ID] = &items[i]
	}
	groups, err := s.text.Group(docs)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if len(g.IDs) < 2 {
			rep.Ungrouped++
			continue
		}
		if len(rep.Topics) == maxTopics {
			continue
		}
		t := Topic{Keywords: g.Keywords, Count: len(g.IDs)}
		cats, comms := map[int64]int{}, map[int64]bool{}
		for k, id := range g.IDs {
			r := byID[id]
			if r.Status.Open() {
				t.Open++
			}
			if r.Residency != nil && *r.Residency == model.NonHukou {
				t.NonHukou++
			}
			cats[r.CategoryID]++
			comms[r.CommunityID] = true
			if k < topicIDs {
				t.RequestIDs = append(t.RequestIDs, id)
				t.Numbers = append(t.Numbers, r.Number)
			}
		}
		for c, n := range cats {
			if n > cats[t.CategoryID] || (n == cats[t.CategoryID] && c < t.CategoryID) {
				t.CategoryID = c
			}
		}
		t.Communities = len(comms)
		t.OpenShare = float64(t.Open) / float64(t.Count)
		t.NonHukouShare = float64(t.NonHukou) / float64(t.Count)
		rep.Topics = append(rep.Topics, t)
	}
	return nil
}
