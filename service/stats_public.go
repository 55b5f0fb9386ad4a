package service

import (
	"context"

	"zhilian/model"
)

// PublicFigures are the headline figures of one org that anybody may see
// (阳光公开): aggregates of the same report the staff get, never an item.
type PublicFigures struct {
	Org       model.StatsOrg
	Collected int64   // items collected in the period (submitted minus withdrawn)
	Closed    int64   // resolved + responded
	Rate      float64 // (resolved + responded) / collected
	RatePct   string
	// CloseMedianDays is the median of working days from submission to closure.
	CloseMedianDays float64
	// NonHukouShare is the share of the collected items filed by non-hukou residents.
	NonHukouShare float64
}

// PublicReport is a town's figures beside the whole city's, for one period.
type PublicReport struct {
	From, To string // YYYY-MM-DD, to exclusive
	Town     PublicFigures
	City     PublicFigures
}

// Public answers the public figures of a town (or of the city itself) and
// of the city it lies in, for [from, to) (default: this year). Only towns
// and the city are published: smaller units could point at single people.
// The reports come from Report, so they are cached like the staff's.
func (s *Stats) Public(ctx context.Context, orgID int64, from, to string) (*PublicReport, error) {
	q, err := model.NewStatsQuery(nil, from, to, "", s.d.Now())
	if err != nil {
		return nil, err
	}
	org, err := s.d.Orgs.Get(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !org.Active {
		return nil, model.ErrNotFound
	}
	if org.Kind != model.OrgTown && org.Kind != model.OrgCity {
		return nil, model.Invalid("只公开街道（镇）和全市的数据")
	}
	city := org
	for city.ParentID != nil {
		if city, err = s.d.Orgs.Get(ctx, *city.ParentID); err != nil {
			return nil, err
		}
	}
	out := &PublicReport{From: model.FormatDate(q.From), To: model.FormatDate(q.To)}
	for _, c := range []struct {
		org  *model.Org
		into *PublicFigures
	}{{org, &out.Town}, {city, &out.City}} {
		oq := q
		oq.Org = c.org
		r, err := s.Report(ctx, oq)
		if err != nil {
			return nil, err
		}
		*c.into = PublicFigures{Org: r.Org, Collected: r.Collected, Closed: r.Closed, Rate: r.Rate, RatePct: r.RatePct,
			CloseMedianDays: r.CloseDays.Median, NonHukouShare: r.ByResidency.NonHukou.Share}
	}
	return out, nil
}
