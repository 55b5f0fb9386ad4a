package model

import (
	"fmt"
	"sort"
	"time"
)

// StatsGroup is the bucket of a statistics time series.
type StatsGroup string

// Series buckets: ISO weeks (Monday to Sunday) or calendar months, Asia/Shanghai.
const (
	GroupWeek  StatsGroup = "week"
	GroupMonth StatsGroup = "month"
)

// MaxStatsYears bounds the length of a statistics period.
const MaxStatsYears = 10

// StatsQuery is a statistics question: the items whose handling org lies in
// Org's subtree and that were submitted in the business days [From, To).
// Every figure describes those items as they stand at AsOf (now).
type StatsQuery struct {
	Org   *Org
	From  time.Time // midnight Asia/Shanghai, inclusive
	To    time.Time // midnight Asia/Shanghai, exclusive
	Group StatsGroup
	AsOf  time.Time
}

// NewStatsQuery validates a period given as YYYY-MM-DD dates (to exclusive)
// and a series bucket. Empty from is 1 January of this year, empty to is
// 1 January of the following year, empty group is month.
func NewStatsQuery(org *Org, from, to, group string, now time.Time) (StatsQuery, error) {
	q := StatsQuery{Org: org, Group: StatsGroup(group), AsOf: now}
	year := now.In(Shanghai).Year()
	q.From = time.Date(year, 1, 1, 0, 0, 0, 0, Shanghai)
	q.To = q.From.AddDate(1, 0, 0)
	var err error
	if from != "" {
		if q.From, err = ParseDate(from); err != nil {
			return q, Invalid("from 须为 YYYY-MM-DD 格式的日期：%s", from)
		}
	}
	if to != "" {
		if q.To, err = ParseDate(to); err != nil {
			return q, Invalid("to 须为 YYYY-MM-DD 格式的日期：%s", to)
		}
	}
	if !q.From.Before(q.To) {
		return q, Invalid("from 须早于 to（统计区间为 [from, to)）")
	}
	if q.To.After(q.From.AddDate(MaxStatsYears, 0, 0)) {
		return q, Invalid("统计区间不能超过 %d 年", MaxStatsYears)
	}
	switch q.Group {
	case "":
		q.Group = GroupMonth
	case GroupWeek, GroupMonth:
	default:
		return q, Invalid("group 须为 week 或 month")
	}
	return q, nil
}

// Key identifies the question in a cache (with the data version).
func (q StatsQuery) Key() string {
	return fmt.Sprintf("%s|%s|%s|%s", q.Org.Path, FormatDate(q.From), FormatDate(q.To), q.Group)
}

// StatsFacet is one group of items sharing a child org, category, source,
// residency and status, with the sums the figures are built from.
type StatsFacet struct {
	Child       int64 // direct child of the queried node holding the handling org; 0: the node itself
	CommunityID int64 // for items the node handles itself: their community (else 0)
	CategoryID  int64
	Source      RequestSource
	Residency   string // "" when unknown
	Status      RequestStatus
	N           int64 // items
	Accepted    int64 // items ever accepted
	Overdue     int64
	OnTime      int64 // closed no later than the close due time
	Rated       int64
	RatingSum   int64
	Satisfied   int64 // rated 4 or 5
	Redos       int64 // sum of redo counts
	Redone      int64 // items redone at least once
}

// StatsDays is one group of items sharing the business day they were
// submitted, accepted (0: never) and closed (0: not closed now), as day
// numbers (MySQL TO_DAYS), with their counts by outcome.
type StatsDays struct {
	Created, Accepted, Closed int64
	N, Withdrawn, Resolved    int64
	Responded, Rejected, Open int64
}

// toDaysEpoch is TO_DAYS('1970-01-01').
const toDaysEpoch = 719528

// DayFromNumber turns a MySQL TO_DAYS number into a business day.
func DayFromNumber(n int64) time.Time {
	return time.Date(1970, 1, 1, 0, 0, 0, 0, Shanghai).AddDate(0, 0, int(n-toDaysEpoch))
}

