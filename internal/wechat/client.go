package wechat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram"
	mpconfig "github.com/silenceper/wechat/v2/miniprogram/config"
	"github.com/silenceper/wechat/v2/miniprogram/qrcode"
	"github.com/silenceper/wechat/v2/miniprogram/security"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
	"github.com/silenceper/wechat/v2/util"

	"zhilian/model"
	"zhilian/service"
)

// FakeAppID and FakeSecret are used in fake mode (no ZL_WECHAT_APPID).
const (
	FakeAppID  = "wxfake0000000000"
	FakeSecret = "fake-secret"
)

// WeChat error codes the adapter reacts to.
const (
	ErrSystemBusy     = -1
	ErrTokenInvalid   = 40001
	ErrInvalidCode    = 40029
	ErrTokenExpired   = 42001
	ErrCodeUsed       = 40163
	ErrMinuteQuota    = 45011
	ErrUserRefused    = 43101
	ErrBadTemplate    = 40037
	ErrBadMessageData = 47003
)

// Client calls WeChat's mini-program server API.
type Client struct {
	mp      *miniprogram.MiniProgram
	cache   *RedisCache
	appID   string
	mpState string
	observe Observer
	log     *slog.Logger
}

// Observer hears of every API call: the operation, whether it failed, WeChat's
// errcode (0 when there was no answer) and how long it took.
type Observer func(op string, failed bool, errcode int64, took time.Duration)

// Option adjusts a Client.
type Option func(*Client)

// WithObserver reports every call to o (the metrics).
func WithObserver(o Observer) Option { return func(c *Client) { c.observe = o } }

// New builds the client with a shared Redis token cache and stable tokens.
// mpState is the mini-program version subscribe messages open (developer,
// trial or formal; empty means formal).
func New(appID, secret, mpState string, rdb redis.UniversalClient, prefix string, log *slog.Logger, opts ...Option) *Client {
	c := NewRedisCache(rdb, prefix)
	mp := miniprogram.NewMiniProgram(&mpconfig.Config{AppID: appID, AppSecret: secret, Cache: c, UseStableAK: true})
	cl := &Client{mp: mp, cache: c, appID: appID, mpState: mpState, log: log,
		observe: func(string, bool, int64, time.Duration) {}}
	for _, o := range opts {
		o(cl)
	}
	return cl
}

// Error is a failed WeChat call: its errcode (0 when the call did not get an answer).
type Error struct {
	Op      string
	ErrCode int64
	Msg     string // redacted
}

func (e *Error) Error() string {
	return fmt.Sprintf("wechat %s: errcode=%d %s", e.Op, e.ErrCode, e.Msg)
}

// Transient reports whether retrying later may succeed.
func (e *Error) Transient() bool {
	return e.ErrCode == 0 || e.ErrCode == ErrSystemBusy || e.ErrCode == ErrMinuteQuota
}

// wrap turns an SDK error into *Error, reading the errcode and redacting the text.
func wrap(op string, code int64, err error) *Error {
	var ce *util.CommonError
	if errors.As(err, &ce) {
		code = ce.ErrCode
	}
	msg := ""
	if err != nil {
		msg = Redact(err.Error())
		if code == 0 {
			code = parseErrcode(msg)
		}
	}
	return &Error{Op: op, ErrCode: code, Msg: msg}
}

// parseErrcode reads "errcode=NNN" from an SDK error text (some calls return plain errors).
func parseErrcode(s string) int64 {
	i := strings.Index(s, "errcode=")
	if i < 0 {
		return 0
	}
	s = strings.TrimLeft(s[i+len("errcode="):], " ")
	j := 0
	for j < len(s) && (s[j] == '-' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	n, _ := strconv.ParseInt(s[:j], 10, 64)
	return n
}

// tokenError reports whether the access token was rejected.
func tokenError(e *Error) bool { return e.ErrCode == ErrTokenInvalid || e.ErrCode == ErrTokenExpired }

// dropToken forgets the cached access token so the next call fetches a new one.
func (c *Client) dropToken() {
	_ = c.cache.Delete(fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyMiniProgramPrefix, c.appID))
}

// withToken runs call, and once more after refreshing the token when WeChat
// rejects it; the observer hears of the whole (one latency, one outcome).
func (c *Client) withToken(op string, call func() error) (e *Error) {
	start := time.Now()
	defer func() {
		if e != nil {
			c.observe(op, true, e.ErrCode, time.Since(start))
		} else {
			c.observe(op, false, 0, time.Since(start))
		}
	}()
	err := call()
	if err == nil {
		return nil
	}
	e = wrap(op, 0, err)
	if tokenError(e) {
		c.dropToken()
		if err = call(); err == nil {
			return nil
		}
		e = wrap(op, 0, err)
	}
	return e
}

// codeRe is what a wx.login or phone-button code looks like. The SDK pastes
// codes into WeChat's URLs unescaped (jscode2session?...&js_code=<code>), so
// anything else — '&' adding parameters, '#' cutting the URL, spaces, CR/LF,
// NUL — is refused before a call is made.
var codeRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// checkCode refuses a malformed code with 400; only a hash of it is logged.
func (c *Client) checkCode(ctx context.Context, op, code string) error {
	if codeRe.MatchString(code) {
		return nil
	}
	sum := sha256.Sum256([]byte(code))
	c.log.InfoContext(ctx, "wechat code refused before the call", "op", op, "code_sha256", hex.EncodeToString(sum[:8]))
	return model.Invalid("微信凭证格式不正确，请重新进入小程序再试")
}

