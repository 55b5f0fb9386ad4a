package similar

import (
	"sort"
	"strings"

	"zhilian/model"
)

// maxDense is the most items clustered in one similarity matrix (a
// condensed float32 triangle: 32 MB at 4,000). Larger sets are grouped per
// category, and a category above it keeps its newest maxDense items.
const maxDense = 4000

// topicKeywords is how many words describe a topic.
const topicKeywords = 4

// Group clusters the documents into topics by average linkage on the topic
// similarity (text cosine plus the category weight), merging while the two
// closest groups are at least the topic threshold apart. Groups come largest
// first (ties: the one with the newest item first); every document is in
// exactly one group, singletons included.
func (e *Engine) Group(docs []model.SimilarDoc) ([]model.TopicGroup, error) {
	if err := e.a.Load(); err != nil {
		return nil, err
	}
	var blocks [][]model.SimilarDoc
	if len(docs) <= e.maxGroups {
		blocks = [][]model.SimilarDoc{docs}
	} else {
		byCat := map[int64][]model.SimilarDoc{}
		var cats []int64
		for _, d := range docs {
			if _, ok := byCat[d.CategoryID]; !ok {
				cats = append(cats, d.CategoryID)
			}
			byCat[d.CategoryID] = append(byCat[d.CategoryID], d)
		}
		sort.Slice(cats, func(i, j int) bool { return cats[i] < cats[j] })
		for _, c := range cats {
			b := byCat[c]
			if len(b) > e.maxGroups {
				sort.Slice(b, func(i, j int) bool { return b[i].At.After(b[j].At) })
				b = b[:e.maxGroups]
			}
			blocks = append(blocks, b)
		}
	}
	var out []model.TopicGroup
	for _, b := range blocks {
		out = append(out, e.group(b)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].IDs) != len(out[j].IDs) {
			return len(out[i].IDs) > len(out[j].IDs)
		}
		return out[i].IDs[0] > out[j].IDs[0]
	})
	return out, nil
}

// group clusters one block.
func (e *Engine) group(docs []model.SimilarDoc) []model.TopicGroup {
	n := len(docs)
	if n == 0 {
		return nil
	}
	voc := newVocab()
	vs := make([]vec, n)
	for i, d := range docs {
		vs[i] = e.a.vector(d.Text, voc)
	}
	sim := newTriangle(n)
	// Dot products through an inverted index: only pairs that share a word
	// are touched, and each row is accumulated in one pass.
	postings := make([][]posting, len(voc.words))
	row := make([]float32, n)
	for i := 0; i < n; i++ {
		for k, id := range vs[i].ids {
			w := vs[i].w[k]
			for _, p := range postings[id] {
				row[p.doc] += w * p.w
			}
			postings[id] = append(postings[id], posting{doc: int32(i), w: w})
		}
		base := i * (i - 1) / 2
		for j := 0; j < i; j++ {
			s := row[j]
			if s > 0 && docs[i].CategoryID != 0 && docs[i].CategoryID == docs[j].CategoryID {
				s += float32(e.w.Category)
			}
			sim.v[base+j] = s
			row[j] = 0
		}
	}
	labels := averageLinkage(sim, float32(e.topic))
	members := map[int][]int{}
	var roots []int
	for i, l := range labels {
		if _, ok := members[l]; !ok {
			roots = append(roots, l)
		}
		members[l] = append(members[l], i)
	}
	out := make([]model.TopicGroup, 0, len(roots))
	for _, r := range roots {
		idx := members[r]
		sort.Slice(idx, func(a, b int) bool { return docs[idx[a]].ID > docs[idx[b]].ID })
		g := model.TopicGroup{IDs: make([]int64, len(idx))}
		for k, i := range idx {
			g.IDs[k] = docs[i].ID
		}
		g.Keywords = keywords(vs, idx, voc)
		out = append(out, g)
	}
	return out
}

