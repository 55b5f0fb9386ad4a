package model

import (
	"time"
)

// SimilarDoc is a request as the similarity engine sees it: what it says,
// where, when and what kind of problem it is. Nothing that names a person.
type SimilarDoc struct {
	ID          int64
	Text        string
	CategoryID  int64 // 0: not chosen yet
	CommunityID int64
	Lat, Lng    *float64
	At          time.Time
}

// SimilarMatch is a candidate that looks like the query, with its score and
// the text part of it (cosine of the weighted words).
type SimilarMatch struct {
	ID    int64
	Score float64
	Text  float64
}

// TopicGroup is a cluster of similar requests: their ids (largest first in a
// list of groups) and the words that describe them.
type TopicGroup struct {
	Keywords []string
	IDs      []int64
}

// MaxSimilar is how many look-alike items a resident is shown before submitting.
const MaxSimilar = 3

// MaxDuplicates is how many likely duplicates a cadre is shown on an item's page.
const MaxDuplicates = 5
