package wechat_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"

	"zhilian/internal/testutil"
	"zhilian/internal/wechat"
	"zhilian/model"
)

func newClient(t *testing.T, prefix string) (*wechat.Client, *wechat.Fake) {
	fake := testutil.Wechat(t)
	rdb := redis.NewClient(&redis.Options{Addr: testutil.RedisAddr()})
	t.Cleanup(func() { rdb.Close() })
	return wechat.New(wechat.FakeAppID, wechat.FakeSecret, "", rdb, prefix, testutil.Quiet()), fake
}

// TestSharedTokenCache: two instances and 20 goroutines share one token in Redis.
func TestSharedTokenCache(t *testing.T) {
	prefix := testutil.NewRedisPrefix(t)
	a, fake := newClient(t, prefix)
	b, _ := newClient(t, prefix)
	before := fake.TokensIssued()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(c *wechat.Client) {
			defer wg.Done()
			if s, err := c.CheckText(context.Background(), "fake_x", "你好"); err != nil || s != wechat.Pass {
				t.Errorf("check: %v %v", s, err)
			}
		}(map[bool]*wechat.Client{true: a, false: b}[i%2 == 0])
	}
	wg.Wait()
	// One fetch per instance at most (each instance's in-process lock, one shared cache).
	if n := fake.TokensIssued() - before; n < 1 || n > 2 {
		t.Fatalf("token fetches = %d, want 1 or 2", n)
	}
}

// TestTokenRefreshedOnceOn40001 revokes the cached token: the call refreshes and succeeds.
func TestTokenRefreshedOnceOn40001(t *testing.T) {
	c, fake := newClient(t, testutil.NewRedisPrefix(t))
	ctx := context.Background()
	if _, err := c.CheckText(ctx, "fake_y", "你好"); err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= fake.TokensIssued(); i++ {
		fake.RevokeToken("FAKE_TOKEN_" + strconv.FormatInt(i, 10))
	}
	before := fake.TokensIssued()
	if s, err := c.CheckText(ctx, "fake_y", "含有"+wechat.RiskyKeyword); err != nil || s != wechat.Risky {
		t.Fatalf("after revoke: %v %v", s, err)
	}
	if fake.TokensIssued()-before != 1 {
		t.Fatalf("refreshed %d times", fake.TokensIssued()-before)
	}
}

func TestSendAndErrors(t *testing.T) {
	c, fake := newClient(t, testutil.NewRedisPrefix(t))
	ctx := context.Background()
	openid := "fake_" + testutil.UniqueCode("s")
	fake.FailSends(openid, wechat.ErrUserRefused)
	e := c.Send(ctx, &subscribe.Message{ToUser: openid, TemplateID: "tpl", Data: map[string]*subscribe.DataItem{}})
	if e == nil || e.ErrCode != wechat.ErrUserRefused || e.Transient() {
		t.Fatalf("refused send: %+v", e)
	}
	if e := c.Send(ctx, &subscribe.Message{ToUser: openid, TemplateID: "tpl"}); e != nil {
		t.Fatal(e)
	}
	if len(fake.Sent(openid)) != 1 {
		t.Fatal("message not recorded")
	}
	if _, err := c.PhoneNumber(ctx, "phone_13800138000"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PhoneNumber(ctx, "bogus"); !model.IsCode(err, model.CodeInvalidArgument) {
		t.Fatalf("bad phone code: %v", err)
	}
	img, err := c.WXACode(ctx, "p=1", "pages/index/index")
	if err != nil || len(img) < 100 || img[0] != 0xFF || img[1] != 0xD8 {
		t.Fatalf("wxacode: %v (%d bytes)", err, len(img))
	}
	if _, _, err := c.Code2Session(ctx, wechat.CodeInvalid); !model.IsCode(err, model.CodeUnauthorized) {
		t.Fatalf("invalid code: %v", err)
	}
	if open, _, err := c.Code2Session(ctx, "abc"); err != nil || open != "fake_abc" {
		t.Fatalf("code2session: %q %v", open, err)
	}
}

func TestRedact(t *testing.T) {
	s := wechat.Redact(`Get "https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=TOPSECRET&js_code=abc": timeout; access_token=TOK`)
	for _, leak := range []string{"TOPSECRET", "TOK", "js_code=abc"} {
		if strings.Contains(s, leak) {
			t.Fatalf("%s leaks in %s", leak, s)
		}
	}
}
