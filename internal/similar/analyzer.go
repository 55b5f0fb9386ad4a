// Package similar finds requests that say the same thing: Chinese word
// segmentation (gse with its embedded dictionary), stop words and a small
// synonym lexicon, TF-IDF vectors compared by cosine, a score that adds
// category, distance and recency, and average-linkage clustering for hot
// topics. It knows nothing of storage: the service hands it documents.
package similar

import (
	_ "embed"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
	"golang.org/x/text/width"
)

//go:embed lexicon/stopwords.txt
var stopwordsTxt string

//go:embed lexicon/synonyms.txt
var synonymsTxt string

//go:embed lexicon/words.txt
var wordsTxt string

// minTokenFreq drops dictionary entries seen fewer times than this in gse's
// source corpus (57% of the simplified dictionary: rare names and idioms).
// Loading takes half the memory and time, and everyday phrases split better
// ("路灯/不亮" instead of "路/灯不亮").
const minTokenFreq = 4

// domainWordFreq is the frequency given to the domain words of words.txt: a
// middling one, so they are kept whole without swallowing their neighbours.
const domainWordFreq = 2000

// Analyzer turns Chinese text into the weighted words similarity is computed
// on. It holds gse's dictionary (about 50 MB): build one per process and
// share it; the dictionary is loaded on first use (or by Load).
type Analyzer struct {
	once     sync.Once
	err      error
	seg      gse.Segmenter
	stop     map[string]bool
	syn      map[string]string
	cache    termCache
	logTotal float64 // log of the dictionary's total frequency
	unknown  float64 // weight of words the dictionary does not know: its median word's
}

// NewAnalyzer returns an analyzer whose dictionary is not loaded yet.
func NewAnalyzer() *Analyzer { return &Analyzer{} }

// Load loads the dictionary and the lexicon once; later calls return the
// first outcome. Safe for concurrent use.
func (a *Analyzer) Load() error {
	a.once.Do(func() { a.err = a.load() })
	return a.err
}

func (a *Analyzer) load() error {
	a.seg.MinTokenFreq = minTokenFreq
	a.seg.SkipLog = true
	// The domain words go in first: the dictionary load then computes every
	// token's path weight once (doing it again after costs a second).
	a.seg.Dict = gse.NewDict()
	a.seg.Init()
	for _, w := range lines(wordsTxt) {
		if err := a.seg.AddToken(w, domainWordFreq, "n"); err != nil {
			return fmt.Errorf("add domain word %q: %w", w, err)
		}
	}
	if err := a.seg.LoadDictEmbed("zh_s"); err != nil {
		return fmt.Errorf("load gse dictionary: %w", err)
	}
	if err := a.seg.LoadStopEmbed(); err != nil {
		return fmt.Errorf("load gse stop tokens: %w", err)
	}
	a.stop = map[string]bool{}
	for _, w := range lines(stopwordsTxt) {
		a.stop[w] = true
	}
	a.syn = map[string]string{}
	for _, l := range lines(synonymsTxt) {
		f := strings.Fields(l)
		if len(f) != 2 {
			return fmt.Errorf("synonyms: bad line %q", l)
		}
		a.syn[f[0]] = f[1]
	}
	a.logTotal = math.Log(a.seg.Dict.TotalFreq())
	freqs := make([]float64, len(a.seg.Dict.Tokens))
	for i := range a.seg.Dict.Tokens {
		freqs[i] = a.seg.Dict.Tokens[i].Freq()
	}
	sort.Float64s(freqs)
	a.unknown = a.logTotal - math.Log(freqs[len(freqs)/2])
	return nil
}

// lines are the non-empty, non-comment lines of an embedded list.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// normalise folds full-width letters and digits to ASCII and lowercases.
func normalise(s string) string {
	return strings.ToLower(width.Fold.String(s))
}

// hasHan reports whether s holds a Chinese character or a letter (pure
// numbers and punctuation say nothing about the problem).
func meaningful(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// placeNumber finds a numbered place inside a community (7座, 12栋, 三区,
// 二组): what tells two complaints about the same kind of problem apart is
// often which building they are about.
var placeNumber = regexp.MustCompile(`([0-9]+|[一二三四五六七八九十]+)(栋|座|幢|号楼|单元|期|区|巷|队|组)`)

// numeral reports whether w is only a number or a count in Chinese
// (三十多个, 两个, 十几): how many says nothing about which problem.
func numeral(w string) bool {
	for _, r := range w {
		if !strings.ContainsRune("零一二两三四五六七八九十百千万亿几多余个半整第每", r) {
			return false
		}
	}
	return true
}

// Terms are the content words of text in order: segmented (search mode, so
// compounds also yield their parts), mapped through the synonym lexicon,
// without stop words, numbers and punctuation. It loads the dictionary if
// needed; a load failure yields no terms (Load reports it).
func (a *Analyzer) Terms(text string) []string {
	if a.Load() != nil {
		return nil
	}
	if t, ok := a.cache.get(text); ok {
		return t
	}
	t := a.terms(text)
	a.cache.put(text, t)
	return t
}

func (a *Analyzer) terms(text string) []string {
	text = normalise(text)
	var out []string
	for _, m := range placeNumber.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1]+m[2])
	}
	for _, w := range a.seg.CutSearch(text, true) {
		w = strings.TrimSpace(w)
		if w == "" || !meaningful(w) || numeral(w) {
			continue
		}
		if c, ok := a.syn[w]; ok {
			w = c
		}
		if a.stop[w] || a.seg.IsStop(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// idf is how informative a word is: its self-information in gse's corpus,
// log(total / frequency). Words the dictionary does not know are mostly
// proper names (of the community, a road, an estate), shared by many items
// of one place: they weigh as the dictionary's median word, not as its
// rarest. Single characters weigh half: they are often fragments.
func (a *Analyzer) idf(w string) float64 {
	v := a.unknown
	if f, _, ok := a.seg.Find(w); ok && f > 0 {
		v = a.logTotal - math.Log(f)
	}
	if utf8.RuneCountInString(w) == 1 {
		v /= 2
	}
	if v < 0 {
		return 0
	}
	return v
}

// cacheGeneration is how many texts one generation of the term cache holds.
const cacheGeneration = 20000

// termCache remembers the terms of recent texts (a request's text never
// changes, and the same open items are compared again and again). Two
// generations: when the current one is full it becomes the previous one,
// so the cache holds between one and two generations of the most used.
type termCache struct {
	mu        sync.Mutex
	cur, prev map[string][]string
}

func (c *termCache) get(text string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.cur[text]; ok {
		return t, true
	}
	if t, ok := c.prev[text]; ok {
		c.putLocked(text, t)
		return t, true
	}
	return nil, false
}

func (c *termCache) put(text string, terms []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(text, terms)
}

func (c *termCache) putLocked(text string, terms []string) {
	if c.cur == nil || len(c.cur) >= cacheGeneration {
		c.prev, c.cur = c.cur, make(map[string][]string, 1024)
	}
	c.cur[text] = terms
}