// keywords are the words with the most weight summed over the members
// (each member's vector is normalised, so every item has one vote), among
// words of two characters or more when there are enough of them.
func keywords(vs []vec, idx []int, voc *vocab) []string {
	sum := map[int32]float64{}
	for _, i := range idx {
		for k, id := range vs[i].ids {
			sum[id] += float64(vs[i].w[k])
		}
	}
	type kw struct {
		w     string
		score float64
	}
	var long, short []kw
	for id, s := range sum {
		w := voc.words[id]
		if len([]rune(w)) >= 2 {
			long = append(long, kw{w, s})
		} else {
			short = append(short, kw{w, s})
		}
	}
	for _, l := range [][]kw{long, short} {
		sort.Slice(l, func(i, j int) bool {
			if l[i].score != l[j].score {
				return l[i].score > l[j].score
			}
			return l[i].w < l[j].w
		})
	}
	out := []string{}
	for _, l := range [][]kw{long, short} {
		for _, k := range l {
			if len(out) == topicKeywords {
				return out
			}
			out = addKeyword(out, k.w)
		}
	}
	return out
}

// addKeyword adds w unless a chosen keyword contains it (search mode also
// yields the parts of compounds: 电动车 → 电动, 动车); a w that contains
// chosen ones takes the place of the first and drops the others.
func addKeyword(out []string, w string) []string {
	at := -1
	kept := out[:0:0]
	for _, k := range out {
		switch {
		case strings.Contains(k, w):
			return out
		case strings.Contains(w, k):
			if at < 0 {
				at = len(kept)
				kept = append(kept, w)
			}
		default:
			kept = append(kept, k)
		}
	}
	if at < 0 {
		kept = append(kept, w)
	}
	return kept
}

// posting is a document's weight for a word.
type posting struct {
	doc int32
	w   float32
}

// triangle is a condensed symmetric matrix without its diagonal.
type triangle struct {
	n int
	v []float32
}

func newTriangle(n int) *triangle { return &triangle{n: n, v: make([]float32, n*(n-1)/2)} }

func (t *triangle) at(i, j int) int {
	if i < j {
		i, j = j, i
	}
	return i*(i-1)/2 + j
}

func (t *triangle) get(i, j int) float32    { return t.v[t.at(i, j)] }
func (t *triangle) set(i, j int, s float32) { t.v[t.at(i, j)] = s }

// averageLinkage clusters by average linkage (UPGMA) with the
// nearest-neighbour-chain algorithm, O(n²) time, stopping at the threshold:
// it returns a cluster label (the index of a member) for each item. Average
// linkage is reducible, so a reciprocal pair below the threshold can never
// join anything at or above it later: both are retired as final clusters.
func averageLinkage(sim *triangle, threshold float32) []int {
	n := sim.n
	label := make([]int, n)
	size := make([]int, n)
	active := make([]int, n) // indices of live clusters (each named by its representative)
	pos := make([]int, n)    // position of a representative in active, -1 when gone
	for i := range label {
		label[i], size[i], active[i], pos[i] = i, 1, i, i
	}
	remove := func(c int) {
		p := pos[c]
		last := active[len(active)-1]
		active[p], pos[last] = last, p
		active = active[:len(active)-1]
		pos[c] = -1
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var chain []int
	for len(active) > 1 {
		if len(chain) == 0 {
			chain = append(chain, active[0])
		}
		a := chain[len(chain)-1]
		var prev = -1
		if len(chain) > 1 {
			prev = chain[len(chain)-2]
		}
		best, bestSim := -1, float32(-1)
		for _, c := range active {
			if c == a {
				continue
			}
			s := sim.get(a, c)
			if s > bestSim || (s == bestSim && c == prev) {
				best, bestSim = c, s
			}
		}
		if best != prev {
			chain = append(chain, best)
			continue
		}
		chain = chain[:len(chain)-2]
		if bestSim < threshold {
			remove(a)
			remove(best)
			continue
		}
		// Merge best into a: a's row becomes the size-weighted average.
		for _, c := range active {
			if c == a || c == best {
				continue
			}
			merged := (float32(size[a])*sim.get(a, c) + float32(size[best])*sim.get(best, c)) / float32(size[a]+size[best])
			sim.set(a, c, merged)
		}
		size[a] += size[best]
		parent[best] = a
		remove(best)
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	for i := range label {
		label[i] = find(i)
	}
	return label
}
