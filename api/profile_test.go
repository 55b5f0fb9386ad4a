package api_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

type profileView struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	Phone           string  `json:"phone"`
	PhoneFull       string  `json:"phone_full"`
	CommunityID     *int64  `json:"community_id"`
	Residency       *string `json:"residency"`
	Address         string  `json:"address"`
	ElderMode       bool    `json:"elder_mode"`
	ProfileComplete bool    `json:"profile_complete"`
}

func TestProfileNonHukouAndPhone(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	id, tok := e.Resident(testutil.UniqueCode("prof"))

	var p profileView
	e.Do("GET", "/api/v1/my/profile", tok, nil).Must(t, 200).Decode(t, &p)
	if p.ID != id || p.ProfileComplete || p.Phone != "" {
		t.Fatalf("new profile %+v", p)
	}
	e.Do("PUT", "/api/v1/my/profile", tok, map[string]any{"name": "王小明", "phone": "13812345678",
		"community_id": c.comm, "residency": "non_hukou", "address": "升平路 3 号", "elder_mode": true}).Must(t, 200).Decode(t, &p)
	if p.Phone != "138****5678" || p.PhoneFull != "13812345678" || *p.Residency != "non_hukou" || *p.CommunityID != c.comm ||
		!p.ElderMode || !p.ProfileComplete {
		t.Fatalf("updated profile %+v", p)
	}
	// Absent fields stay.
	e.Do("PUT", "/api/v1/my/profile", tok, map[string]any{"residency": "hukou"}).Must(t, 200).Decode(t, &p)
	if p.Name != "王小明" || p.PhoneFull != "13812345678" || *p.Residency != "hukou" {
		t.Fatalf("partial update %+v", p)
	}

	// Stored sealed: no plaintext in the row, a 64-hex lookup hash.
	var row struct {
		PhoneEnc  []byte
		PhoneHash string
	}
	e.App.DB.Table("residents").Select("phone_enc, phone_hash").Where("id = ?", id).Scan(&row)
	if len(row.PhoneEnc) == 0 || bytes.Contains(row.PhoneEnc, []byte("13812345678")) || len(row.PhoneHash) != 64 {
		t.Fatalf("phone not sealed: %q %q", row.PhoneEnc, row.PhoneHash)
	}

	// WeChat's phone button.
	e.Do("POST", "/api/v1/my/profile/phone", tok, map[string]string{"code": "phone_13900001111"}).Must(t, 200).Decode(t, &p)
	if p.Phone != "139****1111" || p.PhoneFull != "13900001111" {
		t.Fatalf("phone button %+v", p)
	}
	e.Do("POST", "/api/v1/my/profile/phone", tok, map[string]string{"code": "bogus"}).MustErr(t, 400, "invalid_argument")
	e.Do("POST", "/api/v1/my/profile/phone", tok, map[string]string{}).MustErr(t, 400, "invalid_argument")

	// Clearing the phone.
	e.Do("PUT", "/api/v1/my/profile", tok, map[string]any{"phone": ""}).Must(t, 200).Decode(t, &p)
	if p.Phone != "" || p.PhoneFull != "" {
		t.Fatalf("phone not cleared %+v", p)
	}

	for name, body := range map[string]any{
		"community is a town": map[string]any{"community_id": c.town},
		"unknown community":   map[string]any{"community_id": 999999},
		"bad residency":       map[string]any{"residency": "local"},
		"bad phone":           map[string]any{"phone": "12345"},
		"long name":           map[string]any{"name": "名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名字名"},
		"long address":        map[string]any{"address": string(bytes.Repeat([]byte("地"), 201))},
		"wrong type":          map[string]any{"elder_mode": "yes"},
		"not an object":       "[1,2]",
	} {
		if r := e.Do("PUT", "/api/v1/my/profile", tok, body); r.Status != 400 {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
	// Staff have no resident profile.
	e.Do("GET", "/api/v1/my/profile", c.admin, nil).MustErr(t, 403, "forbidden")
	if bytes.Contains([]byte(e.LogText()), []byte("13812345678")) || bytes.Contains([]byte(e.LogText()), []byte("13900001111")) {
		t.Fatal("a phone number reached the logs")
	}
}

func TestDeleteAccountKeepsAnonymisedRequests(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	code := testutil.UniqueCode("del")
	id, tok := e.Resident(code)
	e.Do("PUT", "/api/v1/my/profile", tok, map[string]any{"name": "赵某", "phone": "13812345678",
		"community_id": c.comm, "residency": "non_hukou", "address": "家庭住址 8 号"}).Must(t, 200)
	attached := uploadFile(e, tok, "a.jpg", jpegImage(t, 8, 8, false)).Must(t, 201).ID(t)
	loose := uploadFile(e, tok, "b.jpg", jpegImage(t, 8, 8, false)).Must(t, 201).ID(t)
	body := c.submitBody("楼道灯坏了")
	body["image_ids"] = []int64{attached}
	reqID := submit(t, e, tok, body)
	other := submit(t, e, tok, c.submitBody("第二件诉求"))
	advance(t, e, other, accept)

	e.Do("DELETE", "/api/v1/my/account", tok, nil).Must(t, 200)
	e.Do("GET", "/api/v1/my/profile", tok, nil).MustErr(t, 401, "unauthorized")

	var res struct {
		Name      string
		OpenID    *string `gorm:"column:openid"`
		PhoneEnc  []byte
		PhoneHash *string
		Address   string
		Status    string
		Residency *string
	}
	e.App.DB.Table("residents").Where("id = ?", id).Scan(&res)
	if res.Name != "" || res.OpenID != nil || res.PhoneEnc != nil || res.PhoneHash != nil || res.Address != "" || res.Status != "deleted" {
		t.Fatalf("personal data left: %+v", res)
	}
	var reqs []struct {
		ID         int64
		ResidentID *int64
		Address    string
		Residency  *string
		Status     string
	}
	e.App.DB.Table("requests").Where("id IN ?", []int64{reqID, other}).Order("id").Scan(&reqs)
	if len(reqs) != 2 {
		t.Fatalf("requests lost: %+v", reqs)
	}
	for _, r := range reqs {
		if r.ResidentID != nil || r.Address != "" || r.Residency == nil || *r.Residency != "non_hukou" {
			t.Fatalf("request not anonymised (or lost its residency for the statistics): %+v", r)
		}
	}
	if reqs[1].Status != "accepted" {
		t.Fatalf("an open request changed state: %+v", reqs[1])
	}
	var n int64
	e.App.DB.Table("uploads").Where("id = ?", loose).Count(&n)
	if n != 0 {
		t.Fatal("an unattached upload survived the deletion")
	}
	e.Do("GET", path("/api/v1/uploads/%d", attached), c.admin, nil).Must(t, 200) // evidence stays with the item
	files, _ := filepath.Glob(filepath.Join(strings.TrimPrefix(e.Config.BlobURL, "file://"), "uploads", "*", "*"))
	if len(files) != 1 {
		t.Fatalf("files left in the data folder: %v (want only the attached image)", files)
	}

	// Signing in again with the same WeChat account starts afresh.
	id2, tok2 := e.Resident(code)
	if id2 == id {
		t.Fatal("the erased resident came back")
	}
	var page struct {
		Items []reqView `json:"items"`
	}
	e.Do("GET", "/api/v1/my/requests", tok2, nil).Must(t, 200).Decode(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("new account sees old requests: %+v", page.Items)
	}
}
