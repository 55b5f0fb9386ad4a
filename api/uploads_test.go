package api_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"image"
	"image/png"
	"testing"

	"zhilian/internal/testutil"
)

// tinyWebP is a 1×1 lossless WebP.
const tinyWebP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="

func TestUploadCleansImages(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	_, tok := e.Resident(testutil.UniqueCode("up"))

	raw := jpegImage(t, 40, 20, true)
	if !bytes.Contains(raw, []byte("SECRET-LOCATION")) {
		t.Fatal("fixture has no metadata")
	}
	var u struct {
		ID     int64  `json:"id"`
		Mime   string `json:"mime"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
		URL    string `json:"url"`
	}
	uploadFile(e, tok, "photo.png", raw).Must(t, 201).Decode(t, &u) // the name lies; the bytes decide
	if u.Mime != "image/jpeg" || u.Width != 20 || u.Height != 40 {
		t.Fatalf("upload %+v: want a JPEG rotated upright to 20×40", u)
	}
	got := e.Do("GET", u.URL, tok, nil).Must(t, 200)
	if got.Header.Get("Content-Type") != "image/jpeg" || got.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", got.Header)
	}
	if bytes.Contains(got.Raw, []byte("Exif")) || bytes.Contains(got.Raw, []byte("SECRET-LOCATION")) {
		t.Fatal("metadata survived the upload")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(got.Raw))
	if err != nil || cfg.Width != 20 || cfg.Height != 40 {
		t.Fatalf("served image %v %+v", err, cfg)
	}

	var pngBuf bytes.Buffer
	_ = png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 7, 5)))
	var p struct {
		Mime  string `json:"mime"`
		Width int    `json:"width"`
	}
	uploadFile(e, tok, "a.jpg", pngBuf.Bytes()).Must(t, 201).Decode(t, &p)
	if p.Mime != "image/png" || p.Width != 7 {
		t.Fatalf("png %+v", p)
	}
	webp, _ := base64.StdEncoding.DecodeString(tinyWebP)
	var w struct {
		Mime  string `json:"mime"`
		Width int    `json:"width"`
	}
	uploadFile(e, tok, "a.webp", webp).Must(t, 201).Decode(t, &w)
	if w.Mime != "image/jpeg" || w.Width != 1 {
		t.Fatalf("webp %+v", w)
	}
}

func TestUploadRejectsBadFiles(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	_, tok := e.Resident(testutil.UniqueCode("upbad"))
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	uploadFile(e, tok, "a.jpg", gif).MustErr(t, 415, "unsupported_media_type")
	uploadFile(e, tok, "a.jpg", []byte("<html><script>alert(1)</script></html>")).MustErr(t, 415, "unsupported_media_type")
	broken := jpegImage(t, 30, 30, false)[:200] // a JPEG header and then nothing
	uploadFile(e, tok, "a.jpg", broken).MustErr(t, 415, "unsupported_media_type")
	uploadFile(e, tok, "a.jpg", nil).MustErr(t, 400, "invalid_argument")

	big := make([]byte, 5<<20+1024)
	copy(big, jpegImage(t, 8, 8, false))
	_, _ = rand.Read(big[4096:])
	uploadFile(e, tok, "big.jpg", big).MustErr(t, 413, "too_large")
	huge := make([]byte, 7<<20)
	uploadFile(e, tok, "huge.jpg", huge).MustErr(t, 413, "too_large")

	e.Do("POST", "/api/v1/uploads", tok, map[string]string{"file": "x"}).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/uploads/abc", tok, nil).MustErr(t, 400, "invalid_argument")
	e.Do("GET", "/api/v1/uploads/999999", tok, nil).MustErr(t, 404, "not_found")
	uploadFile(e, "", "a.jpg", jpegImage(t, 8, 8, false)).MustErr(t, 401, "unauthorized")
}

func TestUploadAccess(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	c := newCity(t, e)
	_, owner := e.Resident(testutil.UniqueCode("acc"))
	_, stranger := e.Resident(testutil.UniqueCode("acc"))
	_, townCadre := e.Staff(c.admin, c.town, "cadre", "town_cadre")
	_, otherCadre := e.Staff(c.admin, c.otherTown, "cadre", "other_cadre")

	id := uploadFile(e, owner, "a.jpg", jpegImage(t, 8, 8, false)).Must(t, 201).ID(t)
	url := path("/api/v1/uploads/%d", id)
	e.Do("GET", url, owner, nil).Must(t, 200)
	e.Do("GET", url, stranger, nil).MustErr(t, 404, "not_found")
	e.Do("GET", url, townCadre, nil).MustErr(t, 404, "not_found") // not attached to any request yet

	body := c.submitBody("图片里是破损的井盖")
	body["image_ids"] = []int64{id}
	submit(t, e, owner, body)
	e.Do("GET", url, owner, nil).Must(t, 200)
	e.Do("GET", url, townCadre, nil).Must(t, 200) // the handling town's cadre
	e.Do("GET", url, c.admin, nil).Must(t, 200)   // the city reaches everything
	e.Do("GET", url, otherCadre, nil).MustErr(t, 404, "not_found")
	e.Do("GET", url, stranger, nil).MustErr(t, 404, "not_found")
}
