package api

import "zhilian/model"

// statsCountsDTO is the wire form of model.StatsCounts: the figures of a set
// of items (withdrawn ones excluded).
type statsCountsDTO struct {
	Collected      int64   `json:"collected"`
	Share          float64 `json:"share"`
	Accepted       int64   `json:"accepted"`
	Pending        int64   `json:"pending"`
	InProgress     int64   `json:"in_progress"`
	LongTerm       int64   `json:"long_term"`
	Open           int64   `json:"open"`
	Resolved       int64   `json:"resolved"`
	Responded      int64   `json:"responded"`
	Rejected       int64   `json:"rejected"`
	Merged         int64   `json:"merged"`
	Overdue        int64   `json:"overdue"`
	Rate           float64 `json:"rate"`
	RatePct        string  `json:"rate_pct"`
	Closed         int64   `json:"closed"`
	OnTime         int64   `json:"on_time"`
	OnTimeRate     float64 `json:"on_time_rate"`
	Rated          int64   `json:"rated"`
	AvgScore       float64 `json:"avg_score"`
	Satisfied      int64   `json:"satisfied"`
	SatisfiedShare float64 `json:"satisfied_share"`
	RedoCount      int64   `json:"redo_count"`
	Redone         int64   `json:"redone"`
}

func toStatsCounts(c model.StatsCounts) statsCountsDTO {
	return statsCountsDTO{Collected: c.Collected, Share: c.Share, Accepted: c.Accepted, Pending: c.Pending,
		InProgress: c.InProgress, LongTerm: c.LongTerm, Open: c.Open, Resolved: c.Resolved, Responded: c.Responded,
		Rejected: c.Rejected, Merged: c.Merged, Overdue: c.Overdue, Rate: c.Rate, RatePct: c.RatePct, Closed: c.Closed,
		OnTime: c.OnTime, OnTimeRate: c.OnTimeRate, Rated: c.Rated, AvgScore: c.AvgScore, Satisfied: c.Satisfied,
		SatisfiedShare: c.SatisfiedShare, RedoCount: c.RedoCount, Redone: c.Redone}
}

// statsOrgDTO names the node a report is about.
type statsOrgDTO struct {
	ID   int64         `json:"id"`
	Name string        `json:"name"`
	Kind model.OrgKind `json:"kind"`
}

func toStatsOrg(o model.StatsOrg) statsOrgDTO {
	return statsOrgDTO{ID: o.ID, Name: o.Name, Kind: o.Kind}
}

// statsDurationDTO is a duration in working days.
type statsDurationDTO struct {
	Count  int64   `json:"count"`
	Avg    float64 `json:"avg"`
	Median float64 `json:"median"`
}

func toStatsDuration(d model.StatsDuration) statsDurationDTO {
	return statsDurationDTO{Count: d.Count, Avg: d.Avg, Median: d.Median}
}

// statsCategoryRowDTO is the figures of one category.
type statsCategoryRowDTO struct {
	CategoryID int64  `json:"category_id"`
	Name       string `json:"name"`
	statsCountsDTO
}

// statsOrgRowDTO is the figures of one direct child of the queried node.
type statsOrgRowDTO struct {
	OrgID int64         `json:"org_id"`
	Name  string        `json:"name"`
	Kind  model.OrgKind `json:"kind"`
	Self  bool          `json:"self"`
	statsCountsDTO
}

// statsResidencyDTO is the split by residency type.
type statsResidencyDTO struct {
	Hukou    statsCountsDTO `json:"hukou"`
	NonHukou statsCountsDTO `json:"non_hukou"`
	Unknown  statsCountsDTO `json:"unknown"`
}

// statsSeriesRowDTO is one bucket of the time series.
type statsSeriesRowDTO struct {
	Period    string  `json:"period"`
	From      string  `json:"from"`
	To        string  `json:"to"`
	Collected int64   `json:"collected"`
	Accepted  int64   `json:"accepted"`
	Resolved  int64   `json:"resolved"`
	Responded int64   `json:"responded"`
	Rejected  int64   `json:"rejected"`
	Open      int64   `json:"open"`
	Rate      float64 `json:"rate"`
}

// statsReport is the wire form of a report: the figures, with the extra
// sections titled and their columns labelled.
type statsReport struct {
	Org       statsOrgDTO      `json:"org"`
	From      string           `json:"from"`
	To        string           `json:"to"`
	Group     model.StatsGroup `json:"group"`
	AsOf      string           `json:"as_of"`
	Submitted int64            `json:"submitted"`
	Withdrawn int64            `json:"withdrawn"`
	statsCountsDTO
	AcceptDays  statsDurationDTO          `json:"accept_days"`
	CloseDays   statsDurationDTO          `json:"close_days"`
	ByCategory  []statsCategoryRowDTO     `json:"by_category"`
	ByResidency statsResidencyDTO         `json:"by_residency"`
	BySource    map[string]statsCountsDTO `json:"by_source"`
	ByOrg       []statsOrgRowDTO          `json:"by_org"`
	Series      []statsSeriesRowDTO       `json:"series"`
	Sections    []statsTable              `json:"sections,omitempty"`
}

// statsReportOf builds the wire form of r, titling its extra sections.
func statsReportOf(r *model.StatsReport) statsReport {
	out := statsReport{Org: toStatsOrg(r.Org), From: r.From, To: r.To, Group: r.Group, AsOf: rfc3339(r.AsOf),
		Submitted: r.Submitted, Withdrawn: r.Withdrawn, statsCountsDTO: toStatsCounts(r.StatsCounts),
		AcceptDays: toStatsDuration(r.AcceptDays), CloseDays: toStatsDuration(r.CloseDays),
		ByCategory:  make([]statsCategoryRowDTO, len(r.ByCategory)),
		ByResidency: statsResidencyDTO{Hukou: toStatsCounts(r.ByResidency.Hukou), NonHukou: toStatsCounts(r.ByResidency.NonHukou), Unknown: toStatsCounts(r.ByResidency.Unknown)},
		ByOrg:       make([]statsOrgRowDTO, len(r.ByOrg)),
		Series:      make([]statsSeriesRowDTO, len(r.Series))}
	for i, c := range r.ByCategory {
		out.ByCategory[i] = statsCategoryRowDTO{CategoryID: c.CategoryID, Name: c.Name, statsCountsDTO: toStatsCounts(c.StatsCounts)}
	}
	for i, o := range r.ByOrg {
		out.ByOrg[i] = statsOrgRowDTO{OrgID: o.OrgID, Name: o.Name, Kind: o.Kind, Self: o.Self, statsCountsDTO: toStatsCounts(o.StatsCounts)}
	}
	for i, s := range r.Series {
		out.Series[i] = statsSeriesRowDTO{Period: s.Period, From: s.From, To: s.To, Collected: s.Collected, Accepted: s.Accepted,
			Resolved: s.Resolved, Responded: s.Responded, Rejected: s.Rejected, Open: s.Open, Rate: s.Rate}
	}
	if r.BySource != nil {
		out.BySource = make(map[string]statsCountsDTO, len(r.BySource))
		for k, c := range r.BySource {
			out.BySource[k] = toStatsCounts(c)
		}
	}
	for _, t := range r.Sections {
		out.Sections = append(out.Sections, sectionTable(t))
	}
	return out
}
