package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"testing"
	"time"

	"zhilian/internal/testutil"
	"zhilian/model"
)

// city is a small org tree: root → district → town → two communities, and a
// second town with its own community.
type city struct {
	admin                       string
	district, town, comm, comm2 int64
	otherTown, otherComm        int64
	categoryID                  int64
}

func newCity(t *testing.T, e *testutil.Env) city {
	t.Helper()
	c := city{admin: e.AdminToken()}
	c.district = e.Org(c.admin, e.RootOrgID(), "district", "禅城区")
	c.town = e.Org(c.admin, c.district, "town", "祖庙街道")
	c.comm = e.Org(c.admin, c.town, "community", "升平社区")
	c.comm2 = e.Org(c.admin, c.town, "community", "新风社区")
	c.otherTown = e.Org(c.admin, c.district, "town", "石湾镇街道")
	c.otherComm = e.Org(c.admin, c.otherTown, "community", "跃进社区")
	var cats []struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	}
	var out struct {
		Items *[]struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"items"`
	}
	out.Items = &cats
	e.Do("GET", "/api/v1/categories", "", nil).Must(t, 200).Decode(t, &out)
	for _, x := range cats {
		if x.Code == "roads" {
			c.categoryID = x.ID
		}
	}
	if c.categoryID == 0 {
		t.Fatal("seeded category roads missing")
	}
	return c
}

// submitBody is a valid submission in the city's first community.
func (c city) submitBody(content string) map[string]any {
	return map[string]any{"category_id": c.categoryID, "content": content, "community_id": c.comm, "address": "升平路 12 号"}
}

// submit posts a request and returns its id.
func submit(t *testing.T, e *testutil.Env, tok string, body map[string]any) int64 {
	t.Helper()
	return e.Do("POST", "/api/v1/my/requests", tok, body).Must(t, 201).ID(t)
}

var staffActor = model.Actor{ID: 1, Name: "测试干部", Kind: model.SubjectStaff}

// advance moves a request through the cadre side (not built yet) directly
// through the model and the store, as issue 4's API will.
func advance(t *testing.T, e *testutil.Env, id int64, steps ...func(r *model.Request, now time.Time) (*model.RequestEvent, error)) {
	t.Helper()
	now := time.Now()
	if e.Clock != nil {
		now = e.Clock.Now()
	}
	_, err := e.App.Store.Requests().Change(context.Background(), id, func(r *model.Request) ([]*model.RequestEvent, error) {
		var evs []*model.RequestEvent
		for _, s := range steps {
			ev, err := s(r, now)
			if err != nil {
				return nil, err
			}
			evs = append(evs, ev)
		}
		return evs, nil
	})
	if err != nil {
		t.Fatalf("advance request %d: %v", id, err)
	}
}

func accept(r *model.Request, now time.Time) (*model.RequestEvent, error) {
	return r.Accept(staffActor, "已受理", now)
}

func resolve(r *model.Request, now time.Time) (*model.RequestEvent, error) {
	return r.Resolve(staffActor, "已修复路面", now)
}

func internalNote(r *model.Request, now time.Time) (*model.RequestEvent, error) {
	return r.Progress(staffActor, "内部：联系施工队", false, now)
}

// jpegImage encodes a w×h JPEG; with exif, an APP1 Exif segment carrying
// orientation 6 (rotate 90° clockwise) and a fake GPS marker follows SOI.
func jpegImage(t *testing.T, w, h int, exif bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 5), uint8(y * 5), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if !exif {
		return buf.Bytes()
	}
	var tiff bytes.Buffer
	tiff.WriteString("II*\x00")
	_ = binary.Write(&tiff, binary.LittleEndian, uint32(8)) // IFD0 offset
	_ = binary.Write(&tiff, binary.LittleEndian, uint16(1)) // one entry
	_ = binary.Write(&tiff, binary.LittleEndian, uint16(0x0112))
	_ = binary.Write(&tiff, binary.LittleEndian, uint16(3)) // SHORT
	_ = binary.Write(&tiff, binary.LittleEndian, uint32(1))
	_ = binary.Write(&tiff, binary.LittleEndian, uint32(6)) // orientation 6
	_ = binary.Write(&tiff, binary.LittleEndian, uint32(0)) // no next IFD
	tiff.WriteString("GPSLatitude=23.0215N;SECRET-LOCATION")
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	raw := buf.Bytes()
	out := append([]byte{}, raw[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, raw[2:]...)
}

// uploadFile posts data as the multipart field "file".
func uploadFile(e *testutil.Env, tok, name string, data []byte) *testutil.Resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return e.Call(testutil.Req{Method: "POST", Path: "/api/v1/uploads", Token: tok, Body: body.Bytes(),
		Headers: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }
