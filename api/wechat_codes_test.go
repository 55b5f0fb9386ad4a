package api_test

import (
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

// TestWechatCodesAreCheckedBeforeTheCall: the SDK pastes a login code into
// WeChat's URL unescaped, so a code that is not a plain token is refused
// with 400 before any call — no parameter injection ('&'), no truncation
// ('#'), no 5xx for spaces, CR/LF or NUL — and only a hash of it is logged.
func TestWechatCodesAreCheckedBeforeTheCall(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	_, cadre := e.Staff(e.AdminToken(), e.RootOrgID(), "cadre", "wx_cadre")
	_, resident := e.Resident(testutil.UniqueCode("wxr"))
	marker := "zlcode" + testutil.UniqueCode("")
	hostile := []string{
		marker + "&appid=x", // a second appid for the SDK's URL
		marker + "#b",       // the rest of the URL cut off
		marker + " b", marker + "\r\nX-Injected: 1", marker + "\x00", marker + "%26appid%3Dx",
		strings.Repeat("a", 129),
	}
	for _, code := range hostile {
		e.Do("POST", "/api/v1/auth/wechat", "", map[string]string{"code": code}).MustErr(t, 400, "invalid_argument")
		e.Do("POST", "/api/v1/auth/wechat/bind", cadre, map[string]string{"code": code}).MustErr(t, 400, "invalid_argument")
		e.Do("POST", "/api/v1/my/profile/phone", resident, map[string]string{"code": code}).MustErr(t, 400, "invalid_argument")
	}
	if strings.Contains(e.LogText(), marker) {
		t.Fatal("a refused code reached the log")
	}
	var n int64
	e.App.DB.Table("residents").Where("openid LIKE ?", "fake_"+marker+"%").Count(&n)
	if n != 0 {
		t.Fatalf("%d residents were created from injected codes", n)
	}
	// Plain codes still work.
	e.Do("POST", "/api/v1/auth/wechat", "", map[string]string{"code": testutil.UniqueCode("ok_-")}).Must(t, 200)
}
