package api

import "zhilian/model"

// categoryDTO is a category on the wire (schema Category).
type categoryDTO struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Code        string `json:"code"`
	AcceptDays  int    `json:"accept_days"`
	ResolveDays int    `json:"resolve_days"`
	Priority    bool   `json:"priority"`
	Active      bool   `json:"active"`
	Sort        int    `json:"sort"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

func newCategoryDTO(c model.Category) categoryDTO {
	return categoryDTO{ID: c.ID, Name: c.Name, Code: c.Code, AcceptDays: c.AcceptDays, ResolveDays: c.ResolveDays,
		Priority: c.Priority, Active: c.Active, Sort: c.Sort, CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt)}
}
