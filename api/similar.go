package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"zhilian/model"
	"zhilian/service"
)

// similarRoutes adds look-alike items before submitting, following an item
// ("我也遇到"), likely duplicates and merging on the cadre side, and hot topics.
func (s *Server) similarRoutes(g routeGroups) {
	g.my.GET("/similar", s.mySimilar)
	g.my.GET("/follows", s.listFollows)
	g.my.POST("/follows", s.follow)
	g.my.GET("/follows/:id", s.getFollow)
	g.my.DELETE("/follows/:id", s.unfollow)

	g.work.GET("/requests/:id/similar", s.workSimilar)
	g.work.POST("/requests/:id/merge", s.act(s.actMerge))
	g.work.GET("/topics", s.workTopics)
}

// publicItemDTO is another resident's item as residents see it: no name,
// phone, address or photo; a masked excerpt.
type publicItemDTO struct {
	ID          int64               `json:"id"`
	Number      string              `json:"number"`
	CategoryID  int64               `json:"category_id"`
	CommunityID int64               `json:"community_id"`
	Status      model.RequestStatus `json:"status"`
	StatusLabel string              `json:"status_label"`
	Excerpt     string              `json:"excerpt"`
	CreatedAt   string              `json:"created_at"`
	AgeDays     int                 `json:"age_days"`
	Followers   int                 `json:"followers"`
	Following   bool                `json:"following"`
	Result      *string             `json:"result,omitempty"`
	ClosedAt    *string             `json:"closed_at,omitempty"`
}

func toPublicItem(p service.PublicItem) publicItemDTO {
	d := publicItemDTO{ID: p.ID, Number: p.Number, CategoryID: p.CategoryID, CommunityID: p.CommunityID, Status: p.Status,
		StatusLabel: p.Status.Label(), Excerpt: p.Excerpt, CreatedAt: rfc3339(p.CreatedAt), AgeDays: p.AgeDays,
		Followers: p.Followers, Following: p.Following, ClosedAt: timePtr(p.ClosedAt)}
	if p.Result != "" {
		r := p.Result
		d.Result = &r
	}
	return d
}

// stepDTO is a status step of a followed item.
type stepDTO struct {
	Action     model.RequestAction `json:"action"`
	FromStatus model.RequestStatus `json:"from_status"`
	ToStatus   model.RequestStatus `json:"to_status"`
	At         string              `json:"at"`
}

// followDTO is a followed item with its progress.
type followDTO struct {
	publicItemDTO
	FollowedAt   string    `json:"followed_at"`
	ViaRequestID *int64    `json:"via_request_id"`
	Steps        []stepDTO `json:"steps,omitempty"`
}

func toFollow(f *service.FollowedItem) followDTO {
	d := followDTO{publicItemDTO: toPublicItem(f.PublicItem), FollowedAt: rfc3339(f.FollowedAt), ViaRequestID: f.ViaRequestID}
	for _, e := range f.Steps {
		d.Steps = append(d.Steps, stepDTO{Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus, At: rfc3339(e.At)})
	}
	return d
}

// queryFloat reads an optional decimal query parameter.
func queryFloat(c *gin.Context, name string) (*float64, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return nil, model.Invalid("查询参数 %s 须为数字", name)
	}
	return &f, nil
}

func (s *Server) mySimilar(c *gin.Context) {
	q := service.SimilarQuery{Text: c.Query("text")}
	var err error
	if q.CommunityID, err = queryInt(c, "community_id"); err == nil && q.CommunityID == 0 {
		err = model.Invalid("须指定 community_id")
	}
	if err == nil {
		q.CategoryID, err = queryInt(c, "category_id")
	}
	if err == nil {
		q.Lat, err = queryFloat(c, "lat")
	}
	if err == nil {
		q.Lng, err = queryFloat(c, "lng")
	}
	if err != nil {
		fail(c, err)
		return
	}
	items, err := s.d.Similar.ForResident(c.Request.Context(), principal(c), q)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]publicItemDTO, len(items))
	for i := range items {
		out[i] = toPublicItem(items[i])
	}
	ok(c, http.StatusOK, page[publicItemDTO]{Items: out})
}

type followReq struct {
	RequestID int64 `json:"request_id" binding:"required,min=1"`
}

// follow makes the resident a follower: 201 the first time, 200 after.
func (s *Server) follow(c *gin.Context) {
	var in followReq
	if err := bindJSON(c, &in); err != nil {
		fail(c, err)
		return
	}
	f, created, err := s.d.Similar.Follow(c.Request.Context(), principal(c), in.RequestID)
	if err != nil {
		fail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	ok(c, status, toFollow(f))
}

func (s *Server) listFollows(c *gin.Context) {
	cur, size, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.d.Similar.Follows(c.Request.Context(), principal(c), cur, size)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]followDTO, len(page.Items))
	for i := range page.Items {
		items[i] = toFollow(&page.Items[i])
	}
	ok(c, http.StatusOK, gin.H{"items": items, "next_cursor": page.NextCursor})
}

