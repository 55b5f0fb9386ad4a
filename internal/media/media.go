// Package media cleans uploaded images: the type is sniffed from the bytes,
// the EXIF orientation is applied, and the image is re-encoded so that no
// metadata (EXIF, GPS, XMP, comments) survives.
//
// Decoding is where a small file can cost a lot (a 400 KB PNG can declare
// 7071×7071 16-bit pixels: 400 MB decoded). So the header is read first and
// what the image would cost — its pixels and the memory of every step — is
// refused when too much (413), and the decodes running at once share one
// memory budget (a weighted semaphore): an upload that finds no room waits a
// little, then gets 503 with Retry-After.
package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"runtime"
	"time"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // registers WebP decoding
	"golang.org/x/sync/semaphore"

	"zhilian/model"
	"zhilian/service"
)

// JPEGQuality is the quality of re-encoded JPEGs.
const JPEGQuality = 88

// Limits bound the cost of cleaning images.
type Limits struct {
	MaxPixels int64         // width × height of one image
	MaxMemory int64         // estimated working memory of one image (see Cost)
	Budget    int64         // estimated working memory of all decodes at once (≥ MaxMemory)
	Wait      time.Duration // how long an upload may wait for room in the budget
}

// DefaultLimits fit a 12-megapixel phone photo, keep a burst of hostile
// images within ~150 MB of memory, and answer within two seconds (at most
// 0.75 s of waiting plus one bounded decode).
func DefaultLimits() Limits {
	return Limits{MaxPixels: 16_000_000, MaxMemory: 96 << 20, Budget: 96 << 20, Wait: 750 * time.Millisecond}
}

// Cleaner implements service.ImageCleaner.
type Cleaner struct {
	lim Limits
	sem *semaphore.Weighted
}

// New builds a cleaner; zero limits are DefaultLimits.
func New(lim Limits) *Cleaner {
	if lim.MaxPixels == 0 {
		lim = DefaultLimits()
	}
	if lim.Budget < lim.MaxMemory {
		lim.Budget = lim.MaxMemory
	}
	return &Cleaner{lim: lim, sem: semaphore.NewWeighted(lim.Budget)}
}

// bytesPerPixel is what the decoder allocates per pixel for a colour model.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.YCbCrModel:
		return 3 // 4:4:4 at worst
	case color.NYCbCrAModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // RGBA, NRGBA, CMYK
}

// fitSize is the size after bounding the longer side to model.MaxImageSide.
func fitSize(w, h int64) (int64, int64) {
	side := int64(model.MaxImageSide)
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}

// Cost estimates the memory cleaning an image takes: the decoded pixels, the
// resize passes (horizontal into a dw×h copy, then vertical into dw×dh), a
// dw×dh copy for the orientation and, for WebP, the flattened copies.
func Cost(cfg image.Config, format string) int64 {
	w, h := int64(cfg.Width), int64(cfg.Height)
	cost := w * h * bytesPerPixel(cfg.ColorModel)
	dw, dh := fitSize(w, h)
	if dw != w || dh != h {
		cost += dw*h*4 + dw*dh*4
	}
	cost += dw * dh * 4
	if format == "webp" {
		cost += 2 * dw * dh * 4
	}
	return cost
}

// Clean sniffs, checks the cost, decodes, orients, bounds and re-encodes an
// image. JPEG stays JPEG and PNG stays PNG; WebP (no encoder in the standard
// library) becomes JPEG on a white background.
func (c *Cleaner) Clean(ctx context.Context, data []byte) (service.Image, error) {
	mime := http.DetectContentType(data)
	switch mime {
	case model.MimeJPEG, model.MimePNG, model.MimeWebP:
	default:
		return service.Image{}, model.E(model.CodeUnsupportedMedia, "仅支持 JPEG、PNG 或 WebP 图片")
	}
	broken := model.E(model.CodeUnsupportedMedia, "图片已损坏或无法识别")
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || "image/"+format != mime {
		return service.Image{}, broken
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return service.Image{}, broken
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > c.lim.MaxPixels {
		return service.Image{}, model.E(model.CodeTooLarge, fmt.Sprintf("图片尺寸过大（%d×%d），最多 %d 万像素，请缩小后再上传",
			cfg.Width, cfg.Height, c.lim.MaxPixels/10000))
	}
	cost := Cost(cfg, format)
	if cost > c.lim.MaxMemory {
		return service.Image{}, model.E(model.CodeTooLarge, fmt.Sprintf("图片解码后过大（%d×%d，色深过高），请转成普通 JPEG 或缩小后再上传",
			cfg.Width, cfg.Height))
	}
	wctx, cancel := context.WithTimeout(ctx, c.lim.Wait)
	defer cancel()
	if err := c.sem.Acquire(wctx, cost); err != nil {
		return service.Image{}, &model.Error{Code: model.CodeUnavailable, Msg: "图片处理繁忙，请稍后重试", RetryAfter: 2 * time.Second}
	}
	defer c.sem.Release(cost)
	img, err := reencode(data, mime)
	if cost > c.lim.Budget/4 {
		// The decode's buffers are garbage now. Collect before the next big
		// decode gets the budget, so it reuses this memory instead of the
		// heap growing to twice the budget (GOGC) — a few milliseconds
		// against the half second the decode took.
		runtime.GC()
	}
	return img, err
}

// reencode decodes, bounds, orients and encodes (the costly part). The
// image is resized before it is oriented, so the orientation copies the
// small image.
func reencode(data []byte, mime string) (service.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return service.Image{}, model.E(model.CodeUnsupportedMedia, "图片已损坏或无法识别")
	}
	b := img.Bounds()
	if b.Dx() > model.MaxImageSide || b.Dy() > model.MaxImageSide {
		// Box (area averaging) when shrinking: a third of Lanczos's CPU on a
		// 16-megapixel image, and as good for photos at these ratios.
		img = imaging.Fit(img, model.MaxImageSide, model.MaxImageSide, imaging.Box)
	}
	if mime == model.MimeJPEG {
		img = orient(img, jpegOrientation(data))
	}
	var buf bytes.Buffer
	out := model.MimeJPEG
	switch mime {
	case model.MimePNG:
		out = model.MimePNG
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img) // bounded CPU; photos are JPEG anyway
	case model.MimeWebP:
		flat := imaging.New(img.Bounds().Dx(), img.Bounds().Dy(), color.White)
		flat = imaging.Overlay(flat, img, image.Pt(0, 0), 1)
		err = jpeg.Encode(&buf, flat, &jpeg.Options{Quality: JPEGQuality})
	default:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	}
	if err != nil {
		return service.Image{}, err
	}
	b = img.Bounds()
	return service.Image{Data: buf.Bytes(), Mime: out, Width: b.Dx(), Height: b.Dy()}, nil
}

var _ service.ImageCleaner = (*Cleaner)(nil)
