package hatest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"
)

// outcome is one HTTP call as the client saw it.
type outcome struct {
	op         string
	write      bool
	start, end time.Time
	status     int  // 0: no answer (connection error or timeout)
	replayable bool // a GET, or a write with an Idempotency-Key: safe to send again
	code       string
	retryAfter bool
	err        string
}

func (o outcome) failed() bool { return o.status == 0 || o.status >= 500 }

// recorder keeps every outcome and the moments faults began.
type recorder struct {
	mu    sync.Mutex
	all   []outcome
	marks []mark
}

type mark struct {
	name string
	at   time.Time
}

func (r *recorder) add(o outcome) {
	r.mu.Lock()
	r.all = append(r.all, o)
	r.mu.Unlock()
}

func (r *recorder) mark(name string) {
	r.mu.Lock()
	r.marks = append(r.marks, mark{name, time.Now()})
	r.mu.Unlock()
}

// client calls the HTTP frontend as the mini-program would, from its own
// address (X-Forwarded-For, believed from HAProxy).
type client struct {
	base string
	hc   *http.Client
	rec  *recorder
	ip   string
}

func newClient(base string, rec *recorder, ip string) *client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 4
	return &client{base: base, rec: rec, ip: ip, hc: &http.Client{Timeout: 20 * time.Second, Transport: tr}}
}

// resp is a decoded answer.
type resp struct {
	status     int
	code       string
	data       json.RawMessage
	retryAfter time.Duration
}

// call sends one request and records it.
func (c *client) call(op string, write bool, method, path, token string, body any, key string) resp {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	req.Header.Set("X-Forwarded-For", c.ip)
	o := outcome{op: op, write: write, start: time.Now(), replayable: method == "GET" || key != ""}
	var got httptrace.GotConnInfo
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(i httptrace.GotConnInfo) { got = i }}))
	res, err := c.hc.Do(req)
	var out resp
	if err != nil {
		o.err = err.Error()
		if got.Conn != nil {
			o.err += fmt.Sprintf(" [from %s, reused %v after %s idle, at %s+%s]", got.Conn.LocalAddr(), got.Reused,
				got.IdleTime.Round(time.Millisecond), o.start.Format("15:04:05.000"), time.Since(o.start).Round(time.Millisecond))
		}
	} else {
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		o.status = res.StatusCode
		var env struct {
			Code string          `json:"code"`
			Data json.RawMessage `json:"data"`
		}
		_ = json.Unmarshal(raw, &env)
		o.code = env.Code
		out = resp{status: res.StatusCode, code: env.Code, data: env.Data}
		if ra := res.Header.Get("Retry-After"); ra != "" {
			o.retryAfter = true
			var secs int
			fmt.Sscan(ra, &secs)
			out.retryAfter = time.Duration(secs) * time.Second
		}
	}
	o.end = time.Now()
	c.rec.add(o)
	return out
}

// write sends a write and, while it fails for want of a server (no answer or
// 5xx), sends it again after Retry-After (or half a second), for at most
// giveUp. The same Idempotency-Key makes the repeats safe.
func (c *client) write(op, method, path, token string, body any, key string, giveUp time.Duration) resp {
	deadline := time.Now().Add(giveUp)
	for {
		r := c.call(op, true, method, path, token, body, key)
		if r.status != 0 && r.status < 500 || time.Now().After(deadline) {
			return r
		}
		wait := r.retryAfter
		if wait <= 0 || wait > 2*time.Second {
			wait = 500 * time.Millisecond
		}
		time.Sleep(wait)
	}
}

func newKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// id reads data.id.
func (r resp) id() int64 {
	var v struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal(r.data, &v)
	return v.ID
}
