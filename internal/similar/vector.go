package similar

import (
	"math"
	"sort"
)

// vocab numbers the words of one computation, so vectors compare by merging
// sorted integer ids.
type vocab struct {
	ids   map[string]int32
	words []string
	idf   []float64
}

func newVocab() *vocab { return &vocab{ids: map[string]int32{}} }

// id numbers a word, computing its idf with a on first sight.
func (v *vocab) id(a *Analyzer, w string) int32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	id := int32(len(v.words))
	v.ids[w] = id
	v.words = append(v.words, w)
	v.idf = append(v.idf, a.idf(w))
	return id
}

// vec is a sparse L2-normalised TF-IDF vector, ids ascending.
type vec struct {
	ids []int32
	w   []float32
}

// vector builds the normalised TF-IDF vector of text ((1 + log tf) × idf)
// in the vocabulary.
func (a *Analyzer) vector(text string, voc *vocab) vec {
	tf := map[int32]int{}
	for _, t := range a.Terms(text) {
		tf[voc.id(a, t)]++
	}
	out := vec{ids: make([]int32, 0, len(tf)), w: make([]float32, 0, len(tf))}
	for id := range tf {
		if voc.idf[id] > 0 {
			out.ids = append(out.ids, id)
		}
	}
	sort.Slice(out.ids, func(i, j int) bool { return out.ids[i] < out.ids[j] })
	ws := make([]float64, len(out.ids))
	norm := 0.0
	for i, id := range out.ids {
		ws[i] = (1 + math.Log(float64(tf[id]))) * voc.idf[id]
		norm += ws[i] * ws[i]
	}
	norm = math.Sqrt(norm)
	for _, w := range ws {
		out.w = append(out.w, float32(w/norm))
	}
	return out
}

// cosine of two normalised vectors.
func cosine(a, b vec) float64 {
	var s float32
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] == b.ids[j]:
			s += a.w[i] * b.w[j]
			i++
			j++
		case a.ids[i] < b.ids[j]:
			i++
		default:
			j++
		}
	}
	return float64(s)
}
