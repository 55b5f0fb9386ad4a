package api

import "zhilian/model"

// calendarDayDTO is a day that is not an ordinary one (schema CalendarDay).
type calendarDayDTO struct {
	Date    string `json:"date"`
	Workday bool   `json:"workday"`
	Name    string `json:"name,omitempty"`
	Source  string `json:"source"`
}

func newCalendarDayDTO(d model.CalendarDay) calendarDayDTO {
	return calendarDayDTO{Date: d.Date, Workday: d.Workday, Name: d.Name, Source: string(d.Source)}
}

// calendarYearDTO is a year's page of days (schema CalendarYear).
type calendarYearDTO struct {
	Year int `json:"year"`
	page[calendarDayDTO]
}

// calendarOverrideDTO is an admin's entry for one day (schema CalendarOverride).
type calendarOverrideDTO struct {
	Date      string `json:"date"`
	Workday   bool   `json:"workday"`
	Name      string `json:"name"`
	UpdatedBy int64  `json:"updated_by"`
	UpdatedAt string `json:"updated_at"`
}

func newCalendarOverrideDTO(o *model.CalendarOverride) calendarOverrideDTO {
	return calendarOverrideDTO{Date: o.Date, Workday: o.Workday, Name: o.Name, UpdatedBy: o.UpdatedBy, UpdatedAt: rfc3339(o.UpdatedAt)}
}
