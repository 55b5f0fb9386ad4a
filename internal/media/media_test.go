package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"zhilian/model"
)

// withOrientation is a small JPEG carrying an EXIF orientation tag.
func withOrientation(t *testing.T, o uint16) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 6, 3))
	for x := 0; x < 6; x++ {
		for y := 0; y < 3; y++ {
			img.Set(x, y, color.RGBA{uint8(40 * x), uint8(80 * y), 0, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00*")
	_ = binary.Write(&tiff, binary.BigEndian, uint32(8))
	_ = binary.Write(&tiff, binary.BigEndian, uint16(1))
	_ = binary.Write(&tiff, binary.BigEndian, uint16(0x0112))
	_ = binary.Write(&tiff, binary.BigEndian, uint16(3))
	_ = binary.Write(&tiff, binary.BigEndian, uint32(1))
	_ = binary.Write(&tiff, binary.BigEndian, o)
	_ = binary.Write(&tiff, binary.BigEndian, uint16(0))
	_ = binary.Write(&tiff, binary.BigEndian, uint32(0))
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	raw := buf.Bytes()
	out := append(append(append([]byte{}, raw[:2]...), seg...), payload...)
	return append(out, raw[2:]...)
}

// TestOrientationMatchesImaging: resizing first and orienting after gives
// what imaging's AutoOrientation gives, for all eight orientations.
func TestOrientationMatchesImaging(t *testing.T) {
	for o := uint16(1); o <= 8; o++ {
		data := withOrientation(t, o)
		if got := jpegOrientation(data); got != int(o) {
			t.Fatalf("orientation %d read as %d", o, got)
		}
		want, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
		if err != nil {
			t.Fatal(err)
		}
		src, _, _ := image.Decode(bytes.NewReader(data))
		got := orient(src, jpegOrientation(data))
		if got.Bounds().Size() != want.Bounds().Size() {
			t.Fatalf("orientation %d: %v, imaging %v", o, got.Bounds(), want.Bounds())
		}
		for x := 0; x < want.Bounds().Dx(); x++ {
			for y := 0; y < want.Bounds().Dy(); y++ {
				r1, g1, b1, _ := got.At(x, y).RGBA()
				r2, g2, b2, _ := want.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					t.Fatalf("orientation %d: pixel %d,%d differs", o, x, y)
				}
			}
		}
	}
	for _, junk := range [][]byte{nil, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, []byte("\xff\xd8\xff\xe1\x00\x0aExif\x00\x00MM")} {
		if jpegOrientation(junk) != 1 {
			t.Fatalf("junk %q not upright", junk)
		}
	}
}

// TestBusyDecoderAnswers503: when the decoding budget stays full, an upload
// waits at most Limits.Wait and is told to come back (503 with Retry-After).
func TestBusyDecoderAnswers503(t *testing.T) {
	c := New(Limits{MaxPixels: 1 << 20, MaxMemory: 1 << 20, Budget: 1 << 20, Wait: 50 * time.Millisecond})
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 64, 64)), nil)
	if _, err := c.Clean(context.Background(), buf.Bytes()); err != nil {
		t.Fatalf("idle cleaner: %v", err)
	}
	if err := c.sem.Acquire(context.Background(), 1<<20); err != nil { // someone else is decoding
		t.Fatal(err)
	}
	start := time.Now()
	_, err := c.Clean(context.Background(), buf.Bytes())
	e, ok := model.AsError(err)
	if !ok || e.Code != model.CodeUnavailable || e.RetryAfter <= 0 {
		t.Fatalf("busy cleaner: %v", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Fatalf("waited %v for a full budget", waited)
	}
	c.sem.Release(1 << 20)
	if _, err := c.Clean(context.Background(), buf.Bytes()); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

// TestCostCountsDepthAndChannels: the estimate grows with bit depth and channels.
func TestCostCountsDepthAndChannels(t *testing.T) {
	grey := Cost(image.Config{Width: 1000, Height: 1000, ColorModel: color.GrayModel}, "png")
	rgba := Cost(image.Config{Width: 1000, Height: 1000, ColorModel: color.NRGBAModel}, "png")
	deep := Cost(image.Config{Width: 1000, Height: 1000, ColorModel: color.NRGBA64Model}, "png")
	if !(grey < rgba && rgba < deep) || deep != 12_000_000 {
		t.Fatalf("costs grey %d rgba %d deep %d", grey, rgba, deep)
	}
}
