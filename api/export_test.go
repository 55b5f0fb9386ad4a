package api

// The export layout, for the external tests that rebuild the expected tables.
var (
	ItemColumns    = itemColumns
	CountColumns   = countColumns
	SourceLabel    = sourceLabel
	ResidencyLabel = residencyLabel
)
