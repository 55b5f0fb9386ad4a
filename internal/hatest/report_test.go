package hatest

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// phase is the stretch of the run that follows one fault (or the baseline).
type phase struct {
	name     string
	from, to time.Time
	note     string // what the stack did about it, e.g. how long fail-over took
}

// phaseStats are the clients' view of one phase.
type phaseStats struct {
	requests, failed, s500, bare      int
	noAnswer, lost                    int           // no answer: replayable calls, and writes without a key
	writeWindow, readWindow, p99, max time.Duration // max: the slowest call
}

// longestWindow is the longest run of failed calls (ordered by when they
// ended, unbroken by a success), from the start of its first to the end of
// its last: how long a client could go on failing.
func longestWindow(os []outcome) time.Duration {
	sort.Slice(os, func(i, j int) bool { return os[i].end.Before(os[j].end) })
	var longest time.Duration
	var from time.Time
	open := false
	for _, o := range os {
		if !o.failed() {
			open = false
			continue
		}
		if !open || o.start.Before(from) {
			from = o.start
		}
		open = true
		if d := o.end.Sub(from); d > longest {
			longest = d
		}
	}
	return longest
}

func statsOf(os []outcome) phaseStats {
	var s phaseStats
	var writes, reads []outcome
	var lat []time.Duration
	for _, o := range os {
		s.requests++
		lat = append(lat, o.end.Sub(o.start))
		if o.failed() {
			s.failed++
		}
		switch {
		case o.status == 0 && o.replayable:
			s.noAnswer++
		case o.status == 0:
			s.lost++
		case o.status == 500:
			s.s500++
		}
		if o.status >= 500 && !o.retryAfter {
			s.bare++
		}
		if o.write {
			writes = append(writes, o)
		} else {
			reads = append(reads, o)
		}
	}
	s.writeWindow, s.readWindow = longestWindow(writes), longestWindow(reads)
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		s.p99, s.max = lat[len(lat)*99/100], lat[len(lat)-1]
	}
	return s
}

// faultTable prints one line per phase and returns the stats by phase. A
// call belongs to the phase in which it ended: a failure shows where it
// happened.
func faultTable(all []outcome, phases []phase) (string, []phaseStats) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-30s %-40s %8s %6s %7s %5s %10s %9s %15s %7s\n", "fault", "stack's response", "requests", "failed", "rate",
		"500s", "5xx w/o RA", "no answer", "window w / r", "p99 / max")
	var out []phaseStats
	for _, p := range phases {
		var in []outcome
		for _, o := range all {
			if !o.end.Before(p.from) && o.end.Before(p.to) {
				in = append(in, o)
			}
		}
		s := statsOf(in)
		out = append(out, s)
		rate := 0.0
		if s.requests > 0 {
			rate = 100 * float64(s.failed) / float64(s.requests)
		}
		fmt.Fprintf(&b, "%-30s %-40s %8d %6d %6.2f%% %5d %10d %5d + %d %6.1fs / %4.1fs %5.2fs / %.1fs\n", p.name, p.note, s.requests, s.failed, rate,
			s.s500, s.bare, s.noAnswer, s.lost, s.writeWindow.Seconds(), s.readWindow.Seconds(), s.p99.Seconds(), s.max.Seconds())
	}
	return b.String(), out
}

// failureCodes summarises the failed and refused calls by operation and answer.
func failureCodes(all []outcome) string {
	n := map[string]int{}
	for _, o := range all {
		if o.status >= 200 && o.status < 300 {
			continue
		}
		k := fmt.Sprintf("%s %d %s", o.op, o.status, o.code)
		if o.status == 0 {
			k = o.op + " no answer (" + o.err + ")"
		}
		n[k]++
	}
	var keys []string
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, n[k]))
	}
	return strings.Join(parts, "; ")
}
