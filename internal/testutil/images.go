package testutil

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// PNG colour types (PNG spec, IHDR).
const (
	PNGGray = 0
	PNGRGB  = 2
	PNGRGBA = 6
)

// HostilePNG builds a PNG whose header declares w×h pixels of the given bit
// depth and colour type, with every pixel zero: a decompression bomb (a few
// hundred KB that decode to hundreds of MB). With full false the image data
// stops after the first rows: the header is honest, the file is not whole.
func HostilePNG(w, h int, depth, colorType byte, full bool) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		_ = binary.Write(&out, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		out.WriteString(kind)
		out.Write(data)
		_ = binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = depth, colorType
	chunk("IHDR", ihdr)
	channels := map[byte]int{PNGGray: 1, PNGRGB: 3, PNGRGBA: 4}[colorType]
	row := make([]byte, 1+(w*channels*int(depth)+7)/8) // filter byte 0, then zero samples
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	rows := h
	if !full {
		rows = min(h, 4)
	}
	for i := 0; i < rows; i++ {
		_, _ = zw.Write(row)
	}
	_ = zw.Close()
	for data := idat.Bytes(); len(data) > 0; {
		n := min(len(data), 1<<20)
		chunk("IDAT", data[:n])
		data = data[n:]
	}
	chunk("IEND", nil)
	return out.Bytes()
}
