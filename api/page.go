package api

// page is the one shape of a list answer: the items and the cursor of the
// next page ("" at the end).
type page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// pageOf maps model values to their DTOs as one page.
func pageOf[M, T any](items []M, next string, dto func(M) T) page[T] {
	out := page[T]{Items: make([]T, len(items)), NextCursor: next}
	for i, m := range items {
		out.Items[i] = dto(m)
	}
	return out
}