// DayNumber is the MySQL TO_DAYS number of t's business day.
func DayNumber(t time.Time) int64 {
	d := DayOf(t)
	return toDaysEpoch + int64(d.Sub(time.Date(1970, 1, 1, 0, 0, 0, 0, Shanghai)).Hours()/24)
}

// StatsCounts are the figures of a set of items (withdrawn ones excluded).
type StatsCounts struct {
	Collected      int64   // submitted minus withdrawn
	Share          float64 // collected / the whole report's collected
	Accepted       int64   // ever accepted (受理), whatever happened next
	Pending        int64   // status submitted: waiting to be accepted
	InProgress     int64   // status accepted
	LongTerm       int64   // status long_term
	Open           int64   // pending + in_progress + long_term
	Resolved       int64   // status resolved
	Responded      int64   // status responded
	Rejected       int64   // status rejected
	Merged         int64   // merged into an item still open (a merged item takes its primary's outcome when it closes)
	Overdue        int64   // open and past the due time of its stage at as_of
	Rate           float64 // (resolved + responded) / collected
	RatePct        string  // rate as a percentage, one decimal
	Closed         int64   // resolved + responded
	OnTime         int64   // closed no later than the close due time
	OnTimeRate     float64 // on_time / closed
	Rated          int64   // items with a rating
	AvgScore       float64 // mean rating of rated items
	Satisfied      int64   // rated 4 or 5
	SatisfiedShare float64 // satisfied / rated
	RedoCount      int64   // redos asked (sum over items)
	Redone         int64   // items redone at least once
	ratingSum      int64
}

// Add counts a facet in; withdrawn items only count where the caller says.
func (c *StatsCounts) Add(f StatsFacet) {
	if f.Status == StatusWithdrawn {
		return
	}
	c.Collected += f.N
	c.Accepted += f.Accepted
	switch f.Status {
	case StatusSubmitted:
		c.Pending += f.N
	case StatusAccepted:
		c.InProgress += f.N
	case StatusLongTerm:
		c.LongTerm += f.N
	case StatusResolved:
		c.Resolved += f.N
	case StatusResponded:
		c.Responded += f.N
	case StatusRejected:
		c.Rejected += f.N
	case StatusMerged:
		c.Merged += f.N
	}
	c.Overdue += f.Overdue
	c.OnTime += f.OnTime
	c.Rated += f.Rated
	c.ratingSum += f.RatingSum
	c.Satisfied += f.Satisfied
	c.RedoCount += f.Redos
	c.Redone += f.Redone
}

// Merge adds o's counts into c (both before Finish).
func (c *StatsCounts) Merge(o *StatsCounts) {
	c.Collected += o.Collected
	c.Accepted += o.Accepted
	c.Pending += o.Pending
	c.InProgress += o.InProgress
	c.LongTerm += o.LongTerm
	c.Resolved += o.Resolved
	c.Responded += o.Responded
	c.Rejected += o.Rejected
	c.Merged += o.Merged
	c.Overdue += o.Overdue
	c.OnTime += o.OnTime
	c.Rated += o.Rated
	c.ratingSum += o.ratingSum
	c.Satisfied += o.Satisfied
	c.RedoCount += o.RedoCount
	c.Redone += o.Redone
}

// ratio is a/b, 0 when b is 0.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Percent writes a ratio as a percentage with one decimal: 0.965 → "96.5%".
func Percent(r float64) string { return fmt.Sprintf("%.1f%%", r*100) }

// Finish computes the derived figures; total is the report's collected.
func (c *StatsCounts) Finish(total int64) {
	c.Share = ratio(c.Collected, total)
	c.Open = c.Pending + c.InProgress + c.LongTerm
	c.Closed = c.Resolved + c.Responded
	c.Rate = ratio(c.Closed, c.Collected)
	c.RatePct = Percent(c.Rate)
	c.OnTimeRate = ratio(c.OnTime, c.Closed)
	c.AvgScore = ratio(c.ratingSum, c.Rated)
	c.SatisfiedShare = ratio(c.Satisfied, c.Rated)
}

