package api_test

import (
	"strings"
	"testing"

	"zhilian/internal/testutil"
)

// TestUploadRefusesDecompressionBombs: an image is judged by its header
// before it is decoded — by its pixels and by the memory its bit depth and
// channels would take — and refused with 413 and a readable message.
func TestUploadRefusesDecompressionBombs(t *testing.T) {
	t.Parallel()
	e := testutil.New(t)
	_, tok := e.Resident(testutil.UniqueCode("bomb"))
	for name, c := range map[string]struct {
		png  []byte
		want string
	}{
		// 7071×7071 RGBA at 16 bits: 400 MB decoded (the 403 KB file).
		"16-bit bomb": {testutil.HostilePNG(7071, 7071, 16, testutil.PNGRGBA, false), "像素"},
		// 6900×6900 grey: 47 MB decoded and seconds of CPU from a 46 KB file.
		"grey bomb": {testutil.HostilePNG(6900, 6900, 8, testutil.PNGGray, false), "像素"},
		// Few enough pixels, but 16-bit RGBA: too much memory once decoded.
		"deep colour": {testutil.HostilePNG(3000, 3000, 16, testutil.PNGRGBA, false), "解码后过大"},
	} {
		r := uploadFile(e, tok, "a.png", c.png).MustErr(t, 413, "too_large")
		if !strings.Contains(r.Msg, c.want) {
			t.Errorf("%s: message %q does not say %q", name, r.Msg, c.want)
		}
	}
	// A photo within the limits is still taken, bounded to 2048 on its longer side.
	var u struct {
		Width, Height int
	}
	uploadFile(e, tok, "wide.jpg", jpegImage(t, 2600, 1000, false)).Must(t, 201).Decode(t, &u)
	if u.Width != 2048 || u.Height != 787 {
		t.Fatalf("fitted to %d×%d, want 2048×787", u.Width, u.Height)
	}
}