// Code2Session exchanges a wx.login code for the user's openid (and unionid
// when WeChat gives one). Failures become model errors a user can read.
func (c *Client) Code2Session(ctx context.Context, code string) (openID, unionID string, err error) {
	if err := c.checkCode(ctx, "code2session", code); err != nil {
		return "", "", err
	}
	start := time.Now()
	res, err := c.mp.GetAuth().Code2SessionContext(ctx, code)
	if err != nil || res.OpenID == "" {
		e := wrap("code2session", res.ErrCode, err)
		c.observe("code2session", true, e.ErrCode, time.Since(start))
		c.log.WarnContext(ctx, "wechat login failed", "errcode", e.ErrCode)
		return "", "", LoginError(e)
	}
	c.observe("code2session", false, 0, time.Since(start))
	return res.OpenID, res.UnionID, nil
}

// LoginError maps a Code2Session failure to what the user sees.
func LoginError(e *Error) error {
	switch e.ErrCode {
	case ErrInvalidCode, ErrCodeUsed:
		return model.Wrap(model.CodeUnauthorized, "微信登录凭证无效或已使用，请重新进入小程序", e)
	case ErrMinuteQuota:
		return &model.Error{Code: model.CodeRateLimited, Msg: "微信登录繁忙，请稍后再试", RetryAfter: 60e9, Cause: e}
	}
	return model.Wrap(model.CodeUnavailable, "微信服务暂时不可用，请稍后再试", e)
}

// PhoneNumber exchanges a getPhoneNumber button code for the pure phone number.
func (c *Client) PhoneNumber(ctx context.Context, code string) (string, error) {
	if err := c.checkCode(ctx, "getuserphonenumber", code); err != nil {
		return "", err
	}
	var phone string
	e := c.withToken("getuserphonenumber", func() error {
		res, err := c.mp.GetAuth().GetPhoneNumberContext(ctx, code)
		if err != nil {
			return err
		}
		phone = res.PhoneInfo.PurePhoneNumber
		return nil
	})
	if e != nil {
		c.log.WarnContext(ctx, "wechat phone number failed", "errcode", e.ErrCode)
		if e.ErrCode == ErrInvalidCode || e.ErrCode == ErrCodeUsed {
			return "", model.Wrap(model.CodeInvalidArgument, "手机号授权凭证无效，请重新授权", e)
		}
		if e.ErrCode == ErrMinuteQuota {
			return "", &model.Error{Code: model.CodeRateLimited, Msg: "操作过于频繁，请稍后再试", RetryAfter: 60e9, Cause: e}
		}
		return "", model.Wrap(model.CodeUnavailable, "微信服务暂时不可用，请稍后再试", e)
	}
	return phone, nil
}

// Suggestion is the content check's verdict (the domain's type, so services
// can declare the check without importing this package).
type Suggestion = model.ContentVerdict

// Content check verdicts.
const (
	Pass   = model.VerdictPass
	Review = model.VerdictReview
	Risky  = model.VerdictRisky
)

// CheckText runs WeChat's content security check (v2) on user text.
func (c *Client) CheckText(ctx context.Context, openID, text string) (Suggestion, error) {
	var res security.MsgCheckResponse
	e := c.withToken("msg_sec_check", func() error {
		var err error
		res, err = c.mp.GetSecurity().MsgCheckContext(ctx, &security.MsgCheckRequest{OpenID: openID, Scene: 2, Content: text})
		return err
	})
	if e != nil {
		return "", e
	}
	return Suggestion(res.Result.Suggest), nil
}

// Send delivers a subscribe message.
func (c *Client) Send(ctx context.Context, msg *subscribe.Message) *Error {
	return c.withToken("subscribe_send", func() error { return c.mp.GetSubscribe().Send(msg) })
}

// WXACode fetches an unlimited mini-program code (JPEG) for a scene and page.
func (c *Client) WXACode(ctx context.Context, scene, page string) ([]byte, error) {
	var img []byte
	check := false
	e := c.withToken("getwxacodeunlimit", func() error {
		var err error
		img, err = c.mp.GetQRCode().GetWXACodeUnlimit(qrcode.QRCoder{Scene: scene, Page: page, CheckPath: &check, Width: 430})
		return err
	})
	if e != nil {
		c.log.WarnContext(ctx, "wechat code failed", "errcode", e.ErrCode)
		return nil, model.Wrap(model.CodeUnavailable, "小程序码生成失败，请稍后再试", e)
	}
	return img, nil
}

var (
	_ service.ContentChecker  = (*Client)(nil)
	_ service.PhoneSource     = (*Client)(nil)
	_ service.WechatLogin     = (*Client)(nil)
	_ service.SubscribeSender = (*Client)(nil)
)

// SendSubscribe sends a subscribe message; WeChat's refusals come back as
// *service.SendError (43101 refused, -1/45011/timeouts transient).
func (c *Client) SendSubscribe(ctx context.Context, openID, templateID, page string, data map[string]string) error {
	items := make(map[string]*subscribe.DataItem, len(data))
	for k, v := range data {
		items[k] = &subscribe.DataItem{Value: v}
	}
	e := c.Send(ctx, &subscribe.Message{ToUser: openID, TemplateID: templateID, Page: page, Data: items,
		MiniprogramState: c.mpState, Lang: "zh_CN"})
	if e == nil {
		return nil
	}
	return &service.SendError{Code: e.ErrCode, Transient: e.Transient(), Refused: e.ErrCode == ErrUserRefused}
}
