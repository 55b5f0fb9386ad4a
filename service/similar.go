package service

import "zhilian/model"

// TextSimilarity compares what requests say (internal/similar implements it).
type TextSimilarity interface {
	// Match returns the candidates that look like the query, best first, at most limit.
	Match(q model.SimilarDoc, cands []model.SimilarDoc, limit int) ([]model.SimilarMatch, error)
	// Group clusters documents into topics, largest first.
	Group(docs []model.SimilarDoc) ([]model.TopicGroup, error)
	// Excerpt is the public, masked beginning of a text.
	Excerpt(text string) string
}
