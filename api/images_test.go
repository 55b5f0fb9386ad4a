package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"zhilian/internal/testutil"
)

// fetch GETs a link with no Authorization header, as an <image src> does.
func fetch(t *testing.T, e *testutil.Env, link string) (int, []byte, http.Header) {
	t.Helper()
	res, err := e.Server.Client().Get(e.Server.URL + link)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

// tamper returns link with one query parameter changed.
func tamper(t *testing.T, link, key, value string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// checkImageLinks: the links in the upload answer, the resident's request and
// the cadre's item load without a Bearer header; a changed id, expiry or
// signature, or a link past its expiry, is 403.
func checkImageLinks(t *testing.T, mods ...func(*testutil.Setup)) {
	clock := testutil.NewClock(time.Now())
	e := testutil.New(t, append(mods, func(s *testutil.Setup) { s.Clock = clock })...)
	c := newCity(t, e)
	_, owner := e.Resident(testutil.UniqueCode("img"))
	_, cadre := e.Staff(c.admin, c.town, "cadre", "img_cadre")

	var up struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	uploadFile(e, owner, "a.jpg", jpegImage(t, 16, 12, false)).Must(t, 201).Decode(t, &up)
	status, img, h := fetch(t, e, up.URL)
	if status != 200 || h.Get("Content-Type") != "image/jpeg" || len(img) == 0 {
		t.Fatalf("signed link %s: %d %v", up.URL, status, h)
	}
	viaBearer := e.Do("GET", path("/api/v1/uploads/%d", up.ID), owner, nil).Must(t, 200)
	if !bytes.Equal(viaBearer.Raw, img) {
		t.Fatal("the signed link and the signed-in route serve different bytes")
	}

	body := c.submitBody("路灯不亮，附照片")
	body["image_ids"] = []int64{up.ID}
	reqID := submit(t, e, owner, body)
	var mine struct {
		Photos []struct {
			ID  int64  `json:"id"`
			URL string `json:"url"`
		} `json:"photos"`
	}
	e.Do("GET", path("/api/v1/my/requests/%d", reqID), owner, nil).Must(t, 200).Decode(t, &mine)
	var item struct {
		Photos []struct {
			ID    int64  `json:"id"`
			URL   string `json:"url"`
			Stage string `json:"stage"`
		} `json:"photos"`
	}
	e.Do("GET", path("/api/v1/work/requests/%d", reqID), cadre, nil).Must(t, 200).Decode(t, &item)
	if len(mine.Photos) != 1 || len(item.Photos) != 1 || mine.Photos[0].ID != up.ID || item.Photos[0].Stage != "submit" {
		t.Fatalf("photos: resident %+v, cadre %+v", mine.Photos, item.Photos)
	}
	for _, link := range []string{mine.Photos[0].URL, item.Photos[0].URL} {
		if status, got, _ := fetch(t, e, link); status != 200 || !bytes.Equal(got, img) {
			t.Fatalf("photo link %s: %d", link, status)
		}
	}

	other := uploadFile(e, owner, "b.jpg", jpegImage(t, 8, 8, false)).Must(t, 201).ID(t)
	u, _ := url.Parse(up.URL)
	exp, _ := strconv.ParseInt(u.Query().Get("exp"), 10, 64)
	bad := map[string]string{
		"another image":      path("/api/v1/images/%d?%s", other, u.RawQuery),
		"a later expiry":     tamper(t, up.URL, "exp", strconv.FormatInt(exp+60, 10)),
		"a changed sig":      tamper(t, up.URL, "sig", "AAAAAAAAAAAAAAAAAAAAAA"),
		"no signature":       tamper(t, up.URL, "sig", ""),
		"a non-number exp":   tamper(t, up.URL, "exp", "soon"),
		"a far-off expiry":   tamper(t, up.URL, "exp", strconv.FormatInt(exp+86400*365, 10)),
		"only the bare path": path("/api/v1/images/%d", up.ID),
	}
	for what, link := range bad {
		if status, _, _ := fetch(t, e, link); status != 403 {
			t.Errorf("%s: %d, want 403", what, status)
		}
	}
	r := e.Do("GET", bad["a changed sig"], "", nil).MustErr(t, 403, "forbidden")
	if r.Msg == "" {
		t.Fatal("no readable message")
	}

	clock.Advance(9 * time.Minute)
	if status, _, _ := fetch(t, e, up.URL); status != 200 {
		t.Fatalf("a link 9 minutes old: %d", status)
	}
	clock.Advance(2*time.Minute + time.Second)
	if status, _, _ := fetch(t, e, up.URL); status != 403 {
		t.Fatalf("an expired link: %d, want 403", status)
	}
	fresh := e.Do("GET", path("/api/v1/my/requests/%d", reqID), owner, nil).Must(t, 200)
	fresh.Decode(t, &mine)
	if status, _, _ := fetch(t, e, mine.Photos[0].URL); status != 200 {
		t.Fatalf("a link signed after the clock moved: %d", status)
	}
}

func TestImageLinks(t *testing.T) {
	t.Parallel()
	checkImageLinks(t)
}

func TestImageLinksOnS3(t *testing.T) {
	t.Parallel()
	checkImageLinks(t, testutil.UseS3(t))
}

// TestUploadsSharedByInstancesOnS3: two instances on one database and one
// bucket of a real S3-compatible server (SeaweedFS): an image uploaded through
// A is served by B (signed in, and by its signed link), and erasing the
// account through B removes the object A stored.
func TestUploadsSharedByInstancesOnS3(t *testing.T) {
	t.Parallel()
	s3 := testutil.S3(t)
	blobURL := s3.Bucket(t)
	envs := testutil.Cluster(t, 2, func(s *testutil.Setup) {
		s.Config.BlobURL, s.Config.S3AccessKey, s.Config.S3SecretKey = blobURL, s3.AccessKey, s3.SecretKey
	})
	a, b := envs[0], envs[1]
	_, tok := a.Resident(testutil.UniqueCode("s3"))
	raw := jpegImage(t, 30, 20, true)
	var up struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	uploadFile(a, tok, "a.jpg", raw).Must(t, 201).Decode(t, &up)
	if n := s3.Count(t, blobURL); n != 1 {
		t.Fatalf("objects in the bucket after one upload: %d", n)
	}
	viaA := a.Do("GET", path("/api/v1/uploads/%d", up.ID), tok, nil).Must(t, 200)
	viaB := b.Do("GET", path("/api/v1/uploads/%d", up.ID), tok, nil).Must(t, 200)
	if !bytes.Equal(viaA.Raw, viaB.Raw) || viaB.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatal("instance B does not serve what A stored")
	}
	if status, got, _ := fetch(t, b, up.URL); status != 200 || !bytes.Equal(got, viaA.Raw) {
		t.Fatalf("A's signed link on B: %d", status)
	}
	// A ranged read (a client resuming a download) goes through to the object.
	res := b.Call(testutil.Req{Method: "GET", Path: path("/api/v1/uploads/%d", up.ID), Token: tok,
		Headers: map[string]string{"Range": "bytes=0-9"}})
	if res.Status != 206 || !bytes.Equal(res.Raw, viaA.Raw[:10]) {
		t.Fatalf("range read: %d %d bytes", res.Status, len(res.Raw))
	}

	b.Do("DELETE", "/api/v1/my/account", tok, nil).Must(t, 200)
	if n := s3.Count(t, blobURL); n != 0 {
		t.Fatalf("objects left after the account was erased: %d", n)
	}
}
