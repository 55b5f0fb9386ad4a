package similar

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"zhilian/model"
)

// corpusDocs makes n documents from the labelled corpus, each copy of a
// text in another community and week, with a building number of its own
// (so no two are identical).
func corpusDocs(t testing.TB, n int) []model.SimilarDoc {
	items := loadCorpus(t)
	out := make([]model.SimilarDoc, n)
	for i := range out {
		it := items[i%len(items)]
		d := it.doc
		d.ID = int64(i + 1)
		d.CommunityID += int64(i / len(items) * 10)
		d.At = d.At.Add(time.Duration(i/len(items)) * 7 * 24 * time.Hour)
		d.Text = fmt.Sprintf("%d栋%s", i%37+1, d.Text)
		out[i] = d
	}
	return out
}

// BenchmarkGroup2000 groups a town-week of 2,000 items into topics (the
// on-demand path of GET /work/topics, without the database read), each time
// with a cold term cache: every text is segmented again.
func BenchmarkGroup2000(b *testing.B) {
	e := NewEngine(NewAnalyzer())
	if err := e.Ready(); err != nil {
		b.Fatal(err)
	}
	docs := corpusDocs(b, 2000)
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		e.a.cache = termCache{}
		if _, err := e.Group(docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU time the process has used (user + system): on a busy
// machine it says what an operation costs better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMatch200 ranks a community's 200 open items against a new text
// (GET /my/similar without the database read).
func BenchmarkMatch200(b *testing.B) {
	e := NewEngine(analyzer(b))
	docs := corpusDocs(b, 200)
	q := model.SimilarDoc{Text: "小区门口的路灯坏了好几天，晚上很黑", CategoryID: docs[0].CategoryID, At: docs[0].At}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Match(q, docs, model.MaxSimilar); err != nil {
			b.Fatal(err)
		}
	}
}
