package wechat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Test codes and keywords the fake reacts to.
const (
	CodeInvalid   = "invalid"   // jscode2session → 40029
	CodeRateLimit = "ratelimit" // jscode2session → 45011
	CodeBusy      = "busy"      // jscode2session → -1
	RiskyKeyword  = "违禁测试"      // msg_sec_check → risky
	ReviewKeyword = "待审测试"      // msg_sec_check → review
	BusyKeyword   = "故障测试"      // msg_sec_check → -1 (WeChat unavailable)
)

// SentMessage is a subscribe message the fake accepted.
type SentMessage struct {
	ToUser     string                     `json:"touser"`
	TemplateID string                     `json:"template_id"`
	Page       string                     `json:"page"`
	Data       map[string]json.RawMessage `json:"data"`
}

// Fake answers WeChat's server API in WeChat's own JSON (HTTP 200 with
// errcode/errmsg), for dev mode and tests. A login code X yields openid fake_X.
type Fake struct {
	URL string

	srv      *http.Server
	ln       net.Listener
	tokens   atomic.Int64 // access tokens issued
	mu       sync.Mutex
	sent     []SentMessage
	failures map[string][]int64 // openid → errcodes to answer subscribe sends with, in order
	revoked  map[string]bool    // access tokens answered with 40001
}

// StartFake listens on a loopback port and serves the fake.
func StartFake() (*Fake, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &Fake{URL: "http://" + ln.Addr().String(), ln: ln, failures: map[string][]int64{}, revoked: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/cgi-bin/token", f.token)
	mux.HandleFunc("/cgi-bin/stable_token", f.token)
	mux.HandleFunc("/sns/jscode2session", f.code2session)
	mux.HandleFunc("/wxa/business/getuserphonenumber", f.withToken(f.phone))
	mux.HandleFunc("/cgi-bin/message/subscribe/send", f.withToken(f.send))
	mux.HandleFunc("/wxa/msg_sec_check", f.withToken(f.msgCheck))
	mux.HandleFunc("/wxa/getwxacodeunlimit", f.withToken(f.wxacode))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { answer(w, 40066, "invalid url") })
	f.srv = &http.Server{Handler: mux}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// Close stops the fake.
func (f *Fake) Close() error { return f.srv.Close() }

// TokensIssued counts access tokens handed out.
func (f *Fake) TokensIssued() int64 { return f.tokens.Load() }

// Sent returns the subscribe messages accepted for an openid ("" for all).
func (f *Fake) Sent(openID string) []SentMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []SentMessage
	for _, m := range f.sent {
		if openID == "" || m.ToUser == openID {
			out = append(out, m)
		}
	}
	return out
}

// FailSends makes the next subscribe sends to openID answer these errcodes, in order.
func (f *Fake) FailSends(openID string, codes ...int64) {
	f.mu.Lock()
	f.failures[openID] = append(f.failures[openID], codes...)
	f.mu.Unlock()
}

// RevokeToken makes WeChat answer 40001 to an access token from now on.
func (f *Fake) RevokeToken(token string) {
	f.mu.Lock()
	f.revoked[token] = true
	f.mu.Unlock()
}

func answer(w http.ResponseWriter, code int64, msg string) {
	writeJSON(w, map[string]any{"errcode": code, "errmsg": msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	n := f.tokens.Add(1)
	writeJSON(w, map[string]any{"access_token": fmt.Sprintf("FAKE_TOKEN_%d", n), "expires_in": 7200})
}

func (f *Fake) withToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("access_token")
		f.mu.Lock()
		bad := f.revoked[tok]
		f.mu.Unlock()
		if tok == "" || !strings.HasPrefix(tok, "FAKE_TOKEN_") {
			answer(w, 41001, "access_token missing")
			return
		}
		if bad {
			answer(w, 40001, "invalid credential, access_token is invalid or not latest")
			return
		}
		h(w, r)
	}
}

func (f *Fake) code2session(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("js_code")
	switch {
	case code == "" || code == CodeInvalid:
		answer(w, 40029, "invalid code")
	case code == CodeRateLimit:
		answer(w, 45011, "api minute-quota reach limit")
	case code == CodeBusy:
		answer(w, -1, "system error")
	default:
		writeJSON(w, map[string]any{"openid": "fake_" + code, "session_key": "fake-session-key"})
	}
}

// phone answers a phone code "13800138000" (11 digits) with that number; others are 40029.
func (f *Fake) phone(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code string `json:"code"`
	}
	_ = json.NewDecoder(r.Body).Decode(&in)
	p := strings.TrimPrefix(in.Code, "phone_")
	if len(p) != 11 || strings.Trim(p, "0123456789") != "" {
		answer(w, 40029, "invalid code")
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "phone_info": map[string]any{
		"phoneNumber": p, "purePhoneNumber": p, "countryCode": "86",
		"watermark": map[string]any{"timestamp": 1700000000, "appid": FakeAppID}}})
}

func (f *Fake) send(w http.ResponseWriter, r *http.Request) {
	var m SentMessage
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.ToUser == "" {
		answer(w, 47003, "argument invalid")
		return
	}
	if m.TemplateID == "" {
		answer(w, 40037, "invalid template id")
		return
	}
	f.mu.Lock()
	if q := f.failures[m.ToUser]; len(q) > 0 {
		code := q[0]
		f.failures[m.ToUser] = q[1:]
		f.mu.Unlock()
		answer(w, code, "fake failure")
		return
	}
	f.sent = append(f.sent, m)
	f.mu.Unlock()
	answer(w, 0, "ok")
}

func (f *Fake) msgCheck(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Content string `json:"content"`
		Version int    `json:"version"`
	}
	_ = json.NewDecoder(r.Body).Decode(&in)
	suggest, label := "pass", 100
	if strings.Contains(in.Content, BusyKeyword) {
		answer(w, -1, "system error")
		return
	}
	switch {
	case strings.Contains(in.Content, RiskyKeyword):
		suggest, label = "risky", 20006
	case strings.Contains(in.Content, ReviewKeyword):
		suggest, label = "review", 21000
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "trace_id": "fake-trace",
		"result": map[string]any{"suggest": suggest, "label": label},
		"detail": []map[string]any{{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label, "prob": 90}}})
}

func (f *Fake) wxacode(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Scene string `json:"scene"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Scene == "" || len(in.Scene) > 32 {
		answer(w, 40169, "invalid length for scene")
		return
	}
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := 0; i < 64; i++ {
		img.SetGray(i, i, color.Gray{Y: 255})
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, nil)
	w.Header().Set("Content-Type", "image/jpeg")
	_, _ = w.Write(buf.Bytes())
}
