package similar

import (
	"bufio"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhilian/model"
)

// shared is one analyzer for the package's tests (the dictionary loads once).
var (
	sharedOnce sync.Once
	shared     *Analyzer
)

func analyzer(t testing.TB) *Analyzer {
	sharedOnce.Do(func() { shared = NewAnalyzer() })
	if err := shared.Load(); err != nil {
		t.Fatal(err)
	}
	return shared
}

// item is one labelled request of testdata/corpus.tsv.
type item struct {
	doc                  model.SimilarDoc
	community, split     string
	category, dup, topic string
}

func loadCorpus(t testing.TB) []item {
	f, err := os.Open("testdata/corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, model.Shanghai)
	cats := map[string]int64{}
	comms := map[string]int64{}
	var out []item
	sc := bufio.NewScanner(f)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 9 {
			t.Fatalf("corpus line %q: %d columns", line, len(c))
		}
		day, err := strconv.Atoi(c[3])
		if err != nil {
			t.Fatalf("corpus line %q: day", line)
		}
		if _, ok := cats[c[2]]; !ok {
			cats[c[2]] = int64(len(cats) + 1)
		}
		if _, ok := comms[c[0]]; !ok {
			comms[c[0]] = int64(len(comms) + 1)
		}
		d := model.SimilarDoc{ID: int64(len(out) + 1), Text: c[8], CategoryID: cats[c[2]], CommunityID: comms[c[0]],
			At: start.Add(time.Duration(day)*24*time.Hour + time.Duration(len(out))*time.Minute)}
		if c[4] != "-" {
			lat, err1 := strconv.ParseFloat(c[4], 64)
			lng, err2 := strconv.ParseFloat(c[5], 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("corpus line %q: coordinates", line)
			}
			d.Lat, d.Lng = &lat, &lng
		}
		out = append(out, item{doc: d, community: c[0], split: c[1], category: c[2], dup: c[6], topic: c[7]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func ofSplit(items []item, split string) []item {
	var out []item
	for _, it := range items {
		if split == "" || it.split == split {
			out = append(out, it)
		}
	}
	return out
}

// dupQuality replays the items in submission order: each one is matched
// against the earlier items of its community (as a resident about to submit
// would be shown them, at most model.MaxSimilar), and the suggestions are
// compared with the duplicate groups.
func dupQuality(t testing.TB, e *Engine, items []item) (precision, recall float64, tp, suggested, truth int) {
	byTime := append([]item(nil), items...)
	sort.SliceStable(byTime, func(i, j int) bool { return byTime[i].doc.At.Before(byTime[j].doc.At) })
	group := map[int64]string{}
	for _, it := range byTime {
		group[it.doc.ID] = it.dup
	}
	for i, q := range byTime {
		var cands []model.SimilarDoc
		for _, c := range byTime[:i] {
			if c.community == q.community {
				cands = append(cands, c.doc)
				if q.dup != "-" && c.dup == q.dup {
					truth++
				}
			}
		}
		ms, err := e.Match(q.doc, cands, model.MaxSimilar)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			suggested++
			if q.dup != "-" && group[m.ID] == q.dup {
				tp++
			}
		}
	}
	return ratio(tp, suggested), ratio(tp, truth), tp, suggested, truth
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// topicQuality groups the items and compares the grouping with the topic labels.
func topicQuality(t testing.TB, e *Engine, items []item) (ari float64, groups int) {
	docs := make([]model.SimilarDoc, len(items))
	truth := map[int64]string{}
	for i, it := range items {
		docs[i] = it.doc
		truth[it.doc.ID] = it.topic
	}
	gs, err := e.Group(docs)
	if err != nil {
		t.Fatal(err)
	}
	found := map[int64]int{}
	for g, grp := range gs {
		for _, id := range grp.IDs {
			found[id] = g
		}
	}
	a := make([]string, len(items))
	b := make([]string, len(items))
	for i, it := range items {
		a[i] = it.topic
		b[i] = strconv.Itoa(found[it.doc.ID])
	}
	return adjustedRand(a, b), len(gs)
}

// adjustedRand is the adjusted Rand index of two labelings (Hubert & Arabie 1985).
func adjustedRand(a, b []string) float64 {
	choose2 := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	cont := map[[2]string]int{}
	ra, rb := map[string]int{}, map[string]int{}
	for i := range a {
		cont[[2]string{a[i], b[i]}]++
		ra[a[i]]++
		rb[b[i]]++
	}
	var index, sa, sb float64
	for _, n := range cont {
		index += choose2(n)
	}
	for _, n := range ra {
		sa += choose2(n)
	}
	for _, n := range rb {
		sb += choose2(n)
	}
	expected := sa * sb / choose2(len(a))
	max := (sa + sb) / 2
	if max == expected {
		return 1
	}
	return (index - expected) / (max - expected)
}

// TestAdjustedRand checks the index on known cases.
func TestAdjustedRand(t *testing.T) {
	same := adjustedRand([]string{"a", "a", "b", "b"}, []string{"x", "x", "y", "y"})
	if math.Abs(same-1) > 1e-9 {
		t.Fatalf("identical groupings: %v", same)
	}
	// Hubert & Arabie's example as computed by scikit-learn: 0.5714…
	got := adjustedRand([]string{"0", "0", "1", "1"}, []string{"0", "0", "1", "2"})
	if math.Abs(got-0.5714285714) > 1e-6 {
		t.Fatalf("ARI = %v, want 0.5714", got)
	}
}

// TestThresholdSweep prints precision, recall and ARI over thresholds on the
// development split only (ZL_SIMILAR_SWEEP=1; it is how the defaults were chosen).
func TestThresholdSweep(t *testing.T) {
	if os.Getenv("ZL_SIMILAR_SWEEP") == "" {
		t.Skip("set ZL_SIMILAR_SWEEP=1 to sweep the thresholds on the dev split")
	}
	e := NewEngine(analyzer(t))
	dev := ofSplit(loadCorpus(t), "dev")
	for th := 0.25; th <= 0.70; th += 0.05 {
		p, r, tp, s, n := dupQuality(t, e.WithThresholds(th, DefaultTopicThreshold), dev)
		t.Logf("dup threshold %.2f: precision %.3f recall %.3f (tp %d suggested %d true %d)", th, p, r, tp, s, n)
	}
	for th := 0.10; th <= 0.50; th += 0.04 {
		ari, g := topicQuality(t, e.WithThresholds(DefaultDuplicateThreshold, th), dev)
		t.Logf("topic threshold %.2f: ARI %.3f (%d groups)", th, ari, g)
	}
}

// TestDuplicateQuality reports the precision and recall of the duplicate
// suggestions at the default threshold on the held-out split (and on the
// development split, for comparison) and holds them to the targets.
func TestDuplicateQuality(t *testing.T) {
	e := NewEngine(analyzer(t))
	corpus := loadCorpus(t)
	for _, split := range []string{"dev", "test"} {
		p, r, tp, s, n := dupQuality(t, e, ofSplit(corpus, split))
		t.Logf("%s: threshold %.2f precision %.3f recall %.3f (%d of %d suggestions right, %d duplicate pairs)",
			split, DefaultDuplicateThreshold, p, r, tp, s, n)
		if split == "test" && (p < 0.8 || r < 0.7) {
			t.Errorf("held-out duplicates: precision %.3f (want ≥ 0.8), recall %.3f (want ≥ 0.7)", p, r)
		}
	}
}

// TestTopicQuality reports the adjusted Rand index of the topic grouping
// against the labels at the default threshold, held-out split held to ≥ 0.6.
func TestTopicQuality(t *testing.T) {
	e := NewEngine(analyzer(t))
	corpus := loadCorpus(t)
	for _, split := range []string{"dev", "test"} {
		items := ofSplit(corpus, split)
		ari, g := topicQuality(t, e, items)
		topics := map[string]bool{}
		for _, it := range items {
			topics[it.topic] = true
		}
		t.Logf("%s: threshold %.2f ARI %.3f (%d items, %d groups found, %d labelled topics)",
			split, DefaultTopicThreshold, ari, len(items), g, len(topics))
		if split == "test" && ari < 0.6 {
			t.Errorf("held-out topics: ARI %.3f, want ≥ 0.6", ari)
		}
	}
}

// TestKeywords: parts of a chosen compound are not listed again.
func TestKeywords(t *testing.T) {
	got := addKeyword(addKeyword(addKeyword([]string{"电动"}, "充电"), "电动车"), "动车")
	if strings.Join(got, ",") != "电动车,充电" {
		t.Fatalf("keywords = %v", got)
	}
}

// TestExcerptMasks: what identifies a person does not reach the excerpt.
func TestExcerptMasks(t *testing.T) {
	got := Excerpt("我叫张建国，电话13812345678，微信zhang_jg88，住5栋1203房，王阿姨家楼上漏水")
	for _, leak := range []string{"张建国", "138", "1234", "zhang", "1203", "王"} {
		if strings.Contains(got, leak) {
			t.Errorf("excerpt %q leaks %q", got, leak)
		}
	}
	if !strings.Contains(got, "漏水") && !strings.HasSuffix(got, "…") {
		t.Errorf("excerpt %q lost the problem", got)
	}
	if n := len([]rune(Excerpt(strings.Repeat("路灯不亮", 30)))); n != ExcerptRunes {
		t.Errorf("long excerpt has %d characters, want %d", n, ExcerptRunes)
	}
}