func (s *Server) getFollow(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	f, err := s.d.Similar.Followed(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, toFollow(f))
}

func (s *Server) unfollow(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.d.Similar.Unfollow(c.Request.Context(), principal(c), id); err != nil {
		fail(c, err)
		return
	}
	ok(c, http.StatusOK, unfollowedDTO{RequestID: id})
}

// unfollowedDTO is the answer to unfollowing: following is always false.
type unfollowedDTO struct {
	RequestID int64 `json:"request_id"`
	Following bool  `json:"following"`
}

// linkDTO is another item as a cadre sees it in an item's links.
type linkDTO struct {
	ID           int64               `json:"id"`
	Number       string              `json:"number"`
	Status       model.RequestStatus `json:"status"`
	StatusLabel  string              `json:"status_label"`
	CategoryID   int64               `json:"category_id"`
	CommunityID  int64               `json:"community_id"`
	Content      string              `json:"content"`
	CreatedAt    string              `json:"created_at"`
	Score        *float64            `json:"score,omitempty"`
	Followers    *int                `json:"followers,omitempty"`
	CanMergeInto *bool               `json:"can_merge_into,omitempty"`
}

func toLink(r *model.Request) linkDTO {
	return linkDTO{ID: r.ID, Number: r.Number, Status: r.Status, StatusLabel: r.Status.Label(), CategoryID: r.CategoryID,
		CommunityID: r.CommunityID, Content: r.Content, CreatedAt: rfc3339(r.CreatedAt)}
}

func (s *Server) workSimilar(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	l, err := s.d.Similar.Links(c.Request.Context(), principal(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := gin.H{"followers": l.Followers, "duplicates": []linkDTO{}, "merged": []linkDTO{}, "merged_into": nil}
	dups := make([]linkDTO, len(l.Duplicates))
	for i, d := range l.Duplicates {
		dups[i] = toLink(d.Request)
		score, followers, can := float64(int(d.Score*1000))/1000, d.Followers, d.CanMergeInto
		dups[i].Score, dups[i].Followers, dups[i].CanMergeInto = &score, &followers, &can
	}
	out["duplicates"] = dups
	merged := make([]linkDTO, len(l.Merged))
	for i := range l.Merged {
		merged[i] = toLink(&l.Merged[i])
	}
	out["merged"] = merged
	if l.MergedInto != nil {
		out["merged_into"] = toLink(l.MergedInto)
	}
	ok(c, http.StatusOK, out)
}

type mergeReq struct {
	Into int64  `json:"into" binding:"required,min=1"`
	Note string `json:"note" binding:"max=8000"`
}

func (s *Server) actMerge(c *gin.Context, a actCtx) (*service.WorkDetail, error) {
	var in mergeReq
	if err := bindJSON(c, &in); err != nil {
		return nil, err
	}
	return s.d.Similar.Merge(a.ctx, a.p, a.actor, a.id, in.Into, in.Note)
}

// topicDTO is one hot topic.
type topicDTO struct {
	Keywords      []string `json:"keywords"`
	CategoryID    int64    `json:"category_id"`
	Count         int      `json:"count"`
	Open          int      `json:"open"`
	OpenShare     float64  `json:"open_share"`
	NonHukou      int      `json:"non_hukou"`
	NonHukouShare float64  `json:"non_hukou_share"`
	Communities   int      `json:"communities"`
	RequestIDs    []int64  `json:"request_ids"`
	Numbers       []string `json:"numbers"`
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

func (s *Server) workTopics(c *gin.Context) {
	q := service.TopicQuery{From: c.Query("from"), To: c.Query("to"), Period: c.Query("period")}
	var err error
	if q.OrgID, err = queryInt(c, "org_id"); err == nil {
		q.PointID, err = queryInt(c, "point_id")
	}
	if err != nil {
		fail(c, err)
		return
	}
	rep, err := s.d.Similar.Topics(c.Request.Context(), principal(c), q)
	if err != nil {
		fail(c, err)
		return
	}
	topics := make([]topicDTO, len(rep.Topics))
	for i, t := range rep.Topics {
		topics[i] = topicDTO{Keywords: t.Keywords, CategoryID: t.CategoryID, Count: t.Count, Open: t.Open,
			OpenShare: round3(t.OpenShare), NonHukou: t.NonHukou, NonHukouShare: round3(t.NonHukouShare),
			Communities: t.Communities, RequestIDs: t.RequestIDs, Numbers: t.Numbers}
	}
	var point *int64
	if rep.PointID != 0 {
		point = &rep.PointID
	}
	ok(c, http.StatusOK, gin.H{"org_id": rep.OrgID, "org_name": rep.OrgName, "point_id": point,
		"from": rfc3339(rep.From), "to": rfc3339(rep.To), "since": rep.Since, "last_session_at": timePtr(rep.LastSessionAt),
		"items": rep.Items, "ungrouped": rep.Ungrouped, "truncated": rep.Truncated, "computed_at": rfc3339(rep.ComputedAt),
		"topics": topics})
}
