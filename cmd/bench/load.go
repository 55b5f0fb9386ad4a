package main

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// call is one HTTP request of a load: built from the hit's sequence number.
type call struct {
	Method, Path, Token string
	Body                []byte
	Header              http.Header
}

// shot makes the i-th request of a load.
type shot func(i uint64) call

// row is one line of the result table.
type row struct {
	Name     string
	Offered  float64 // requests/s; 0 = closed loop
	Conc     int     // closed loop: requests in flight
	Achieved float64 // successful responses/s
	P50, P90 time.Duration
	P99, Max time.Duration
	Codes    map[string]int
	Errors   int
	Ratio    string
	Note     string
	Load     string // uptime's 1-minute load average when it ran
}

// attack drives base with shot: at rate per second (open loop: vegeta starts
// requests on schedule whatever the latency, with as many workers as that
// takes), or rate 0 with conc requests in flight (closed loop, the maximum).
// each sees every result (for the invariants).
func attack(base, name string, rate, conc int, d time.Duration, mk shot, each func(*vegeta.Result)) row {
	opts := []func(*vegeta.Attacker){vegeta.KeepAlive(true), vegeta.Timeout(30 * time.Second), vegeta.MaxBody(1 << 20)}
	var pacer vegeta.Pacer = vegeta.Rate{Freq: rate, Per: time.Second}
	if rate == 0 {
		opts = append(opts, vegeta.Workers(uint64(conc)), vegeta.MaxWorkers(uint64(conc)), vegeta.Connections(conc))
	} else {
		opts = append(opts, vegeta.Workers(32), vegeta.Connections(4096))
	}
	atk := vegeta.NewAttacker(opts...)
	var seq atomic.Uint64
	targeter := func(t *vegeta.Target) error {
		i := seq.Add(1) - 1
		c := mk(i)
		t.Method, t.URL, t.Body = c.Method, base+c.Path, c.Body
		t.Header = http.Header{}
		for k, v := range c.Header {
			t.Header[k] = v
		}
		if c.Token != "" {
			t.Header.Set("Authorization", "Bearer "+c.Token)
		}
		if c.Body != nil {
			t.Header.Set("Content-Type", "application/json")
		}
		return nil
	}
	var m vegeta.Metrics
	load := loadavg()
	for res := range atk.Attack(targeter, pacer, d, name) {
		m.Add(res)
		if each != nil {
			each(res)
		}
	}
	m.Close()
	r := row{Name: name, Offered: float64(rate), Conc: conc, P50: m.Latencies.P50, P90: m.Latencies.P90,
		P99: m.Latencies.P99, Max: m.Latencies.Max, Codes: map[string]int{}, Load: load}
	ok := 0
	for code, n := range m.StatusCodes {
		r.Codes[code] = n
		if strings.HasPrefix(code, "2") {
			ok += n
		} else {
			r.Errors += n
		}
	}
	if m.Duration+m.Wait > 0 {
		r.Achieved = float64(ok) / (m.Duration + m.Wait).Seconds()
	}
	return r
}

// codes prints the status counts, e.g. "201×1000 409×3".
func (r row) codes() string {
	keys := make([]string, 0, len(r.Codes))
	for k := range r.Codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		name := k
		if k == "0" {
			name = "neterr"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, r.Codes[k]))
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// printTable writes the rows as a Markdown table.
func printTable(rows []row) {
	fmt.Println("| path | offered | achieved ok/s | p50 ms | p90 ms | p99 ms | max ms | statuses | ratio to bare | load | note |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		offered := fmt.Sprintf("%.0f/s", r.Offered)
		if r.Offered == 0 {
			offered = fmt.Sprintf("max, %d conc", r.Conc)
		}
		fmt.Printf("| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Name, offered, r.Achieved,
			ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), r.codes(), r.Ratio, r.Load, r.Note)
	}
}