// StatsDuration summarises a duration in working days over items.
type StatsDuration struct {
	Count  int64   // items measured
	Avg    float64 // mean working days
	Median float64 // middle value; the mean of the two middle values for an even count
}

// Durations builds a StatsDuration from a histogram: working days → items.
func Durations(hist map[int64]int64) StatsDuration {
	keys := make([]int64, 0, len(hist))
	var d StatsDuration
	var sum int64
	for k, n := range hist {
		if n > 0 {
			keys = append(keys, k)
			d.Count += n
			sum += k * n
		}
	}
	if d.Count == 0 {
		return d
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	d.Avg = float64(sum) / float64(d.Count)
	at := func(i int64) int64 { // value at 0-based rank i
		for _, k := range keys {
			if i < hist[k] {
				return k
			}
			i -= hist[k]
		}
		return keys[len(keys)-1]
	}
	if d.Count%2 == 1 {
		d.Median = float64(at(d.Count / 2))
	} else {
		d.Median = float64(at(d.Count/2-1)+at(d.Count/2)) / 2
	}
	return d
}

// StatsOrg names the node a report is about.
type StatsOrg struct {
	ID   int64
	Name string
	Kind OrgKind
}

// StatsCategoryRow is the figures of one category.
type StatsCategoryRow struct {
	CategoryID int64
	Name       string
	StatsCounts
}

// StatsOrgRow is the figures of one direct child of the queried node (or of
// the node itself, for the items it handles that fall under no child).
type StatsOrgRow struct {
	OrgID int64
	Name  string
	Kind  OrgKind
	Self  bool
	StatsCounts
}

// StatsResidency is the split by residency type at submission.
type StatsResidency struct {
	Hukou    StatsCounts
	NonHukou StatsCounts
	Unknown  StatsCounts // walk-ins and staff entries without a residency
}

// StatsSeriesRow is one bucket of the time series (by submission day).
type StatsSeriesRow struct {
	Period    string // 2026-03 or 2026-W10
	From      string // first day in the bucket and the period
	To        string // day after the last one (exclusive)
	Collected int64
	Accepted  int64
	Resolved  int64
	Responded int64
	Rejected  int64
	Open      int64
	Rate      float64
}

// StatsTable is an extra section of a report (liaison points, department
// invitations) as figures: its key, the keys of its columns, and its rows.
// Titles and column labels are presentation; the api maps the keys to them.
type StatsTable struct {
	Key     string
	Columns []string // column keys, in row order
	Rows    [][]any
}

// StatsReport is the answer of a statistics query.
type StatsReport struct {
	Org       StatsOrg
	From      string
	To        string // exclusive
	Group     StatsGroup
	AsOf      time.Time
	Submitted int64 // every item submitted in the period, withdrawn ones included
	Withdrawn int64
	StatsCounts
	AcceptDays  StatsDuration // submission → acceptance
	CloseDays   StatsDuration // submission → (last) closure, closed items
	ByCategory  []StatsCategoryRow
	ByResidency StatsResidency
	BySource    map[string]StatsCounts
	ByOrg       []StatsOrgRow
	Series      []StatsSeriesRow
	Sections    []StatsTable
}

// StatsSources lists the sources in report order.
var StatsSources = []RequestSource{SourceMiniProgram, SourceSession, SourceWalkIn, SourceStaff, SourceOpen311}

// StatsItem is one request as the item export lists it: no personal data.
type StatsItem struct {
	ID            int64
	Number        string
	CreatedAt     time.Time
	CategoryID    int64
	Status        RequestStatus
	Source        RequestSource
	Residency     string
	HandlingOrgID int64
	CommunityID   int64
	AcceptDueAt   time.Time
	ResolveDueAt  time.Time
	AcceptedAt    *time.Time
	ClosedAt      *time.Time
	Rating        *int
	RedoCount     int
}

// Overdue reports whether the item is open and past the due time of its stage at t.
func (i StatsItem) Overdue(t time.Time) bool {
	switch i.Status {
	case StatusSubmitted:
		return i.AcceptDueAt.Before(t)
	case StatusAccepted:
		return i.ResolveDueAt.Before(t)
	}
	return false
}
