// Package wechat adapts github.com/silenceper/wechat/v2's miniprogram package:
// a Redis (go-redis v9) access-token cache, an HTTP client with timeouts that
// can send WeChat's hosts to a local fake, the fake itself, and error handling
// that never lets a secret or token reach a log or a client.
package wechat

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// HTTPClient returns the client the SDK should use: timeouts always; with a
// non-empty fakeURL, every request for a host ending in weixin.qq.com goes to
// the fake instead.
func HTTPClient(fakeURL string) (*http.Client, error) {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.ResponseHeaderTimeout = 8 * time.Second
	var rt http.RoundTripper = base
	if fakeURL != "" {
		u, err := url.Parse(fakeURL)
		if err != nil {
			return nil, err
		}
		rt = rewrite{to: u, next: base}
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: rt}, nil
}

// Install makes the SDK send every call through c. The SDK keeps its client in
// a package variable, so this is called once per process: by main, or once
// per test binary.
func Install(c *http.Client) { util.DefaultHTTPClient = c }

type rewrite struct {
	to   *url.URL
	next http.RoundTripper
}

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Hostname(), "weixin.qq.com") {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = r.to.Scheme, r.to.Host
		req.Host = r.to.Host
	}
	return r.next.RoundTrip(req)
}

var secretRe = regexp.MustCompile(`(?i)(secret|access_token|js_code|appid|code)=[^&\s"]*`)

// Redact removes secrets, tokens and codes from an SDK error text.
func Redact(s string) string { return secretRe.ReplaceAllString(s, "$1=REDACTED") }
