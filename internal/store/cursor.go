package store

import (
	"encoding/base64"
	"encoding/json"

	"zhilian/model"
)

// encodeCursor makes an opaque keyset cursor from the sort values of the last row.
func encodeCursor(vals ...any) string {
	b, _ := json.Marshal(vals)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor into dst pointers.
func decodeCursor(s string, dst ...any) error {
	if s == "" {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return model.Invalid("cursor 无效")
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) != len(dst) {
		return model.Invalid("cursor 无效")
	}
	for i := range dst {
		if err := json.Unmarshal(parts[i], dst[i]); err != nil {
			return model.Invalid("cursor 无效")
		}
	}
	return nil
}

// pageSize clamps a requested page size to 1..50 (default 20).
func pageSize(n int) int {
	switch {
	case n <= 0:
		return 20
	case n > 50:
		return 50
	}
	return n
}

// trimPage cuts a list fetched with LIMIT size+1 to size rows and, when a row
// was left over, sets the cursor from the last row kept.
func trimPage[T any](p *model.Page[T], size int, cursor func(last T) string) {
	if len(p.Items) > size {
		p.Items = p.Items[:size]
		p.NextCursor = cursor(p.Items[size-1])
	}
}
