// Package media cleans uploaded images: the type is sniffed from the bytes,
// the EXIF orientation is applied, and the image is re-encoded so that no
// metadata (EXIF, GPS, XMP, comments) survives.
package media

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp" // registers WebP decoding

	"zhilian/model"
	"zhilian/service"
)

// Cleaner implements service.ImageCleaner.
type Cleaner struct{}

// JPEGQuality is the quality of re-encoded JPEGs.
const JPEGQuality = 88

// Clean sniffs, decodes, orients, bounds and re-encodes an image. JPEG stays
// JPEG and PNG stays PNG; WebP (no encoder in the standard library) becomes
// JPEG on a white background.
func (Cleaner) Clean(data []byte) (service.Image, error) {
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
	if int64(cfg.Width)*int64(cfg.Height) > model.MaxUploadPixels {
		return service.Image{}, model.E(model.CodeTooLarge, "图片像素过大")
	}
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return service.Image{}, broken
	}
	b := img.Bounds()
	if b.Dx() > model.MaxImageSide || b.Dy() > model.MaxImageSide {
		img = imaging.Fit(img, model.MaxImageSide, model.MaxImageSide, imaging.Lanczos)
	}
	var buf bytes.Buffer
	out := model.MimeJPEG
	switch mime {
	case model.MimePNG:
		out = model.MimePNG
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
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

var _ service.ImageCleaner = Cleaner{}
