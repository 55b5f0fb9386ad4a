package similar

import (
	"math"
	"sort"
	"time"

	"zhilian/model"
	"zhilian/service"
)

// Weights are how much each signal adds to the text cosine in the duplicate
// score, and the scales over which distance and age fade.
type Weights struct {
	Category    float64       // + when both have the same category, − when they differ, 0 when the query has none
	Near        float64       // × (2·exp(-distance / NearScale) − 1) when both have coordinates: + near, − far
	NearScale   float64       // metres
	Recent      float64       // × exp(-age difference / RecentScale)
	RecentScale time.Duration //
	MinText     float64       // below this cosine nothing else counts: the words must meet
}

// DefaultWeights: the text decides, the rest is evidence for or against. A
// same-category, same-place, same-day pair gains 0.25, so it still needs a
// cosine of about 0.2 to reach the threshold; another category or a place
// more than NearScale·ln 2 (173 m) away counts against.
var DefaultWeights = Weights{Category: 0.10, Near: 0.10, NearScale: 250, Recent: 0.05,
	RecentScale: 14 * 24 * time.Hour, MinText: 0.15}

// DefaultDuplicateThreshold is the score from which a candidate is suggested
// as the same problem. Chosen on the development part of the labelled corpus
// (testdata/corpus.tsv, split "dev"); the figures of the held-out part are
// reported by TestDuplicateQuality.
const DefaultDuplicateThreshold = 0.45

// DefaultTopicThreshold is the average-linkage similarity down to which
// items are grouped into one topic (chosen on the "dev" split as well).
const DefaultTopicThreshold = 0.22

// Engine ranks look-alike requests and groups them into topics.
type Engine struct {
	a         *Analyzer
	w         Weights
	dup       float64
	topic     float64
	maxGroups int
}

// NewEngine builds an engine on a (shared) analyzer with the default weights and thresholds.
func NewEngine(a *Analyzer) *Engine {
	return &Engine{a: a, w: DefaultWeights, dup: DefaultDuplicateThreshold, topic: DefaultTopicThreshold,
		maxGroups: maxDense}
}

// WithThresholds returns a copy of the engine with other thresholds (evaluation).
func (e *Engine) WithThresholds(dup, topic float64) *Engine {
	c := *e
	c.dup, c.topic = dup, topic
	return &c
}

var _ service.TextSimilarity = (*Engine)(nil)

// Ready loads the dictionary (start-up warms it; readiness can wait on it).
func (e *Engine) Ready() error { return e.a.Load() }

// Score is the duplicate score of candidate c for query q: the cosine of
// their words plus the weighted category, distance and recency signals.
func (e *Engine) score(q, c model.SimilarDoc, text float64) float64 {
	if text < e.w.MinText {
		return text
	}
	s := text
	if q.CategoryID != 0 && c.CategoryID != 0 {
		if q.CategoryID == c.CategoryID {
			s += e.w.Category
		} else {
			s -= e.w.Category
		}
	}
	if q.Lat != nil && q.Lng != nil && c.Lat != nil && c.Lng != nil {
		s += e.w.Near * (2*math.Exp(-Distance(*q.Lat, *q.Lng, *c.Lat, *c.Lng)/e.w.NearScale) - 1)
	}
	if !q.At.IsZero() && !c.At.IsZero() {
		age := q.At.Sub(c.At)
		if age < 0 {
			age = -age
		}
		s += e.w.Recent * math.Exp(-float64(age)/float64(e.w.RecentScale))
	}
	return s
}

// Match scores the candidates against the query and returns those at or
// above the duplicate threshold, best first (ties: newer id first), at most
// limit of them.
func (e *Engine) Match(q model.SimilarDoc, cands []model.SimilarDoc, limit int) ([]model.SimilarMatch, error) {
	if err := e.a.Load(); err != nil {
		return nil, err
	}
	voc := newVocab()
	qv := e.a.vector(q.Text, voc)
	out := []model.SimilarMatch{}
	for _, c := range cands {
		if c.ID == q.ID && q.ID != 0 {
			continue
		}
		text := cosine(qv, e.a.vector(c.Text, voc))
		if s := e.score(q, c, text); s >= e.dup {
			out = append(out, model.SimilarMatch{ID: c.ID, Score: s, Text: text})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID > out[j].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Distance is the great-circle distance in metres between two points.
func Distance(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371000.0
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}
